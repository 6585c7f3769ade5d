"""A school admin registers a connected service in a real browser; the registry pages and
the CAS refusal page have no serious or critical accessibility violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.sso.models import ConnectedService

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_school_admin_registers_a_service(
    page: Page, live_server: Any, world: Any, axe_check: Any
) -> None:
    """Login as the collège's admin → Services connectés → add → listed; the registry,
    refusal, warn and logout pages pass axe."""
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Services connectés").click()
    expect(page.get_by_role("heading", name="Services connectés (CAS)")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Ajouter un service").click()
    page.get_by_label("Nom du service").fill("Pronote")
    page.get_by_label("Adresses du service (expression régulière)").fill(r"^https://.*$")
    page.get_by_label("Ouvert à").select_option("school")
    page.get_by_label("Établissement").select_option(value=str(world.college.pk))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    page.get_by_label("Adresses du service (expression régulière)").fill(
        r"^https://pronote\.exemple\.fr/.*$"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name="Pronote", exact=True)).to_be_visible()
    assert ConnectedService.objects.get(name="Pronote").school == world.college
    page.goto(f"{live_server.url}/cas/login?service=https://attaquant.invalid/")
    expect(page.get_by_role("heading", name="Connexion au service refusée")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/cas/login?service=https://pronote.exemple.fr/app/&warn=true")
    expect(page.get_by_role("link", name="Continuer vers Pronote")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/cas/logout")
    expect(page.get_by_role("heading", name="Vous êtes déconnecté")).to_be_visible()
    axe_check(page)
