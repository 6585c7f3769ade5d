"""The read-only layers of the agenda: the person's timetable and the work due.

Read from the school day's own reads (``timetable.agenda``: ``pupil_days``,
``pupils_weeks`` for all of a family's children at once, ``teacher_days``), never written
here. A parent's items name the child concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ostal.agenda.recurrence import Occurrence
from ostal.directory.models import Person, Profile
from ostal.timetable.agenda import pupil_days, pupils_weeks, teacher_days
from ostal.timetable.school_calendar import day_off
from ostal.timetable.selectors import Day

TEACHING_PROFILES = {Profile.TEACHER, Profile.LIBRARIAN}


@dataclass
class AgendaDay:
    """One local day of the agenda: its events, and the layers."""

    day: date
    holiday: str | None
    events: list[Occurrence] = field(default_factory=list)
    courses: list[tuple[Any, str]] = field(default_factory=list)  # (occurrence, child's name)
    homework: list[tuple[Any, bool, str]] = field(default_factory=list)  # (work, done, child)

    @property
    def empty(self) -> bool:
        return not (self.events or self.courses or self.homework)


def _school_days(
    person: Person, children: list[Any], start: date, end: date
) -> list[tuple[list[Day], str]]:
    if person.profile == Profile.PUPIL:
        return [(pupil_days(pupil=person, start=start, end=end), "")]
    if person.profile == Profile.RELATIVE and children:
        _audiences, weeks = pupils_weeks(pupils=[c.pupil for c in children], start=start, end=end)
        return [(weeks[c.pupil.pk], c.pupil.first_name) for c in children]
    if person.profile in TEACHING_PROFILES:
        return [(teacher_days(teacher=person, start=start, end=end), "")]
    return []


def agenda_days(
    *,
    person: Person,
    start: date,
    days: int,
    events: list[Occurrence],
    children: list[Any] | None = None,
    layers: bool = True,
) -> list[AgendaDay]:
    """``days`` local days from ``start``, each with its events (an event of several days
    shows on each) and, when ``layers``, the courses and the work due."""
    end = start + timedelta(days=days - 1)
    out = {
        start + timedelta(days=i): AgendaDay(start + timedelta(days=i), None) for i in range(days)
    }
    for occ in events:
        first = max(occ.start.date(), start)
        last_instant = occ.end - timedelta(microseconds=1)
        last = min(max(last_instant.date(), first), end)
        day = first
        while day <= last:
            out[day].events.append(occ)
            day += timedelta(days=1)
    if layers:
        for school_days, child in _school_days(person, children or [], start, end):
            for school_day in school_days:
                target = out.get(school_day.day)
                if target is None:
                    continue
                target.holiday = target.holiday or school_day.holiday
                target.courses.extend((occ, child) for occ in school_day.occurrences)
                target.homework.extend((h, done, child) for h, done in school_day.homework)
    for item in out.values():
        if item.holiday is None:
            item.holiday = day_off(item.day)
        item.courses.sort(key=lambda pair: (pair[0].start, pair[1]))
    return list(out.values())
