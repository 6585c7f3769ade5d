"""A small school day on top of the ``world``: the 4B's maths course on Mondays and
Thursdays, taught by the persona ``teacher``, in a school week without holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from ostal.conftest import World
from ostal.directory.models import Subject
from ostal.timetable.models import Course

FIXTURES = Path(__file__).resolve().parents[5] / "shared" / "fixtures" / "timetable"
REAL_EDT = FIXTURES / "EDT_export_ENT_0134567A_2013-2014.xml"
MONDAY = date(2026, 11, 23)  # the week of SCHOOL_WEEK_NOW: zone C, no public holiday


@pytest.fixture(autouse=True)
def _school_week(school_week_clock: Any) -> None:
    """Every school-day test runs in the week of ``MONDAY`` (tests hold on any date)."""


@dataclass
class SchoolDay:
    world: World
    maths: Course
    french: Course


def make_course(
    world: World, *, weekday: int, start: str, end: str, subject: Subject, **kw: Any
) -> Course:
    course = Course.objects.create(
        school=world.college,
        school_year=world.class_4b.school_year,
        origin=Course.Origin.MANUAL,
        subject=subject,
        subject_label=subject.label,
        weekday=weekday,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        first_date=kw.pop("first_date", date(2026, 9, 1)),
        last_date=kw.pop("last_date", date(2027, 7, 3)),
        room=kw.pop("room", "B12"),
        **kw,
    )
    course.classes.add(world.class_4b)
    course.teachers.add(world.teacher)
    return course


@pytest.fixture
def schoolday(school_week_clock: Any, world: World) -> SchoolDay:
    maths = Subject.objects.get(code="061300")
    french = Subject.objects.get_or_create(code="020700", defaults={"label": "FRANÇAIS"})[0]
    return SchoolDay(
        world=world,
        maths=make_course(world, weekday=1, start="08:00", end="09:00", subject=maths),
        french=make_course(world, weekday=4, start="10:00", end="11:00", subject=french),
    )
