"""The vie scolaire journey in a real browser at 360 px: the teacher calls the roll of a
class of 35 (two absent, one late) and validates; the parent of an absent pupil justifies
online; vie scolaire accepts; the family sees it regularised. Every page passes axe and
nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.directory.models import Profile
from ostal.vie_scolaire.models import Event, EventKind, Justification, Register
from ostal.vie_scolaire.tests.conftest import MONDAY

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways: {width}px"


def test_roll_call_justification_and_acceptance(
    page: Page, live_server, schoolday, axe_check
) -> None:
    world = schoolday.world
    for n in range(33):  # 35 pupils with Alice and Chloé
        factories.pupil(school_class=world.class_4b, last_name=f"Zeleve{n:02d}", first_name="Léa")
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
    page.set_viewport_size({"width": 360, "height": 740})

    _login(page, base, "prof")
    page.goto(f"{base}/vie-scolaire/?date={MONDAY}")
    axe_check(page)
    page.get_by_role("link", name="Faire l'appel (Mathématiques, 08:00)").click()
    expect(page.get_by_role("status").filter(has_text="35 élèves")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)
    page.get_by_role("group", name="Durand Alice").get_by_label("Absent").check()
    page.get_by_role("group", name="Zeleve07 Léa").get_by_label("Absent").check()
    chloe = page.get_by_role("group", name="Petit Chloé")
    chloe.get_by_label("Retard", exact=True).check()
    chloe.get_by_label("Minutes de retard").fill("10")
    page.get_by_role("button", name="Valider l'appel").click()
    expect(page.get_by_text("Appel validé.")).to_be_visible()
    register = Register.objects.get()
    assert register.locked
    assert Event.objects.filter(kind=EventKind.ABSENCE).count() == 2
    assert Event.objects.get(kind=EventKind.LATENESS).late_minutes == 10

    _login(page, base, "parent")
    page.goto(f"{base}/vie-scolaire/")
    expect(page.get_by_role("heading", name="Alice Durand")).to_be_visible()
    axe_check(page)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Justifier (le 23 novembre)").click()
    axe_check(page)
    page.get_by_label("Motif").select_option(label="Maladie sans certificat")
    page.get_by_label("Commentaire (facultatif)").fill("Fièvre depuis dimanche.")
    page.get_by_role("button", name="Envoyer le justificatif").click()
    expect(page.get_by_text("Justificatif envoyé à la vie scolaire.")).to_be_visible()
    expect(page.get_by_text("Justificatif en attente")).to_be_visible()

    _login(page, base, "cpe")
    page.goto(f"{base}/vie-scolaire/")
    axe_check(page)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Alice Durand, le 23 novembre").click()
    expect(page.get_by_text("Fièvre depuis dimanche.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Justificatif accepté.")).to_be_visible()
    assert Justification.objects.get().state == Justification.State.ACCEPTED

    _login(page, base, "parent")
    page.goto(f"{base}/vie-scolaire/")
    expect(page.get_by_text("Régularisée · Maladie sans certificat")).to_be_visible()
    axe_check(page)
