"""In a real browser: a teacher opens a hand-in folder for a homework of the cahier de
textes; two pupils hand in (one after the deadline); each sees only their own file; the
teacher sees who handed in, the late one flagged, and downloads the zip. A pupil also
uses their own space (folder, upload). Every page passes axe."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.documents import services
from ostal.documents.models import Document, HandIn
from ostal.documents.tests.conftest import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _hand_in_file(page: Page, path, name: str) -> None:
    file = path / name
    file.write_bytes(PDF)
    page.get_by_label("Fichiers à rendre").set_input_files(str(file))
    page.get_by_role("button", name="Rendre", exact=True).click()


def _scan_all_clean() -> None:
    for document in Document.objects.filter(scan=Document.Scan.PENDING):
        services.document_scan_record(document=document, infected=False)


def test_hand_in_from_teacher_to_pupils_and_back(
    page: Page, live_server, world, tmp_path, axe_check
):
    base = live_server.url
    _login(page, base, "prof")
    page.get_by_role("link", name="Documents").first.click()
    axe_check(page)
    page.get_by_role("link", name="Dépôts de devoirs").click()
    axe_check(page)
    deadline = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Titre").fill("Exposé sur les volcans")
    page.get_by_label("À rendre avant le").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Ouvrir le dépôt").click()
    expect(page.get_by_role("heading", name="Exposé sur les volcans")).to_be_visible()
    hand_in = HandIn.objects.get()

    _login(page, base, "eleve")
    page.goto(f"{base}/documents/depots/")
    page.get_by_role("link", name="Exposé sur les volcans").click()
    axe_check(page)
    _hand_in_file(page, tmp_path, "alice.pdf")
    expect(page.get_by_text("1 fichier rendu.")).to_be_visible()

    # the deadline passes just after Alice's hand-in
    alice = Document.objects.get()
    HandIn.objects.filter(pk=hand_in.pk).update(
        deadline=alice.created_at + timedelta(seconds=0.001)
    )
    _login(page, base, "autre.eleve")
    page.goto(f"{base}/documents/depots/{hand_in.pk}/")
    expect(page.get_by_text("La date limite est passée")).to_be_visible()
    _hand_in_file(page, tmp_path, "chloe.pdf")
    expect(page.get_by_text("1 fichier rendu (en retard).")).to_be_visible()
    expect(page.get_by_text("alice.pdf")).to_have_count(0)
    axe_check(page)
    _scan_all_clean()

    _login(page, base, "prof")
    page.goto(f"{base}/documents/depots/{hand_in.pk}/")
    expect(page.get_by_text("2 élèves sur 2 ont rendu leur travail.")).to_be_visible()
    expect(page.get_by_role("cell", name="Rendu en retard")).to_have_count(1)
    expect(page.get_by_role("cell", name="Rendu", exact=True)).to_have_count(1)
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tout télécharger (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert len(archive.namelist()) == 2

    _login(page, base, "eleve")
    page.goto(f"{base}/documents/")
    page.get_by_label("Nouveau dossier").fill("Sciences")
    page.get_by_role("button", name="Créer le dossier").click()
    page.get_by_role("link", name="Sciences").click()
    file = tmp_path / "notes.pdf"
    file.write_bytes(PDF)
    page.get_by_label("Fichiers à envoyer").set_input_files(str(file))
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_role("link", name="notes.pdf")).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("link", name="Corbeille").click()
    axe_check(page)


def test_a_big_folder_by_pages_at_320_px(page: Page, live_server, world, axe_check):
    """120 files at 50 a page: at 320 px wide, no sideways scroll; the pager goes to page
    2 and to the last page; the totals are in French."""
    now = timezone.now()
    Document.objects.bulk_create(
        [
            Document(
                owner=world.pupil,
                name=f"Fiche {n:03d}.pdf",
                file=f"documents/{world.pupil.pk}/e2e-{n}",
                size=1000,
                content_type="application/pdf",
                scan=Document.Scan.CLEAN,
                created_at=now,
                updated_at=now,
            )
            for n in range(120)
        ]
    )
    page.set_viewport_size({"width": 320, "height": 700})
    _login(page, live_server.url, "eleve")
    page.goto(f"{live_server.url}/documents/")
    expect(page.get_by_text("120 documents")).to_be_visible()
    expect(page.get_by_text("Page 1 sur 3").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    page.get_by_role("link", name="Page suivante").first.click()
    expect(page.get_by_text("Page 2 sur 3").first).to_be_visible()
    expect(page.get_by_role("link", name="Fiche 050.pdf", exact=True)).to_be_visible()
    page.get_by_role("link", name="Dernière page").first.click()
    expect(page.get_by_role("link", name="Fiche 119.pdf", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
