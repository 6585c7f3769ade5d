"""The iCalendar timetable import (documented conventions)."""

from __future__ import annotations

from datetime import date

import pytest

from ostal.timetable.models import Course, TimetableImport
from ostal.timetable.services import timetable_import

pytestmark = pytest.mark.django_db

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//FR
BEGIN:VEVENT
UID:maths-4b
DTSTART;TZID=Europe/Paris:20260907T080000
DTEND;TZID=Europe/Paris:20260907T090000
RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20270703T000000Z
EXDATE;TZID=Europe/Paris:20261130T080000
SUMMARY:MATHÉMATIQUES
LOCATION:B12
CATEGORIES:4B,5Z
ORGANIZER;CN=GARCIA Franck:mailto:prof@example.org
END:VEVENT
END:VCALENDAR
"""


def test_ical_weekly_course_with_exception(world) -> None:
    """A fortnightly event becomes a course of every other week, minus its EXDATE."""
    run = timetable_import(
        school=world.college, content=ICS.encode(), filename="edt.ics", origin="ical"
    )
    assert run.status == TimetableImport.Status.SUCCEEDED, run.error
    assert run.report["unknown"]["classes"] == {"5Z": 1}
    course = Course.objects.get()
    assert list(course.classes.all()) == [world.class_4b]
    assert list(course.teachers.all()) == [world.teacher]
    assert course.runs_on(date(2026, 11, 16)) and not course.runs_on(date(2026, 11, 9))
    assert not course.runs_on(date(2026, 11, 30))  # EXDATE
    assert course.runs_on(date(2026, 12, 14))


def test_ical_event_without_class_is_refused(world) -> None:
    """An event without CATEGORIES refuses the file, naming the event."""
    content = ICS.replace("CATEGORIES:4B,5Z\n", "").encode()
    run = timetable_import(school=world.college, content=content, filename="edt.ics", origin="ical")
    assert run.status == TimetableImport.Status.FAILED and "événement n° 1" in run.error
    assert not Course.objects.exists()


def test_not_a_calendar_is_refused(world) -> None:
    """A file that is not iCalendar is refused cleanly."""
    run = timetable_import(school=world.college, content=b"hello", filename="x.ics", origin="ical")
    assert run.status == TimetableImport.Status.FAILED
    assert not Course.objects.exists()
