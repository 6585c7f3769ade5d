"""One lesson followed in a real browser: the teacher writes it from their timetable slot,
the pupil finds it in their week and ticks the work, the parent sees it in the family view.
Every page passes axe without serious or critical violations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.homework.models import HomeworkDone, LessonEntry
from ostal.timetable.tests.conftest import MONDAY

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_lesson_from_teacher_to_pupil_and_parent(
    page: Page, live_server, schoolday, axe_check
) -> None:
    """Teacher's slot → lesson and work → pupil's week (ticked) → parent's view."""
    base = live_server.url
    _login(page, base, "prof")
    page.goto(f"{base}/emploi-du-temps/jour/?date={MONDAY}")
    axe_check(page)
    page.get_by_role("link", name="Remplir le cahier de textes").first.click()
    expect(page.get_by_role("heading", name="Nouvelle séance")).to_be_visible()
    axe_check(page)
    page.get_by_label("Titre de la séance").fill("Les fractions")
    page.get_by_label("Contenu de la séance").fill("Addition de fractions de même dénominateur.")
    page.get_by_label("Travail à faire pour le").fill(str(MONDAY + timedelta(days=3)))
    page.locator("#id_homework_instructions").fill("Exercices 4 et 5 page 52")
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_text("Séance enregistrée dans le cahier de textes.")).to_be_visible()
    assert LessonEntry.objects.get().title == "Les fractions"

    _login(page, base, "eleve")
    page.goto(f"{base}/emploi-du-temps/?date={MONDAY}")
    expect(page.get_by_text("Séance : Les fractions")).to_be_visible()
    expect(page.get_by_text("Exercices 4 et 5 page 52", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Marquer comme fait").click()
    expect(page.get_by_role("button", name="Fait ✓")).to_be_visible()
    # Ticked in place: the focus stays on the button and the item's status line says so.
    expect(page.get_by_role("button", name="Fait ✓")).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="travail marqué comme fait")).to_be_visible()
    assert HomeworkDone.objects.filter(pupil__username="eleve").exists()

    _login(page, base, "parent")
    page.goto(f"{base}/emploi-du-temps/famille/?date={MONDAY}")
    expect(page.get_by_role("heading", name="Alice Durand – 4B")).to_be_visible()
    expect(page.get_by_text("Exercices 4 et 5 page 52", exact=True)).to_be_visible()
    axe_check(page)

    page.goto(f"{base}/cahier-de-textes/classe/{schoolday.world.class_4b.pk}/")
    expect(page.get_by_role("heading", name="Les fractions", exact=False)).to_be_visible()
    axe_check(page)
