"""The agenda in a real browser: the teacher reaches it from the menu, adds a weekly event
to their class's calendar; the pupil finds it in their coming days next to their courses,
at 320 px without sideways scroll. Every page passes axe (serious, critical, contrast)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.agenda.models import Event
from ostal.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_teacher_adds_a_class_event_the_pupil_sees_it(
    page: Page, live_server, schoolday, axe_check
) -> None:
    """Menu « Agenda » → form → event page; then the pupil's agenda at 320 px."""
    base = live_server.url
    _login(page, base, "prof")
    page.get_by_role("link", name="Agenda", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda du")
    axe_check(page)
    page.get_by_role("link", name="Ajouter un événement").first.click()
    axe_check(page)
    page.locator("#id_calendar").select_option(label="Classe 4B")
    page.locator("#id_title").fill("Atelier <script>alert(1)</script> théâtre")
    page.locator("#id_start_date").fill("2026-11-26")
    page.locator("#id_start_time").fill("14:00")
    page.locator("#id_end_time").fill("16:00")
    page.locator("#id_repeat").select_option(label="Toutes les semaines")
    page.locator("#id_until").fill("2026-12-17")
    page.get_by_role("button", name="Enregistrer l'événement").click()
    expect(page.get_by_text("Événement enregistré.")).to_be_visible()
    axe_check(page)
    assert Event.objects.get().rrule == "FREQ=WEEKLY;UNTIL=20261217T235959"

    _login(page, base, "eleve")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{base}/agenda/")
    expect(page.get_by_text("Atelier <script>alert(1)</script> théâtre").first).to_be_visible()
    expect(page.get_by_text("Français").first).to_be_visible()
    axe_check(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
