"""One evaluation followed in a real browser: the teacher creates it from « Notes », types
the marks in the grid with the keyboard and publishes them; the pupil, then the parent, see
the mark with the class average; the head teacher locks the trimester. Every page passes axe (serious and critical, contrast)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.evaluation.models import CouncilLock, Evaluation, Mark
from ostal.evaluation.tests.conftest import Marks

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_marks_from_teacher_to_pupil_and_parent(
    page: Page, live_server, marks: Marks, axe_check
) -> None:
    """Notes → new evaluation → grid typed with Tab → published → pupil's and parent's marks
    → the head teacher's class averages and the council's lock."""
    base = live_server.url
    _login(page, base, "prof")
    page.get_by_role("link", name="Notes", exact=True).first.click()
    axe_check(page)
    page.get_by_role("link", name="nouvelle évaluation").first.click()
    expect(page.get_by_role("heading", name="Nouvelle évaluation")).to_be_visible()
    axe_check(page)
    page.get_by_label("Date").fill(marks.day(10, 5).isoformat())
    page.get_by_label("Intitulé").fill("Fractions")
    page.get_by_role("button", name="Créer l'évaluation").click()
    expect(page.get_by_text("Évaluation créée : saisissez les notes.")).to_be_visible()
    # Keyboard-fast: type in the first cell, Tab to the next pupil's.
    page.get_by_label("Durand Alice").fill("15,5")
    page.keyboard.press("Tab")
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 notes enregistrées.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Publier les notes").click()
    expect(page.get_by_text("Évaluation publiée")).to_be_visible()
    evaluation = Evaluation.objects.get()
    assert evaluation.is_published
    assert sorted(str(v) for v in Mark.objects.values_list("value", flat=True)) == [
        "11.00",
        "15.50",
    ]

    for username in ("eleve", "parent"):
        _login(page, base, username)
        page.get_by_role("link", name="Notes", exact=True).first.click()
        expect(page.get_by_role("heading", name="Notes", exact=True)).to_be_visible()
        page.goto(f"{base}/notes/?periode=1")  # the trimester of the evaluation, any day
        row = page.get_by_role("row").filter(has_text="Fractions")
        expect(row).to_contain_text("15,5")
        expect(row).to_contain_text("13,25")  # the class average: (15.5 + 11) / 2
        axe_check(page)
    expect(page.get_by_role("heading", name="Notes d'Alice")).to_be_visible()

    # The head teacher reads the class's averages and locks the trimester after the council.
    _login(page, base, "pp")
    page.get_by_role("link", name="Notes", exact=True).first.click()
    page.get_by_role("link", name="4B", exact=True).click()
    page.goto(page.url + "?periode=1")
    expect(page.get_by_role("cell", name="13,25")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Verrouiller la période (Trimestre 1)").click()
    expect(page.get_by_text("Période verrouillée : les notes de cette période")).to_be_visible()
    axe_check(page)
    assert CouncilLock.objects.filter(period_index=1).exists()
