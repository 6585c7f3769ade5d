"""The personal space: folders, upload, download, rename, move, trash, restore, purge,
and the quota meter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ostal.documents import services
from ostal.documents.models import Document, Folder, Usage
from ostal.documents.quota import quota_of
from ostal.documents.tests.conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def _upload(person, name="cours.pdf", data=PDF, folder=None):
    return services.document_upload(
        owner=person, folder=folder, upload=SimpleUploadedFile(name, data)
    )


def _clean(document):
    services.document_scan_record(document=document, infected=False)
    document.refresh_from_db()
    return document


def test_upload_by_the_page_keeps_the_file_in_quarantine_and_counts_it(world, login, stored):
    """A pupil sends a PDF from the page: it is stored under a generated key, counted in
    the quota, listed, and in quarantine until the antivirus says clean."""
    client = login(world.pupil)
    response = client.post(
        "/documents/televerser/",
        {"folder": "", "files": [SimpleUploadedFile("Exposé.pdf", PDF)]},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.owner, document.name, document.size) == (world.pupil, "Exposé.pdf", len(PDF))
    assert document.content_type == "application/pdf"
    assert document.scan == Document.Scan.PENDING
    assert stored() == [document.file.name]
    assert document.file.name.startswith(f"documents/{world.pupil.pk}/")
    assert "Exposé" not in document.file.name
    assert Usage.objects.get(person=world.pupil).used == len(PDF)
    page = client.get("/documents/").content.decode()
    assert "Exposé.pdf" in page
    assert "1 fichier enregistré" in page
    assert 'id="doc-quota-meter"' in page and "sur 500 Mo" in page
    assert "en quarantaine" in page


def test_download_waits_for_the_antivirus_and_previews_only_images_and_pdf(world, login):
    """Pending: no download. Clean: downloaded as an attachment, shown in the page with
    ``?apercu=1`` only for images and PDF, with nosniff."""
    pdf = _upload(world.pupil)
    text = _upload(world.pupil, "notes.txt", b"Bonjour\n")
    client = login(world.pupil)
    response = client.get(f"/documents/fichiers/{pdf.pk}/telecharger/")
    assert response.status_code == 302
    _clean(pdf)
    _clean(text)
    response = client.get(f"/documents/fichiers/{pdf.pk}/telecharger/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    shown = client.get(f"/documents/fichiers/{pdf.pk}/telecharger/?apercu=1")
    assert shown["Content-Disposition"].startswith("inline")
    assert "sandbox" in shown["Content-Security-Policy"]
    text_shown = client.get(f"/documents/fichiers/{text.pk}/telecharger/?apercu=1")
    assert text_shown["Content-Disposition"].startswith("attachment")
    assert text_shown["Content-Type"] == "text/plain"


def test_folders_rename_and_move(world, login):
    """Folders are created, renamed, nested; files move between them; a folder cannot be
    moved into its own sub-folder."""
    client = login(world.teacher)
    client.post("/documents/dossiers/", {"folder": "", "name": "Cours"})
    cours = Folder.objects.get(owner=world.teacher)
    client.post("/documents/dossiers/", {"folder": cours.pk, "name": "4B"})
    sub = Folder.objects.get(parent=cours)
    document = _upload(world.teacher)
    client.post(f"/documents/fichiers/{document.pk}/deplacer/", {"target": sub.pk})
    client.post(f"/documents/fichiers/{document.pk}/renommer/", {"name": "Chapitre 1.pdf"})
    document.refresh_from_db()
    assert (document.folder, document.name) == (sub, "Chapitre 1.pdf")
    client.post(f"/documents/dossiers/{cours.pk}/renommer/", {"name": "Mes cours"})
    cours.refresh_from_db()
    assert cours.name == "Mes cours"
    response = client.post(
        f"/documents/dossiers/{cours.pk}/deplacer/", {"target": sub.pk}, follow=True
    )
    assert "dans lui-même" in response.content.decode()
    cours.refresh_from_db()
    assert cours.parent is None
    page = client.get(f"/documents/dossiers/{sub.pk}/").content.decode()
    assert "Chapitre 1.pdf" in page and "Mes cours" in page  # the path


def test_trash_restore_and_purge_after_30_days(world, login, stored):
    """Trashed things still count, are restored where they were (or to the root when their
    folder is trashed too), and are purged with their files after 30 days only."""
    folder = services.folder_create(owner=world.pupil, parent=None, name="Projet")
    inside = _upload(world.pupil, folder=folder)
    loose = _upload(world.pupil, "image.png", PNG)
    client = login(world.pupil)
    client.post(f"/documents/dossiers/{folder.pk}/corbeille/")
    client.post(f"/documents/fichiers/{loose.pk}/corbeille/")
    assert ">image.png</a>" not in client.get("/documents/").content.decode()
    trash_page = client.get("/documents/corbeille/").content.decode()
    assert "Projet" in trash_page and "image.png" in trash_page
    client.post(f"/documents/fichiers/{loose.pk}/restaurer/")
    loose.refresh_from_db()
    assert loose.trashed_at is None
    assert Usage.objects.get(person=world.pupil).used == len(PDF) + len(PNG)

    services.document_trash(owner=world.pupil, document=loose)
    assert services.trash_purge(now=timezone.now() + timedelta(days=29)) == 0
    purged = services.trash_purge(now=timezone.now() + timedelta(days=31))
    assert purged == 2
    assert not Document.objects.exists() and not Folder.objects.exists()
    assert Usage.objects.get(person=world.pupil).used == 0
    assert not Document.objects.filter(pk=inside.pk).exists()


def test_purged_files_leave_the_storage(world, stored, django_capture_on_commit_callbacks):
    """The files of purged documents are deleted from the storage once committed."""
    document = _upload(world.pupil)
    services.document_trash(owner=world.pupil, document=document)
    with django_capture_on_commit_callbacks(execute=True):
        services.trash_empty(owner=world.pupil)
    assert stored() == []
    assert quota_of(world.pupil).used == 0


def test_restore_into_a_trashed_folder_goes_to_the_root(world):
    """A file restored while its folder is still in the trash lands at the root."""
    folder = services.folder_create(owner=world.pupil, parent=None, name="Vieux")
    document = _upload(world.pupil, folder=folder)
    services.document_trash(owner=world.pupil, document=document)
    services.folder_trash(owner=world.pupil, folder=folder)
    services.document_restore(owner=world.pupil, document=document)
    document.refresh_from_db()
    assert document.folder is None and document.trashed_at is None


def test_quota_by_profile(world, settings):
    """Pupils 500 MB, parents 200 MB, staff 2 GB by default."""
    assert quota_of(world.pupil).limit == 500 * 1024 * 1024
    assert quota_of(world.parent).limit == 200 * 1024 * 1024
    assert quota_of(world.teacher).limit == 2048 * 1024 * 1024
    settings.DOCUMENTS_QUOTA_MB_PUPIL = 1
    assert quota_of(world.pupil).label == "0,0 Mo sur 1,0 Mo"


def test_an_empty_folder_name_is_refused(world):
    """A folder needs a name."""
    with pytest.raises(ValidationError, match="Donnez un nom"):
        services.folder_create(owner=world.pupil, parent=None, name="  \x00 ")
    assert not Folder.objects.exists()


def test_a_trashed_file_in_a_trashed_folder_is_given_back_once(world):
    """Emptying the trash frees each file's size once, even when the file and its folder
    were both trashed."""
    folder = services.folder_create(owner=world.pupil, parent=None, name="Vieux")
    document = _upload(world.pupil, folder=folder)
    kept = _upload(world.pupil, "garde.pdf")
    services.document_trash(owner=world.pupil, document=document)
    services.folder_trash(owner=world.pupil, folder=folder)
    assert services.trash_empty(owner=world.pupil) == 1
    assert Usage.objects.get(person=world.pupil).used == kept.size
    assert list(Document.objects.all()) == [kept]
