"""The family week as a parent reads it: today first, an unpublished timetable said as
such, and one landmark name per child and day (issue 15, item 6)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from ostal.timetable.tests.conftest import MONDAY

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
