"""The principal appoints the school's responsable d'affectation in a real browser, from
« Mon établissement »; the pages pass axe and fit 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.gar.models import GarAppointment
from ostal.web.tests.e2e.test_persona_walk_browser import _fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_principal_appoints_then_ends_a_responsable(page: Page, live_server, world, axe_check):
    world.admin.academic_email = "helene.iglesias@ac-test.fr"
    world.admin.save(update_fields=["academic_email"])
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Mon établissement").first.click()
    page.get_by_role("link", name="Responsable et délégués d'affectation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rôles GAR")
    page.get_by_label("Personne (personnel de l'établissement)").select_option(str(world.admin.pk))
    page.get_by_label("Responsable d'affectation").check()
    page.get_by_role("button", name="Désigner").click()
    expect(page.get_by_text("est désigné(e) responsable d'affectation")).to_be_visible()
    axe_check(page)
    _fits(page, "GAR roles")
    page.set_viewport_size({"width": 320, "height": 800})
    _fits(page, "GAR roles at 320 px")
    page.get_by_role("link", name="Mettre fin à la désignation").click()
    axe_check(page)
    page.get_by_role("button", name="Confirmer : mettre fin").click()
    expect(page.get_by_text("a pris fin")).to_be_visible()
    appointment = GarAppointment.objects.get()
    assert appointment.ended_by_id == world.admin.pk
