"""Message search in a real browser: the box of the folders' menu, the results page, the
sender filter and the pages pass axe without serious or critical violations."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.messaging.models import Delivery, Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pupil_finds_a_message_without_accents(page: Page, live_server, mw, axe_check) -> None:
    w = mw.world
    now = timezone.now()
    for author, subject in ((w.teacher, "Sortie au musée"), (mw.cpe, "Retard au musée")):
        message = Message.objects.create(author=author, subject=subject, sent_at=now)
        Delivery.objects.create(message=message, recipient=w.pupil, sent_at=now)
    base = live_server.url
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("eleve")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base}/messagerie/")
    page.get_by_label("Rechercher dans mes messages").fill("MUSEE")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Rechercher dans mes messages")).to_be_visible()
    expect(page.get_by_role("link", name="Sortie au musée")).to_be_visible()
    expect(page.get_by_role("link", name="Retard au musée")).to_be_visible()
    axe_check(page)
    page.get_by_label("Expéditeur (facultatif)").fill("lopez")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Retard au musée")).to_be_visible()
    expect(page.get_by_role("link", name="Sortie au musée")).to_have_count(0)
    page.get_by_label("Mots à chercher (objet et texte)").fill("*** (((")
    page.get_by_label("Expéditeur (facultatif)").fill("")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("alert")).to_contain_text("ne contient aucun mot à chercher")
    axe_check(page)
