"""Bad uploads get a clear French message and leave nothing half-stored: no row without
file, no file without row, nothing taken from the quota."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ostal.conftest import EICAR
from ostal.documents import services
from ostal.documents.models import Document, Usage
from ostal.documents.tests.conftest import HTML, PDF

pytestmark = pytest.mark.django_db


def _nothing_kept(stored, person) -> None:
    assert not Document.objects.exists()
    assert stored() == []
    assert Usage.objects.filter(person=person, used__gt=0).count() == 0


def _page_upload(client, name, data):
    return client.post(
        "/documents/televerser/", {"folder": "", "files": [SimpleUploadedFile(name, data)]},
        follow=True,
    ).content.decode()  # fmt: skip


def test_over_quota_is_refused(world, login, settings, stored):
    """A file that does not fit in the quota is refused, saying the usage and the limit."""
    settings.DOCUMENTS_QUOTA_MB_PUPIL = 1
    page = _page_upload(login(world.pupil), "gros.pdf", PDF + b"0" * (1024 * 1024))
    assert "ne tient pas dans votre espace" in page and "sur 1,0 Mo" in page
    _nothing_kept(stored, world.pupil)


def test_over_size_is_refused(world, login, settings, stored):
    """A file over the size limit is refused, naming it and the limit."""
    settings.DOCUMENTS_MAX_UPLOAD = 1024 * 1024
    page = _page_upload(login(world.pupil), "video.pdf", PDF + b"0" * (1024 * 1024))
    assert "« video.pdf » dépasse la taille maximale de 1 Mo." in page
    _nothing_kept(stored, world.pupil)


def test_html_renamed_pdf_is_refused(world, login, stored):
    """The type is read from the content: HTML named .pdf is HTML, and refused."""
    page = _page_upload(login(world.pupil), "devoir.pdf", HTML)
    assert "« devoir.pdf » : ce type de fichier (text/html) n&#x27;est pas accepté." in page
    _nothing_kept(stored, world.pupil)


def test_zero_byte_file_is_refused(world, stored):
    """An empty file is refused."""
    with pytest.raises(ValidationError, match="est vide"):
        services.document_upload(
            owner=world.pupil, folder=None, upload=SimpleUploadedFile("vide.pdf", b"")
        )
    _nothing_kept(stored, world.pupil)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("../../etc/cours.pdf", "cours.pdf"),
        ("..\\..\\cours.pdf", "cours.pdf"),
        ("co\x00ur\x1bs\u202e.pdf", "cours.pdf"),
        ("Cafe\u0301.pdf", "Café.pdf"),
    ],
)
def test_names_lose_paths_and_control_characters(world, stored, raw, kept):
    """No path, no control or bidi characters, NFC; the storage key is never the name."""
    document = services.document_upload(
        owner=world.pupil, folder=None, upload=SimpleUploadedFile("x.pdf", PDF), name=raw
    )
    assert document.name == kept
    assert stored() == [document.file.name] and ".." not in document.file.name


@pytest.mark.parametrize("raw", ["..", "../..", "/", "\x00\x01"])
def test_a_name_that_is_only_a_path_is_refused(world, stored, raw):
    """Nothing usable left of the name: refused, nothing kept."""
    with pytest.raises(ValidationError, match="nom du fichier"):
        services.document_upload(
            owner=world.pupil, folder=None, upload=SimpleUploadedFile("x.pdf", PDF), name=raw
        )
    _nothing_kept(stored, world.pupil)


def test_api_upload_named_with_a_path(world, bearer, stored):
    """Through the API, ``../`` in the name is dropped; a name of only dots is refused."""
    client = bearer(world.pupil)
    response = client.generic(
        "POST", "/api/v1/documents/fichiers/?nom=../../secret.pdf", PDF,
        content_type="application/pdf",
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["name"] == "secret.pdf"
    response = client.generic(
        "POST", "/api/v1/documents/fichiers/?nom=..", PDF, content_type="application/pdf"
    )
    assert response.status_code == 400
    assert "nom du fichier" in str(response.json())
    assert Document.objects.count() == 1


def test_eicar_is_blocked_in_quarantine(world, login, clamd, django_capture_on_commit_callbacks):
    """clamd finds EICAR: the file stays in quarantine, nobody can download it, its page
    says so in French and offers to delete it."""
    client = login(world.pupil)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/documents/televerser/", {"files": [SimpleUploadedFile("a.txt", EICAR)]})
    document = Document.objects.get()
    assert document.scan == Document.Scan.INFECTED
    assert "Eicar" in document.scan_signature
    response = client.get(f"/documents/fichiers/{document.pk}/telecharger/", follow=True)
    assert "ne peut pas être téléchargé : virus détecté" in response.content.decode()
    page = client.get(f"/documents/fichiers/{document.pk}/").content.decode()
    assert "L'antivirus a trouvé un virus" in page


def test_clean_file_is_downloadable_after_the_scan(
    world, clamd, django_capture_on_commit_callbacks
):
    """clamd says OK: the file leaves the quarantine."""
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_upload(
            owner=world.pupil, folder=None, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    document.refresh_from_db()
    assert document.scan == Document.Scan.CLEAN


def test_cut_off_api_upload_is_refused(world, bearer, stored):
    """A body shorter than its Content-Length (the connection dropped) is refused."""
    client = bearer(world.pupil)
    response = client.generic(
        "POST", "/api/v1/documents/fichiers/?nom=cours.pdf", PDF,
        content_type="application/pdf", CONTENT_LENGTH=str(len(PDF) + 5000),
        **{"wsgi.input": io.BytesIO(PDF)},  # the client went away after these bytes
    )  # fmt: skip
    assert response.status_code == 400
    assert "n'est pas arrivé en entier" in str(response.json())
    _nothing_kept(stored, world.pupil)


def test_cut_off_page_upload_keeps_nothing(world, login, stored):
    """A multipart form cut before its end keeps nothing."""
    client = login(world.pupil)
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF  # no closing boundary
    response = client.generic(
        "POST", "/documents/televerser/", body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip
    assert response.status_code in {302, 400}
    _nothing_kept(stored, world.pupil)


def test_storage_failure_after_the_file_leaves_no_orphan(world, stored, monkeypatch):
    """The row cannot be made (here the quota counter fails): the stored file is removed."""

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "usage_take", broken)
    with pytest.raises(RuntimeError):
        services.document_upload(
            owner=world.pupil, folder=None, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    _nothing_kept(stored, world.pupil)


@pytest.mark.django_db(transaction=True)
def test_two_uploads_racing_for_the_last_megabytes(world, settings, stored):
    """Two uploads at once, each fitting alone but not both: exactly one is kept (the
    conditional UPDATE on the usage counter), the other refused with nothing left over."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    settings.DOCUMENTS_QUOTA_MB_PUPIL = 1
    data = PDF + b"0" * (600 * 1024)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def upload(name: str) -> None:
        try:
            barrier.wait()
            services.document_upload(
                owner=world.pupil, folder=None, upload=SimpleUploadedFile(name, data)
            )
            outcomes.append("kept")
        except services.QuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(f"{n}.pdf",)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["kept", "refused"]
    assert Document.objects.count() == 1
    assert Usage.objects.get(person=world.pupil).used == len(data)
    assert stored() == [Document.objects.get().file.name]
