"""The family week as a parent reads it: today first, an unpublished timetable said as
such, and one landmark name per child and day (issue 15, item 6)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.homework.models import LessonEntry
from ostal.homework.services import HomeworkInput, lesson_save
from ostal.timetable.tests.conftest import MONDAY, make_course

pytestmark = pytest.mark.django_db
URL = "/emploi-du-temps/famille/"


def test_a_child_without_timetable_is_said_unpublished_not_free(schoolday, world, login) -> None:
    """A child whose class has no timetable gets « pas encore publié », not « Pas de cours »."""
    body = login(world.parent).get(f"{URL}?date={MONDAY}").content.decode()
    sibling = body.split(f'id="child-{world.sibling.pk}"')[1]
    pupil = body.split(f'id="child-{world.pupil.pk}"')[1].split('id="child-')[0]
    assert "pas encore publié l'emploi du temps de la classe 2NDE1" in sibling
    assert "Pas de cours." not in sibling
    # The child with a timetable has courses and free days as before, no such notice.
    assert "pas encore publié" not in pupil and "Pas de cours." in pupil


def test_the_week_of_today_has_a_today_link_and_today_highlighted(schoolday, world, login) -> None:
    """« Aujourd'hui » leads to the current week, where today's day is marked for each child."""
    client = login(world.parent)
    response = client.get(URL)  # no date: today's week (the clock is pinned in MONDAY's week)
    body = response.content.decode()
    assert response.context["monday"] == MONDAY
    assert f'href="{URL}" aria-current="date"' in body
    assert body.count("day day--today") == 2  # one per child
    other_week = client.get(f"{URL}?date=2026-12-07").content.decode()
    assert f'href="{URL}"' in other_week and "aria-current" not in other_week
    assert "day--today" not in other_week


def test_each_day_section_has_a_name_of_its_own(schoolday, world, login) -> None:
    """The day sections of two children are labelled by the child's heading and the day."""
    body = login(world.parent).get(f"{URL}?date={MONDAY}").content.decode()
    labels = re.findall(r'<section class="day[^"]*" aria-labelledby="([^"]+)"', body)
    assert len(labels) >= 12  # two children, Monday to Saturday
    assert all(label.startswith("child-") for label in labels)
    assert not [label for label, n in Counter(labels).items() if n > 1]
    for label in labels:
        for ref in label.split():
            assert f'id="{ref}"' in body


def _page_queries(client, url: str) -> int:
    """Queries of the page beyond those of the same parent's bare account page (so that the
    shell's child switcher does not count), caches warmed first."""
    client.get("/compte/")
    counts = []
    for page in (url, "/compte/"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts[0] - counts[1]


def test_the_family_week_costs_the_same_queries_for_one_two_or_three_children(
    schoolday, world, login
) -> None:
    """The family week reads all the children together: 1, 2 or 3 children, same queries."""
    lycee_course = make_course(
        world, weekday=2, start="09:00", end="10:00", subject=schoolday.maths.subject
    )
    lycee_course.classes.set([world.class_2nde])
    third_class = factories.school_class(school=world.lycee, code="1ERE2")
    third = factories.pupil(school_class=third_class, first_name="Camille", last_name="Durand")
    third_course = make_course(
        world, weekday=3, start="14:00", end="15:00", subject=schoolday.maths.subject
    )
    third_course.classes.set([third_class])
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=MONDAY,
        title="Fractions",
        course=schoolday.maths,
        homework=[HomeworkInput(due_date=MONDAY + timedelta(3), instructions="Exercices")],
    )
    families = [[world.pupil], [world.pupil, world.sibling], [world.pupil, world.sibling, third]]
    counts = []
    for n, children in enumerate(families, start=1):
        parent = factories.relative(children=children, username=f"famille{n}", password=PASSWORD)
        client = login(parent)
        counts.append(_page_queries(client, f"{URL}?date={MONDAY}"))
        body = client.get(f"{URL}?date={MONDAY}").content.decode()
        assert all(f'id="child-{child.pk}"' in body for child in children)
        assert "pas encore publié" not in body  # every child's class has a timetable
    assert counts[0] == counts[1] == counts[2], counts
    assert LessonEntry.objects.filter(school_class=world.class_4b).count() == 1
