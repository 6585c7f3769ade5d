"""The documented CSV timetable import."""

from __future__ import annotations

from datetime import date

import pytest

from ostal.timetable.models import Course, TimetableImport
from ostal.timetable.services import timetable_import

pytestmark = pytest.mark.django_db
HEADER = "jour;debut;fin;matiere;classes;groupes;enseignants;salle;semaines;du;au\n"


def test_csv_creates_courses_and_reports_unknowns(world) -> None:
    """Known class, subject and teacher are linked; an unknown class is reported, not made."""
    content = (
        HEADER
        + "lundi;08:00;09:00;MATHÉMATIQUES;4B;;GARCIA Franck;B12;A;2026-09-01;2027-07-03\n"
        + "2;10:00;11:00;MATHÉMATIQUES;5Z;;;;;2026-09-01;2027-07-03\n"
    ).encode()
    run = timetable_import(school=world.college, content=content, filename="edt.csv", origin="csv")
    assert run.status == TimetableImport.Status.SUCCEEDED, run.error
    assert run.report["courses_created"] == 1 and run.report["unknown"]["classes"] == {"5Z": 1}
    course = Course.objects.get()
    assert list(course.teachers.all()) == [world.teacher] and course.subject.code == "061300"
    assert course.runs_on(date(2026, 11, 23)) != course.runs_on(date(2026, 11, 30))  # A weeks


def test_csv_with_a_bad_line_is_rejected_whole(world) -> None:
    """One bad time refuses the whole file, naming its line."""
    content = (
        HEADER
        + "lundi;08:00;09:00;MATHÉMATIQUES;4B;;;;;2026-09-01;2027-07-03\n"
        + "mardi;25h;09:00;MATHÉMATIQUES;4B;;;;;2026-09-01;2027-07-03\n"
    ).encode()
    run = timetable_import(school=world.college, content=content, filename="edt.csv", origin="csv")
    assert run.status == TimetableImport.Status.FAILED and run.report["line"] == 3
    assert "HH:MM" in run.error
    assert not Course.objects.exists()
