"""Vie scolaire manages its school's motives in a real browser at 320 px: from the
dashboard, a duplicate is refused in French, a new motive is added, edited, then
deactivated. Every page passes axe and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.directory.models import Profile
from ostal.vie_scolaire.models import Motive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways: {width}px"


def test_vie_scolaire_manages_the_motives_on_a_phone(
    page: Page, live_server, world, axe_check
) -> None:
    factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="cpe",
        first_name="Karim",
        last_name="Lefèvre",
        password=PASSWORD,
    )
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("cpe")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{base}/vie-scolaire/")
    page.get_by_role("link", name="Gérer les motifs d'absence et de retard").click()
    expect(page.get_by_role("heading", name="Motifs de l'établissement")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)

    page.get_by_label("Libellé").fill("infirmerie")
    page.get_by_role("button", name="Ajouter le motif").click()
    expect(page.get_by_role("alert")).to_contain_text("existe déjà pour ce type")
    axe_check(page)

    page.get_by_label("Libellé").fill("Convocation au tribunal")
    page.get_by_label("Justifie à lui seul").check()
    page.get_by_role("button", name="Ajouter le motif").click()
    expect(page.get_by_text("Motif « Convocation au tribunal » ajouté.")).to_be_visible()
    page.get_by_role("link", name="Modifier « Convocation au tribunal » (absence)").click()
    axe_check(page)
    _no_sideways_scroll(page)
    page.get_by_label("Proposé aux parents").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Motif enregistré.")).to_be_visible()
    page.get_by_role("link", name="Modifier « Convocation au tribunal » (absence)").click()
    page.get_by_role("button", name="Désactiver ce motif").click()
    expect(page.get_by_text("Motif désactivé.")).to_be_visible()
    motive = Motive.objects.get(school=world.college, label="Convocation au tribunal")
    assert motive.proving and motive.parents_may_choose and not motive.active
