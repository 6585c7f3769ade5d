"""The home's first section, « Aujourd'hui »: a family's or teacher's day before anything else.

Rule (conventions, « Lead with today »): the home shows today's courses with their changes,
the work due in the next days and the unread messages; a parent sees the same for each
child, each item naming the child. On a day without school (Sunday, a Saturday without
courses, holidays) it says so and shows the next school day instead.

Built from the agenda (``pupils_weeks`` for all of a family's children at once,
``teacher_days``): the number of queries depends on neither the children nor the courses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ostal.directory.models import Person
from ostal.timetable.agenda import pupils_weeks, teacher_days
from ostal.timetable.school_calendar import day_off
from ostal.timetable.selectors import Day, Occurrence, without_timetable

WORK_DAYS_AHEAD = 7  # work due from tomorrow to a week ahead
FILL_DAYS_BACK = 6  # a teacher's lessons to fill: the past week, today included
NEXT_SCHOOL_DAY_LIMIT = 100  # summer holidays last about nine weeks


def next_school_day(after: date) -> date | None:
    """The first weekday after ``after`` that is neither a school nor a public holiday."""
    day = after + timedelta(days=1)
    for _ in range(NEXT_SCHOOL_DAY_LIMIT):
        if day.isoweekday() <= 5 and day_off(day) is None:
            return day
        day += timedelta(days=1)
    return None


@dataclass
class Agenda:
    """One person's « Aujourd'hui »: the pupil's own, a child's (for a parent), a teacher's."""

    today: date
    school_today: bool  # there is school today (a weekday off no holiday, or a day of courses)
    off_reason: str  # why there is no school today: a holiday's name, or empty (week-end)
    day: Day | None  # the day shown: today, or the next school day
    due: list[tuple[date, Any, bool]] = field(default_factory=list)  # (due date, work, done)
    to_fill: list[Occurrence] = field(default_factory=list)  # a teacher's lessons to write
    child: Any = None  # the parent's ``Child`` this agenda is about
    unpublished: bool = False  # the school has published no timetable for the pupil

    @property
    def tomorrow(self) -> date:
        return self.today + timedelta(days=1)


def _range(today: date) -> tuple[date, date | None, date]:
    """Today, the next school day, and the last day to read."""
    following = next_school_day(today)
    end = max(today + timedelta(days=WORK_DAYS_AHEAD), following or today)
    return today, following, end


def _agenda(today: date, following: date | None, days: list[Day]) -> Agenda:
    by_day = {d.day: d for d in days}
    current = by_day[today]
    weekday_on = today.isoweekday() <= 5 and current.holiday is None
    school_today = weekday_on or bool(current.occurrences)
    if school_today:
        shown: Day | None = current
    else:
        later = [d for d in days if d.day > today and d.occurrences]
        target = following
        if later and (target is None or later[0].day < target):
            target = later[0].day  # a Saturday of courses comes before Monday
        shown = by_day.get(target) if target else None
    agenda = Agenda(
        today=today,
        school_today=school_today,
        off_reason=current.holiday or "",
        day=shown,
    )
    horizon = today + timedelta(days=WORK_DAYS_AHEAD)
    for d in days:
        if today < d.day <= horizon:
            agenda.due.extend((d.day, work, done) for work, done in d.homework)
    return agenda


def pupils_agendas(*, pupils: list[Person], children: list[Any] | None = None) -> list[Agenda]:
    """Each pupil's today (or next school day) and the work due in the coming week, read
    together (``pupils_weeks``): the same queries for one pupil or a family of three
    (pinned by a test). ``children`` are the parent's ``Child`` entries, in the same order."""
    today, following, end = _range(timezone.localdate())
    audiences, weeks = pupils_weeks(pupils=pupils, start=today, end=end)
    # Only pupils whose range has not a single course are asked about (two queries for all).
    empty = {pk for pk, days in weeks.items() if not any(d.occurrences for d in days)}
    unpublished = (
        without_timetable(audiences={pk: audiences[pk] for pk in empty}) if empty else set()
    )
    agendas = []
    for i, pupil in enumerate(pupils):
        agenda = _agenda(today, following, weeks[pupil.pk])
        agenda.child = children[i] if children else None
        agenda.unpublished = pupil.pk in unpublished
        agendas.append(agenda)
    return agendas


def teacher_agenda(*, teacher: Person) -> Agenda:
    """A teacher's today (or next school day) and the past week's courses whose cahier de
    textes is not written yet, cancelled courses left out (7 queries)."""
    today, following, end = _range(timezone.localdate())
    start = today - timedelta(days=FILL_DAYS_BACK)
    days = teacher_days(teacher=teacher, start=start, end=end)
    agenda = _agenda(today, following, [d for d in days if d.day >= today])
    agenda.to_fill = [
        occ
        for d in days
        if d.day <= today
        for occ in d.occurrences
        if occ.lesson is None and not occ.cancelled
    ]
    return agenda
