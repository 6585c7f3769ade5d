"""Vie scolaire on top of the school day: the persona ``cpe`` (vie scolaire of the collège),
the 4B's Monday maths course (08:00) and a Wednesday 09:00 course of the same class."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import Person, Profile
from ostal.timetable.models import Course
from ostal.timetable.selectors import Occurrence, occurrence_for
from ostal.timetable.tests.conftest import (  # noqa: F401
    MONDAY,
    SchoolDay,
    _school_week,
    make_course,
    schoolday,
)

WEDNESDAY = MONDAY + timedelta(days=2)  # the day of SCHOOL_WEEK_NOW (10:00 in Paris)


@dataclass
class Life:
    world: World
    day: SchoolDay
    cpe: Person
    wednesday: Course  # 4B, Wednesday 09:00-10:00

    @property
    def maths(self) -> Course:
        return self.day.maths

    def monday_maths(self) -> Occurrence:
        occ = occurrence_for(course=self.day.maths, day=MONDAY)
        assert occ is not None
        return occ


@pytest.fixture
def life(schoolday: SchoolDay) -> Life:  # noqa: F811
    world = schoolday.world
    cpe = factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="cpe",
        first_name="Karim",
        last_name="Lefèvre",
        password=PASSWORD,
    )
    wednesday = make_course(
        world, weekday=3, start="09:00", end="10:00", subject=schoolday.french.subject
    )
    return Life(world, schoolday, cpe, wednesday)


@pytest.fixture(autouse=True)
def _vie_scolaire_clock(school_week_clock: Any) -> None:
    """Every test here runs on Wednesday of the school week (tests hold on any date)."""
