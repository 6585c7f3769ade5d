"""The "where are you from" page in a real browser: reachable from the login page, each
way in by profile and académie, no serious or critical accessibility violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_member_finds_their_academie_portal(page: Page, live_server, saml, axe_check):
    """The page lists EduConnect, Montpellier's portal, Toulouse's (unavailable: no
    metadata) and the Ostal login, which it links to."""
    page.goto(f"{live_server.url}/saml2/choix/?next=/compte/")
    expect(page.get_by_role("heading", name="Comment vous connecter ?", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Élève ou parent d'élève")).to_be_visible()
    expect(
        page.get_by_role(
            "link",
            name="Personnels de l'académie de Montpellier : Portail des personnels de l'académie de Montpellier",
        )
    ).to_be_visible()
    expect(
        page.get_by_text(
            "Portail des personnels de l'académie de Toulouse : connexion momentanément indisponible."
        )
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Se connecter avec un identifiant Ostal").click()
    expect(page).to_have_url(f"{live_server.url}/comptes/connexion/?next=%2Fcompte%2F")
