"""End to end in a real browser: a parent logs in, reads the home page and switches child;
the login and home pages have no serious or critical accessibility violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_parent_logs_in_and_switches_child(page: Page, live_server, world, axe_check):
    """Login → home (first child) → switch to the second child in another school."""
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/comptes/connexion/"))
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    axe_check(page)

    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Bonjour Diane Durand")).to_be_visible()
    expect(page.get_by_role("heading", name="Scolarité d'Alice")).to_be_visible()
    axe_check(page)

    page.get_by_label("Enfant affiché").select_option(value=str(world.sibling.pk))
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", name="Scolarité de Bruno")).to_be_visible()
    expect(page.get_by_role("heading", name="Classe de 2NDE1")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Enfant affiché : Bruno Durand")
    axe_check(page)


def test_wrong_password_shows_the_generic_error_accessibly(
    page: Page, live_server, world, axe_check
):
    """A failed login shows the generic error as an alert, and the page stays accessible."""
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill("wrong")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text("Identifiant ou mot de passe incorrect")
    axe_check(page)


def log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour Diane Durand")).to_be_visible()


def test_keyboard_users_can_skip_to_content(page: Page, live_server, world):
    """On a page, the first Tab reaches the skip link, which moves focus to the main content."""
    log_in(page, live_server)
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_home_fits_a_phone_screen(page: Page, live_server, world):
    """On a 360 px wide phone the home page has no horizontal scroll."""
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
