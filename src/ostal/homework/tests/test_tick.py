"""Ticking work keeps the pupil where they were: back to the item's anchor with a status
line saying what happened (no script), or in place with a JSON answer (with script)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ostal.homework.models import Homework, HomeworkDone
from ostal.homework.services import HomeworkInput, lesson_save
from ostal.timetable.tests.conftest import MONDAY


@pytest.fixture
def pinned(time_machine: Any) -> None:
    """The clock in the fixtures' school week (before the world is built)."""
    time_machine.move_to("2026-11-23 09:00 +01:00", tick=False)


def _work(schoolday: Any) -> Homework:
    world = schoolday.world
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="T",
        course=schoolday.maths,
        homework=[HomeworkInput(due_date=MONDAY + timedelta(3), instructions="Exercice 12")],
    )
    return Homework.objects.get()


def test_a_tick_returns_to_the_item_with_a_status(pinned, schoolday, login) -> None:
    """Without script, ticking returns to the same week at ``#homework-<id>``, whose item
    says « travail marqué comme fait » in a status line, once."""
    homework = _work(schoolday)
    client = login(schoolday.world.pupil)
    week = f"/emploi-du-temps/?date={MONDAY}"
    page = client.get(week).content.decode()
    assert f'id="homework-{homework.pk}"' in page and "data-homework-tick" in page
    response = client.post(
        f"/cahier-de-textes/travail/{homework.pk}/fait/", {"done": "1", "next": week}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{week}#homework-{homework.pk}"
    assert HomeworkDone.objects.filter(homework=homework, pupil=schoolday.world.pupil).exists()
    back = client.get(week).content.decode()
    assert (
        '<p class="work__status" role="status">« Mathématiques » : travail marqué comme fait.</p>'
        in back
    )
    assert 'aria-pressed="true"' in back
    again = client.get(week).content.decode()
    assert "travail marqué comme fait" not in again


def test_a_scripted_tick_answers_json_and_unticks(pinned, schoolday, login) -> None:
    """With script, the tick answers JSON (new state, button label, message) and the page
    is not reloaded; unticking removes the tick."""
    homework = _work(schoolday)
    client = login(schoolday.world.pupil)
    url = f"/cahier-de-textes/travail/{homework.pk}/fait/"
    done = client.post(url, {"done": "1"}, HTTP_X_REQUESTED_WITH="fetch")
    assert done.status_code == 200
    assert done.json() == {
        "done": True,
        "message": "« Mathématiques » : travail marqué comme fait.",
        "label": "Fait ✓",
    }
    assert HomeworkDone.objects.filter(homework=homework).count() == 1
    undone = client.post(url, {"done": "0"}, HTTP_X_REQUESTED_WITH="fetch")
    assert undone.json()["done"] is False and undone.json()["label"] == "Marquer comme fait"
    assert not HomeworkDone.objects.filter(homework=homework).exists()
