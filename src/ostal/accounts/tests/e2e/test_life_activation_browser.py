"""A pupil activates their account in a real browser with the code of their letter; the
activation page and the password step have no serious or critical accessibility
violations, errors included."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from ostal.directory.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_pupil_activates_their_account_in_the_browser(page: Page, live_server, world, axe_check):
    """Letter code → password + charter → logged in on the home page; code cleared."""
    cache.clear()
    Person.objects.filter(pk=world.pupil.pk).update(
        state=Person.State.TO_ACTIVATE, activation_code="KLMNP23456", password="!"
    )
    page.goto(f"{live_server.url}/comptes/activation/")
    expect(page.get_by_role("heading", name="Activer mon compte")).to_be_visible()
    axe_check(page)

    page.get_by_label("Identifiant").fill("eleve")
    page.get_by_label("Code d'activation").fill("klmnp-00000")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("code d'activation incorrect")
    axe_check(page)

    page.get_by_label("Code d'activation").fill("klmnp-23456")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Choisir mon mot de passe")).to_be_visible()
    axe_check(page)

    page.get_by_label("Mot de passe", exact=True).fill("KLMNP23456")
    page.get_by_label("Confirmez le mot de passe").fill("KLMNP23456")
    page.get_by_label("J'ai lu la charte").check()
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("ne peut pas servir de mot de passe").first).to_be_visible()
    axe_check(page)

    page.get_by_label("Mot de passe", exact=True).fill("Vélo-bleu-du-jardin")
    page.get_by_label("Confirmez le mot de passe").fill("Vélo-bleu-du-jardin")
    page.get_by_label("J'ai lu la charte").check()
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_text("Votre compte est activé")).to_be_visible()
    assert page.url.rstrip("/") == live_server.url

    pupil = Person.objects.get(pk=world.pupil.pk)
    assert pupil.state == Person.State.ACTIVE and pupil.activation_code == ""
    assert pupil.check_password("Vélo-bleu-du-jardin")
