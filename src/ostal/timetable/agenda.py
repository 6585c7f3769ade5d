"""A person's days: timetable occurrences joined with the cahier de textes.

A pupil's range is the timetable (5 queries) plus their work (5 queries); several pupils'
ranges (a family's week) are read together, in a number of queries that does not grow with
the pupils; a teacher's is the timetable plus their own entries (2 queries). Used by the pages, the API and the
iCalendar feed alike.
"""

from __future__ import annotations

from datetime import date

from ostal.directory.models import Person
from ostal.homework.selectors import PupilWork, pupil_work, pupils_work, teacher_lessons
from ostal.timetable.selectors import (
    Day,
    PupilAudiences,
    audiences_of_pupils,
    courses_of_person,
    courses_of_pupil,
    occurrences,
    pupils_occurrences,
)


def _attach_work(days: list[Day], pupil: Person) -> None:
    """Add a pupil's lessons and the work due to each day (5 queries)."""
    if not days:
        return
    _join(days, pupil_work(pupil=pupil, start=days[0].day, end=days[-1].day))


def _join(days: list[Day], work: PupilWork) -> None:
    for day in days:
        for occ in day.occurrences:
            occ.lesson = work.lessons.get((occ.course.pk, day.day))
        day.homework = [(h, h.pk in work.done) for h in work.due.get(day.day, [])]


def pupil_days(*, pupil: Person, start: date, end: date) -> list[Day]:
    days = occurrences(courses=courses_of_pupil(pupil=pupil), start=start, end=end)
    _attach_work(days, pupil)
    return days


def pupils_weeks(
    *, pupils: list[Person], start: date, end: date
) -> tuple[dict[int, PupilAudiences], dict[int, list[Day]]]:
    """``pupil_days`` of several pupils at once (a family's children), by pupil id, with
    each pupil's classes and groups; 12 queries whatever the number of pupils (pinned by a
    test of the family week)."""
    audiences = audiences_of_pupils(pupils=pupils)
    weeks = pupils_occurrences(audiences=audiences, start=start, end=end)
    work = pupils_work(
        audiences={pk: (a.classes, a.groups) for pk, a in audiences.items()},
        start=start,
        end=end,
    )
    for pk, days in weeks.items():
        _join(days, work[pk])
    return audiences, weeks


def teacher_days(*, teacher: Person, start: date, end: date) -> list[Day]:
    days = occurrences(
        courses=courses_of_person(person=teacher, start=start, end=end),
        start=start,
        end=end,
        teacher=teacher,
    )
    lessons = teacher_lessons(teacher=teacher, start=start, end=end)
    for day in days:
        for occ in day.occurrences:
            occ.lesson = lessons.get((occ.course.pk, day.day))
    return days
