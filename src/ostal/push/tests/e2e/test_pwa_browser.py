"""End to end in Chromium: Ostal is installable (the browser's own installability checks
report no error), a parent goes offline and still reads the last timetable with the
offline banner, and after logout the offline caches hold nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD, World
from ostal.directory.models import Subject
from ostal.timetable.tests.conftest import make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CACHED_PAGES = """async () => {
  const out = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) out.push(new URL(request.url).pathname);
  }
  return out;
}"""


def _course(world: World) -> None:
    maths = Subject.objects.get(code="061300")
    make_course(world, weekday=3, start="08:00", end="09:00", subject=maths)


@pytest.fixture
def profile_page(
    browser_type: Any, browser_type_launch_args: dict[str, Any], tmp_path: Any
) -> Iterator[Page]:
    """A page of a browser profile on disk: Chromium never offers to install an app from
    an incognito context, which is what Playwright's ordinary contexts are."""
    context = browser_type.launch_persistent_context(
        str(tmp_path / "profile"), **browser_type_launch_args
    )
    page = context.pages[0] if context.pages else context.new_page()
    yield page
    context.close()


def test_installable_offline_timetable_and_nothing_left_after_logout(
    school_week_clock: Any, profile_page: Page, live_server: Any, world: World, axe_check: Any
) -> None:
    """Install checks pass; offline, the parent's last timetable still reads, with the
    banner; after logout, ``caches.keys()`` is empty."""
    page = profile_page
    _course(world)
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour Diane Durand")).to_be_visible()

    # The service worker takes control of the site.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest.get("errors", []) == []
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    # Read the timetable online (through the menu): the service worker keeps it.
    page.goto(f"{live_server.url}/emploi-du-temps/")
    expect(
        page.get_by_role("heading", name=re.compile("La semaine de mes enfants"))
    ).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_hidden()
    page.wait_for_function(
        f"({CACHED_PAGES})().then((p) => p.includes('/emploi-du-temps/famille/'))"
    )

    # The homework list and the inbox are kept the same way.
    page.goto(f"{live_server.url}/cahier-de-textes/")
    page.goto(f"{live_server.url}/messagerie/")
    page.wait_for_function(
        f"({CACHED_PAGES})().then((p) => p.includes('/cahier-de-textes/')"
        " && p.includes('/messagerie/'))"
    )

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/emploi-du-temps/")
    expect(
        page.get_by_role("heading", name=re.compile("La semaine de mes enfants"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Alice Durand"))).to_be_visible()
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text("Hors ligne")
    axe_check(page)
    # A page that was never kept: the offline page, which names nobody.
    page.goto(f"{live_server.url}/messagerie/")
    expect(page.locator("#offline-banner")).to_be_visible()
    page.goto(f"{live_server.url}/etablissement/")
    expect(page.get_by_role("heading", name="Hors ligne")).to_be_visible()
    page.context.set_offline(False)

    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("load")
    page.wait_for_function(f"({CACHED_PAGES})().then((p) => p.length === 0)")
    assert page.evaluate("caches.keys()") == []


def test_devices_page_is_accessible(
    page: Page, live_server: Any, world: World, axe_check: Any
) -> None:
    """The devices page (reached from « Mon compte ») passes axe."""
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Mon compte").first.click()
    page.get_by_role("link", name="Mes appareils qui reçoivent les notifications").click()
    expect(page.get_by_role("heading", name="Notifications sur mes appareils")).to_be_visible()
    expect(
        page.get_by_role("button", name="Recevoir les notifications sur cet appareil")
    ).to_be_visible()
    axe_check(page)
