"""Only the owner reads, lists, downloads or changes their files and folders, through the
pages and the API alike: another person gets a 404, as for an id that does not exist."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.directory.models import Profile
from ostal.documents import services
from ostal.documents.models import Document, Folder
from ostal.documents.tests.conftest import PDF

pytestmark = pytest.mark.django_db

OTHERS = ["sibling", "parent", "other_pupil", "other_parent", "teacher", "admin", "other_admin"]


@pytest.fixture
def owned(world):
    folder = services.folder_create(owner=world.pupil, parent=None, name="Privé")
    document = services.document_upload(
        owner=world.pupil, folder=folder, upload=SimpleUploadedFile("journal.pdf", PDF)
    )
    services.document_scan_record(document=document, infected=False)
    trashed = services.document_upload(
        owner=world.pupil, folder=None, upload=SimpleUploadedFile("vieux.pdf", PDF)
    )
    services.document_trash(owner=world.pupil, document=trashed)
    return folder, document, trashed


@pytest.mark.parametrize("persona", OTHERS)
def test_pages_answer_404_to_anyone_but_the_owner(world, login, owned, persona):
    """Folder, file, download and every action by id: 404, and nothing changes."""
    folder, document, trashed = owned
    client = login(world.persona(persona))
    for url in [
        f"/documents/dossiers/{folder.pk}/",
        f"/documents/fichiers/{document.pk}/",
        f"/documents/fichiers/{document.pk}/telecharger/",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"/documents/dossiers/{folder.pk}/renommer/", {"name": "x"}),
        (f"/documents/dossiers/{folder.pk}/corbeille/", {}),
        (f"/documents/fichiers/{document.pk}/renommer/", {"name": "x"}),
        (f"/documents/fichiers/{document.pk}/corbeille/", {}),
        (f"/documents/fichiers/{document.pk}/supprimer/", {}),
        (f"/documents/fichiers/{trashed.pk}/restaurer/", {}),
        ("/documents/dossiers/", {"folder": folder.pk, "name": "intrus"}),
        (
            "/documents/televerser/",
            {"folder": folder.pk, "files": [SimpleUploadedFile("a.pdf", PDF)]},
        ),
    ]:
        assert client.post(url, data).status_code == 404, url
    document.refresh_from_db()
    folder.refresh_from_db()
    assert (document.name, document.trashed_at, folder.name) == ("journal.pdf", None, "Privé")
    assert Document.objects.count() == 2 and Folder.objects.count() == 1
    own = client.get("/documents/").content.decode()
    assert "journal.pdf" not in own and "Privé" not in own
    assert "vieux.pdf" not in client.get("/documents/corbeille/").content.decode()


@pytest.mark.parametrize("persona", OTHERS)
def test_api_answers_404_to_anyone_but_the_owner(world, bearer, owned, persona):
    """List, details, download, rename, move, trash, restore by id: 404; the own listing
    does not show them."""
    folder, document, trashed = owned
    client = bearer(world.persona(persona))
    for url in [
        f"/api/v1/documents/?dossier={folder.pk}",
        f"/api/v1/documents/dossiers/{folder.pk}/",
        f"/api/v1/documents/fichiers/{document.pk}/",
        f"/api/v1/documents/fichiers/{document.pk}/contenu/",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.patch(
            f"/api/v1/documents/fichiers/{document.pk}/",
            {"name": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/documents/dossiers/{folder.pk}/",
            {"name": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/documents/fichiers/{document.pk}/").status_code == 404
    assert client.delete(f"/api/v1/documents/dossiers/{folder.pk}/").status_code == 404
    assert client.post(f"/api/v1/documents/fichiers/{trashed.pk}/restaurer/").status_code == 404
    upload = client.generic(
        "POST", f"/api/v1/documents/fichiers/?nom=a.pdf&dossier={folder.pk}", PDF,
        content_type="application/pdf",
    )  # fmt: skip
    assert upload.status_code == 404
    listing = client.get("/api/v1/documents/").json()
    assert listing["documents"] == [] and listing["folders"] == []
    assert client.get("/api/v1/documents/corbeille/").json()["documents"] == []
    document.refresh_from_db()
    assert (document.name, document.trashed_at) == ("journal.pdf", None)
    assert Document.objects.count() == 2


def test_anonymous_is_sent_to_login_or_401(client, owned):
    """No session: the pages send to the login, the API answers 401."""
    folder, document, _ = owned
    response = client.get(f"/documents/fichiers/{document.pk}/telecharger/")
    assert response.status_code == 302 and "/comptes/" in response["Location"]
    assert client.get("/api/v1/documents/").status_code == 401
    assert client.get(f"/api/v1/documents/fichiers/{document.pk}/contenu/").status_code == 401


def test_guests_have_no_space_and_no_menu(world, login):
    """A guest account sees no « Documents » menu entry and gets 404 on the pages."""
    guest = factories.PersonFactory(profile=Profile.GUEST, username="invite", password=PASSWORD)
    guest.state = guest.State.ACTIVE
    guest.save()
    client = login(guest)
    assert client.get("/documents/").status_code == 404
    assert 'href="/documents/"' not in client.get("/").content.decode()
    pupil_home = login(world.pupil).get("/").content.decode()
    assert 'href="/documents/"' in pupil_home


def test_owner_uses_the_api_end_to_end(world, bearer):
    """The owner lists, creates a folder, uploads into it, renames, moves, downloads once
    clean, trashes and restores through the API."""
    client = bearer(world.pupil)
    created = client.post(
        "/api/v1/documents/dossiers/", {"name": "Maths"}, content_type="application/json"
    )
    assert created.status_code == 201
    folder_id = created.json()["id"]
    up = client.generic(
        "POST", f"/api/v1/documents/fichiers/?nom=Exercice.pdf&dossier={folder_id}", PDF,
        content_type="application/pdf",
    )  # fmt: skip
    assert up.status_code == 201
    body = up.json()
    assert (body["name"], body["folder"], body["scan"], body["download"]) == (
        "Exercice.pdf", folder_id, "pending", None,
    )  # fmt: skip
    doc_id = body["id"]
    assert client.get(f"/api/v1/documents/fichiers/{doc_id}/contenu/").status_code == 409
    services.document_scan_record(document=Document.objects.get(pk=doc_id), infected=False)
    listing = client.get(f"/api/v1/documents/dossiers/{folder_id}/").json()
    assert [d["name"] for d in listing["documents"]] == ["Exercice.pdf"]
    assert listing["quota"] == {"used": len(PDF), "limit": 500 * 1024 * 1024}
    download = client.get(listing["documents"][0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    renamed = client.patch(
        f"/api/v1/documents/fichiers/{doc_id}/", {"name": "Ex 1.pdf", "folder": None},
        content_type="application/json",
    )  # fmt: skip
    assert renamed.json()["name"] == "Ex 1.pdf" and renamed.json()["folder"] is None
    bad = client.patch(
        f"/api/v1/documents/fichiers/{doc_id}/", {"name": ".."}, content_type="application/json"
    )
    assert bad.status_code == 400 and "nom du fichier" in str(bad.json())
    assert client.delete(f"/api/v1/documents/fichiers/{doc_id}/").status_code == 204
    assert [d["id"] for d in client.get("/api/v1/documents/corbeille/").json()["documents"]] == [
        doc_id
    ]
    assert client.post(f"/api/v1/documents/fichiers/{doc_id}/restaurer/").status_code == 200
    assert Document.objects.get(pk=doc_id).trashed_at is None


def test_listing_costs_the_same_queries_for_many_files(world, login, django_assert_max_num_queries):
    """The folder page's queries do not grow with its number of files."""
    for n in range(30):
        services.document_upload(
            owner=world.pupil, folder=None, upload=SimpleUploadedFile(f"f{n}.pdf", PDF)
        )
    client = login(world.pupil)
    client.get("/documents/")
    with django_assert_max_num_queries(12):
        response = client.get("/documents/")
    assert response.content.decode().count("/telecharger/") == 0  # all still in quarantine
    assert response.content.decode().count("f1") >= 1
