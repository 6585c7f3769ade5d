"""Hand-in folders: a teacher opens one for a class; each pupil sees only their own files;
the teacher sees who handed in, late ones flagged, and downloads a zip of all."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.documents import handins, services
from ostal.documents.models import Document, HandIn
from ostal.documents.tests.conftest import PDF

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
DEADLINE = datetime(2026, 11, 27, 18, 0, tzinfo=PARIS)


@pytest.fixture
def hand_in(world):
    return handins.hand_in_open(
        teacher=world.teacher, school_class=world.class_4b, title="Exposé", deadline=DEADLINE
    )


def _hand(pupil, hand_in, name, data=PDF):
    document = handins.hand_in_submit(
        pupil=pupil, hand_in=hand_in, upload=SimpleUploadedFile(name, data)
    )
    services.document_scan_record(document=document, infected=False)
    return document


def test_teacher_opens_a_hand_in_from_the_page(world, login):
    """The class's teacher opens a hand-in with a deadline; it is listed for the class."""
    client = login(world.teacher)
    response = client.post(
        "/documents/depots/",
        {"school_class": world.class_4b.pk, "title": "Exposé", "deadline": "2026-11-27T18:00"},
    )
    hand_in = HandIn.objects.get()
    assert response["Location"] == f"/documents/depots/{hand_in.pk}/"
    assert (hand_in.teacher, hand_in.school_class) == (world.teacher, world.class_4b)
    assert hand_in.deadline == DEADLINE
    assert "Exposé" in login(world.pupil).get("/documents/depots/").content.decode()


def test_only_teachers_of_the_class_open_one(world, login):
    """Another school's teacher has no class to choose (404); the service refuses too."""
    response = login(world.other_teacher).post(
        "/documents/depots/",
        {"school_class": world.class_4b.pk, "title": "x", "deadline": "2026-11-27T18:00"},
    )
    assert response.status_code == 200
    assert "Choisissez une de vos classes." in response.content.decode()
    with pytest.raises(ValidationError, match="n'enseignez pas"):
        handins.hand_in_open(
            teacher=world.other_teacher, school_class=world.class_4b, title="x", deadline=DEADLINE
        )
    assert not HandIn.objects.exists()


def test_each_pupil_sees_only_their_own_work(world, login, hand_in, time_machine):
    """Two pupils hand in (one late); each sees only their own file and cannot open the
    other's; the files are not in their own folders."""
    time_machine.move_to(DEADLINE - timedelta(hours=2), tick=False)
    mine = _hand(world.pupil, hand_in, "alice.pdf")
    time_machine.move_to(DEADLINE + timedelta(hours=1), tick=False)
    theirs = _hand(world.other_pupil, hand_in, "chloe.pdf")
    assert (mine.late, Document.objects.select_related("hand_in").get(pk=theirs.pk).late) == (
        False,
        True,
    )
    client = login(world.pupil)
    page = client.get(f"/documents/depots/{hand_in.pk}/").content.decode()
    assert "alice.pdf" in page and "chloe.pdf" not in page
    assert client.get(f"/documents/depots/fichiers/{theirs.pk}/").status_code == 404
    assert client.get(f"/documents/depots/fichiers/{mine.pk}/").status_code == 200
    assert client.get(f"/documents/fichiers/{mine.pk}/").status_code == 404  # not a folder file
    assert "alice.pdf" not in client.get("/documents/").content.decode()
    assert client.get(f"/documents/depots/{hand_in.pk}/tout.zip").status_code == 404
    other_page = login(world.other_pupil).get(f"/documents/depots/{hand_in.pk}/").content.decode()
    assert "chloe.pdf" in other_page and "en retard" in other_page and "alice.pdf" not in other_page


@pytest.mark.parametrize("persona", ["sibling", "other_teacher", "admin"])
def test_others_get_404(world, login, hand_in, persona):
    """Pupils of other classes, other teachers, the school admin: 404 on the hand-in and its
    files (parents: see below)."""
    document = _hand(world.pupil, hand_in, "alice.pdf")
    client = login(world.persona(persona))
    assert client.get(f"/documents/depots/{hand_in.pk}/").status_code == 404
    assert client.get(f"/documents/depots/fichiers/{document.pk}/").status_code == 404
    assert client.get(f"/documents/depots/{hand_in.pk}/tout.zip").status_code == 404
    response = client.post(
        f"/documents/depots/{hand_in.pk}/rendre/", {"files": [SimpleUploadedFile("x.pdf", PDF)]}
    )
    assert response.status_code == 404
    assert Document.objects.count() == 1


def test_teacher_sees_who_handed_in_and_downloads_the_zip(world, login, hand_in, time_machine):
    """The table lists every pupil, late ones flagged; the zip, streamed, holds each clean
    file under the pupil's name."""
    time_machine.move_to(DEADLINE - timedelta(hours=2), tick=False)
    _hand(world.pupil, hand_in, "alice.pdf")
    time_machine.move_to(DEADLINE + timedelta(hours=1), tick=False)
    _hand(world.other_pupil, hand_in, "chloe.pdf", PDF + b"%late\n")
    client = login(world.teacher)
    page = client.get(f"/documents/depots/{hand_in.pk}/").content.decode()
    assert "2 élèves sur 2 ont rendu leur travail." in page
    assert "1 en retard." in page and "Rendu en retard" in page
    response = client.get(f"/documents/depots/{hand_in.pk}/tout.zip")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2
    assert names[0].startswith("Durand Alice/") and names[0].endswith("-alice.pdf")
    assert names[1].startswith("Petit Chloé/[EN RETARD] ")
    assert archive.read(names[0]) == PDF


def test_the_hand_in_checks_uploads_like_the_space(world, login, hand_in):
    """A refused file (HTML named .pdf) is refused the same way and nothing is kept."""
    client = login(world.pupil)
    response = client.post(
        f"/documents/depots/{hand_in.pk}/rendre/",
        {"files": [SimpleUploadedFile("devoir.pdf", b"<!DOCTYPE html><html></html>")]},
        follow=True,
    )
    assert "n&#x27;est pas accepté" in response.content.decode()
    assert not Document.objects.exists()


def test_a_parent_sees_only_their_own_childs_work(world, login, hand_in):
    """Alice's parent sees Alice's file (and downloads it), never Chloé's, and cannot hand
    in; Chloé's parent sees only Chloé's."""
    mine = _hand(world.pupil, hand_in, "alice.pdf")
    theirs = _hand(world.other_pupil, hand_in, "chloe.pdf")
    client = login(world.parent)
    assert "Exposé" in client.get("/documents/depots/").content.decode()
    page = client.get(f"/documents/depots/{hand_in.pk}/").content.decode()
    assert "Travail rendu par Alice Durand" in page
    assert "alice.pdf" in page and "chloe.pdf" not in page and "Rendre" not in page
    assert client.get(f"/documents/depots/fichiers/{mine.pk}/").status_code == 200
    assert client.get(f"/documents/depots/fichiers/{theirs.pk}/").status_code == 404
    assert client.get(f"/documents/depots/{hand_in.pk}/tout.zip").status_code == 404
    response = client.post(
        f"/documents/depots/{hand_in.pk}/rendre/", {"files": [SimpleUploadedFile("x.pdf", PDF)]}
    )
    assert response.status_code == 404 and Document.objects.count() == 2
    other = login(world.other_parent).get(f"/documents/depots/{hand_in.pk}/").content.decode()
    assert "chloe.pdf" in other and "alice.pdf" not in other
