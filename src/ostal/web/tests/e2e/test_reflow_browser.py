"""Reflow (RGAA 10.11): at 320 CSS px nothing scrolls sideways except a data table, which
scrolls inside its own container (a labelled region that takes focus); the menu folds
into a disclosure on a phone and at 200 % zoom, so the page's heading is on the first
screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.messaging import services as messaging
from ostal.pilotage.tests.conftest import groupement  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Outside table containers, how far the page reaches right, and the tables that are not
# inside a focusable, labelled scrolling region.
_REFLOW_JS = """() => {
  const html = document.documentElement;
  const loose = [...document.querySelectorAll('main table')].filter((t) => {
    const box = t.closest('.table-scroll');
    return !box || box.getAttribute('tabindex') !== '0' || !box.getAttribute('aria-label')
      || getComputedStyle(box).overflowX !== 'auto';
  }).map((t) => t.caption ? t.caption.textContent.trim() : t.outerHTML.slice(0, 60));
  return {scroll: html.scrollWidth, client: html.clientWidth, loose};
}"""


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _assert_reflows(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    found: dict[str, Any] = page.evaluate(_REFLOW_JS)
    assert found["scroll"] <= found["client"], (url, found)
    assert not found["loose"], (url, found["loose"])


def test_pages_fit_320_px_outside_their_tables(
    page: Page,
    live_server,
    world,
    groupement,  # noqa: F811
    axe_check,
) -> None:
    """Communication rules, security log, sessions, import reports, CAS services, inbox,
    homework load, statistics, convention, orders and deployment: no sideways scroll at
    320 px; their tables scroll in a labelled, focusable container; axe passes."""
    base = live_server.url
    groupement.order()
    messaging.message_send(
        sender=world.teacher,
        targets=[f"p:{world.parent.pk}"],
        subject="Réunion parents-professeurs du deuxième trimestre",
        body="Jeudi à 18 h.",
        about_pupil=world.pupil,
    )
    page.set_viewport_size({"width": 320, "height": 640})
    pages = {
        world.admin.username: [
            "/messagerie/regles/",
            "/comptes/journal/",
            "/comptes/sessions/",
            "/annuaire/imports/",
            "/cas/services/",
        ],
        world.parent.username: ["/messagerie/"],
        world.teacher.username: [f"/cahier-de-textes/classe/{world.class_4b.pk}/charge/"],
        groupement.coordinator.username: [
            "/pilotage/statistiques/",
            "/pilotage/convention/",
            "/pilotage/commandes/",
            "/pilotage/deploiement/",
        ],
    }
    for username, paths in pages.items():
        _log_in(page, base, username)
        for path in paths:
            _assert_reflows(page, base + path)
            axe_check(page)
    # the rules matrix is wider than the phone: it scrolls inside its region, not the page
    _log_in(page, base, world.admin.username)
    page.goto(f"{base}/messagerie/regles/")
    region = page.get_by_role("region", name="Qui peut écrire à qui")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")  # the keyboard scrolls it (smoothly: wait for it)
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())


def test_the_menu_folds_on_a_phone(page: Page, live_server, world) -> None:
    """At 360 px the services menu is a closed disclosure that opens on activation; at
    1280 px it is a bar; at 360 px and at 200 % zoom the page's heading is on the first
    screen."""
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, base, world.parent.username)
    nav = page.get_by_role("navigation", name="Services")
    toggle = nav.locator("summary")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    expect(nav.get_by_role("link", name="Messagerie")).to_be_hidden()
    heading = page.get_by_role("heading", level=1)
    assert heading.bounding_box()["y"] < 740 / 2  # type: ignore[index]
    toggle.click()
    expect(nav.get_by_role("link", name="Messagerie")).to_be_visible()
    expect(nav.locator("details")).to_have_attribute("open", "")
    nav.get_by_role("link", name="Messagerie").click()
    expect(page.get_by_role("heading", name="Boîte de réception")).to_be_visible()
    expect(nav.get_by_role("link", name="Messagerie")).to_be_hidden()  # closed again

    page.set_viewport_size({"width": 640, "height": 360})  # 1280 × 720 at 200 % zoom
    page.goto(f"{base}/")
    expect(toggle).to_be_visible()
    expect(nav.get_by_role("link", name="Messagerie")).to_be_hidden()
    assert heading.bounding_box()["y"] < 360  # type: ignore[index]

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(toggle).to_be_hidden()
    expect(nav.get_by_role("link", name="Messagerie")).to_be_visible()


def test_the_accessibility_statement_is_one_click_away(page: Page, live_server, axe_check) -> None:
    """From the login page's footer, a visitor opens the statement, which passes axe and
    fits a 320 px screen."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibilité : non conforme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.get_by_role("heading", name="Voies de recours")).to_be_visible()
    _assert_reflows(page, page.url)
    axe_check(page)
