"""In a real browser: a school admin finds a locked pupil, unlocks them and prints a new
letter; the same on another school's pupil is 404; axe passes on every page, and the
pages fit 320 px (tables scroll in their own region). The RGPD pages too."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from ostal.administration import selectors
from ostal.administration.tests.conftest import lock_out
from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.core.rgpd import declarations
from ostal.web.tests.e2e.test_reflow_browser import _REFLOW_JS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def fits_320(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    found: dict[str, Any] = page.evaluate(_REFLOW_JS)
    assert found["scroll"] <= found["client"], (page.url, found)
    assert not found["loose"], (page.url, found["loose"])
    page.set_viewport_size({"width": 1280, "height": 800})


def test_admin_unlocks_a_locked_pupil_and_prints_a_letter(
    page: Page, live_server, world, axe_check
):
    cache.clear()
    lock_out(world.pupil.username)
    lock_out(world.sibling.username)
    base = live_server.url
    sign_in(page, base, "admin")

    page.get_by_role("link", name="Administration", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Administration")
    expect(page.get_by_text("1 compte est verrouillé")).to_be_visible()
    axe_check(page)
    fits_320(page)

    page.get_by_role("link", name="Voir les comptes verrouillés").click()
    expect(page.get_by_role("table")).to_contain_text("Durand Alice")
    axe_check(page)
    fits_320(page)
    page.get_by_role("link", name="Durand Alice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte d'Alice Durand")
    expect(page.get_by_text("Verrouillée après trop d'échecs de connexion")).to_be_visible()
    axe_check(page)
    fits_320(page)

    page.get_by_role("button", name="Déverrouiller le compte").click()
    expect(page.get_by_role("status")).to_contain_text("est déverrouillé")
    expect(page.get_by_text("Non verrouillée")).to_be_visible()
    axe_check(page)
    assert not selectors.is_locked(world.pupil)

    page.get_by_role("link", name="Nouveau code d'activation").click()
    page.get_by_role("button", name="Confirmer : créer un nouveau code").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la lettre d'activation (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "lettre-activation-eleve.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    kinds = set(
        SecurityEvent.objects.filter(actor=world.admin, subject=world.pupil).values_list(
            "kind", flat=True
        )
    )
    assert {"account_changed", "letters_printed"} <= kinds

    # another school's pupil: the same console pages answer 404
    for url in (
        reverse("administration:account", args=[world.college.pk, world.sibling.pk]),
        reverse("administration:accounts", args=[world.lycee.pk]),
        reverse("accounts:letter_person", args=[world.sibling.pk]),
    ):
        response = page.goto(f"{base}{url}")
        assert response is not None and response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)
    assert selectors.is_locked(world.sibling)


def test_the_rgpd_pages_are_accessible(page: Page, live_server, db, axe_check):
    base = live_server.url
    page.goto(f"{base}{reverse('web:accessibility')}")
    page.get_by_role("link", name="Données personnelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Données personnelles")
    axe_check(page)
    fits_320(page)
    first = declarations().processings[0]
    page.get_by_role("link", name=str(first.name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(first.name))
    axe_check(page)
    fits_320(page)
    for name in ("rgpd:legal", "rgpd:cookies"):
        page.goto(f"{base}{reverse(name)}")
        axe_check(page)
        fits_320(page)
