"""A message followed in a real browser: a parent searches a recipient the rules allow,
writes about their child, attaches a PDF and sends; the attachment is scanned by a real
clamd (fixture ``clamd``; jobs run inline); the teacher reads the message in their inbox,
downloads the attachment and replies. Every messaging page passes axe without serious or
critical violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.messaging.models import Attachment, Delivery, Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_parent_writes_teacher_reads_and_replies(
    page: Page, live_server, mw, axe_check, settings, tmp_path, clamd
) -> None:
    """Parent: search → compose about a child, with an attachment → send (the antivirus
    scans it); teacher: inbox → read → download the attachment → reply."""
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    _login(page, base, "parent")
    page.goto(f"{base}/messagerie/")
    axe_check(page)
    page.get_by_role("link", name="Écrire un message").click()
    axe_check(page)
    page.get_by_label("Rechercher un destinataire").fill("Garcia")
    page.get_by_role("group", name="Destinataires").get_by_role("button", name="Rechercher").click()
    page.get_by_label("Franck Garcia – professeur de mathématiques, 4B").check()
    page.get_by_label("Objet").fill("Absence de vendredi")
    page.get_by_label("Élève concerné").select_option(label="Alice Durand")
    page.get_by_label("Message", exact=True).fill("Alice sera absente vendredi matin.")
    page.get_by_label("Pièces jointes").set_input_files(
        {"name": "justificatif.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Message envoyé à 1 destinataire.")).to_be_visible()
    axe_check(page)
    message = Message.objects.get(subject="Absence de vendredi")
    assert message.about_pupil.username == "eleve"

    _login(page, base, "prof")
    page.goto(f"{base}/messagerie/")
    expect(page.get_by_text("1 message non lu.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Absence de vendredi").click()
    expect(page.get_by_text("Concerne : Alice Durand")).to_be_visible()
    expect(page.get_by_text("Alice sera absente vendredi matin.")).to_be_visible()
    axe_check(page)
    assert Delivery.objects.get(message=message).read_at is not None
    attachment = message.attachments.get()
    assert attachment.scan == Attachment.Scan.CLEAN  # scanned by clamd when sent
    expect(page.get_by_text("En attente d'analyse antivirus")).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="justificatif.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "justificatif.pdf"
    assert Path(download.path()).read_bytes() == PDF
    page.get_by_role("link", name="Répondre", exact=True).click()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Message envoyé à 1 destinataire.")).to_be_visible()
    assert Delivery.objects.filter(
        message__subject="RE : Absence de vendredi", recipient__username="parent"
    ).exists()


def test_admin_pages_pass_axe(page: Page, live_server, mw, axe_check) -> None:
    """The rules matrix and the freeze page are accessible; the freeze banner shows."""
    base = live_server.url
    _login(page, base, "admin")
    page.goto(f"{base}/messagerie/regles/")
    expect(
        page.get_by_role("heading", name="Règles de communication — Collège Test")
    ).to_be_visible()
    axe_check(page)
    page.goto(f"{base}/messagerie/gel/")
    axe_check(page)
    page.get_by_label("Motif du gel").fill("Maintenance")
    page.get_by_role("button", name="Geler la messagerie").click()
    expect(page.get_by_role("alert")).to_contain_text("Messagerie en lecture seule")
    axe_check(page)


def test_refused_send_errors_are_tied_to_their_fields(
    page: Page, live_server, mw, axe_check
) -> None:
    """A refused send lists every error at the top, each link leads to its field, which
    is invalid and described by its error; axe passes on the error state."""
    base = live_server.url
    _login(page, base, "parent")
    page.goto(f"{base}/messagerie/ecrire/")
    page.get_by_label("Message", exact=True).fill("Bonjour")
    page.get_by_role("button", name="Envoyer").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Le message n'a pas été envoyé.")
    expect(alert).to_contain_text("Corrigez les 2 erreurs suivantes")
    axe_check(page)
    alert.get_by_role("link", name="Objet : L'objet du message est obligatoire.").click()
    subject = page.get_by_label("Objet")
    expect(subject).to_be_focused()
    expect(subject).to_have_attribute("aria-invalid", "true")
    expect(subject).to_have_accessible_description("L'objet du message est obligatoire.")
    assert Message.objects.filter(author=mw.world.parent, sent_at__isnull=True).count() == 1
