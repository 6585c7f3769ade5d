"""Work prepared ahead stays hidden from pupils and parents until its ``visible_from``
everywhere it could show (issue 14, item 2): the class's work load, the cahier de textes
page and its API — one rule, ``published()``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ostal.homework.models import Homework, LessonEntry
from ostal.homework.services import HomeworkInput, lesson_save

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)
SHOWN_FROM = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)  # the next Monday, 8 h
SUBJECT = "Sciences de la vie et de la Terre"


@pytest.fixture
def hidden_test(world, time_machine) -> LessonEntry:
    """A test due Thursday, written on Monday, hidden until the next Monday."""
    time_machine.move_to("2026-11-23 09:00 +01:00", tick=False)
    return lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="Chapitre 3",
        subject_label=SUBJECT,
        visible_from=SHOWN_FROM,
        homework=[
            HomeworkInput(
                due_date=MONDAY + timedelta(3),
                instructions="Contrôle surprise",
                is_test=True,
                estimated_minutes=55,
            )
        ],
    )


def _pages(world) -> list[str]:
    return [
        f"/cahier-de-textes/classe/{world.class_4b.pk}/charge/?date={MONDAY}",
        f"/cahier-de-textes/classe/{world.class_4b.pk}/",
        f"/api/v1/cahier-de-textes/classe/{world.class_4b.pk}/seances/",
    ]


def _text(response) -> str:
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("persona", ["pupil", "parent"])
def test_a_test_prepared_ahead_stays_off_the_work_load_until_shown(
    world, hidden_test, login, time_machine, persona
) -> None:
    """Before ``visible_from``, a pupil or parent sees no trace of the test on the class's
    work load (no day, « contrôle », minutes or subject); from then on, they see it."""
    client = login(world.persona(persona))
    url = f"/cahier-de-textes/classe/{world.class_4b.pk}/charge/?date={MONDAY}"
    before = client.get(url)
    assert before.status_code == 200
    assert before.context["days"] == []
    text = before.content.decode()
    assert SUBJECT not in text and "55 min" not in text
    assert "Aucun travail à rendre sur cette période." in text
    assert Homework.objects.filter(lesson=hidden_test, is_test=True).count() == 1  # kept

    time_machine.move_to("2026-11-30 08:00 +01:00", tick=False)
    after = login(world.persona(persona)).get(url)  # a week later: a new session
    assert after.status_code == 200
    (day,) = after.context["days"]
    assert (day.day, day.tests, day.minutes) == (MONDAY + timedelta(3), 1, 55)
    assert SUBJECT in after.content.decode()


@pytest.mark.parametrize("persona", ["pupil", "parent"])
def test_every_reader_page_hides_the_entry_until_shown(world, hidden_test, login, persona) -> None:
    """The work load, the cahier de textes page and its API agree: nothing before
    ``visible_from`` for a pupil or parent."""
    client = login(world.persona(persona))
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SUBJECT not in _text(response), url
    assert LessonEntry.objects.filter(pk=hidden_test.pk, visible_from=SHOWN_FROM).exists()


@pytest.mark.parametrize("persona", ["teacher", "admin"])
def test_writers_and_the_school_see_work_prepared_ahead(world, hidden_test, login, persona) -> None:
    """The class's teacher and the school's management see the hidden test on the work load
    and the cahier de textes, to plan around it."""
    client = login(world.persona(persona))
    load = client.get(f"/cahier-de-textes/classe/{world.class_4b.pk}/charge/?date={MONDAY}")
    assert load.status_code == 200
    (day,) = load.context["days"]
    assert (day.tests, day.minutes) == (1, 55)
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200 and SUBJECT in _text(response), url
    assert hidden_test.is_published is False
