"""The EDT "export ENT" import, on the real export of a collège (705 courses)."""

from __future__ import annotations

from datetime import date

import pytest

from ostal.directory import factories
from ostal.directory.models import Person, SchoolClass, TeachingGroup
from ostal.directory.services import group_create
from ostal.territory.factories import SchoolFactory
from ostal.territory.models import School
from ostal.timetable.importers.edt import parse_edt
from ostal.timetable.models import Course, TimetableImport
from ostal.timetable.services import timetable_import
from ostal.timetable.tests.conftest import REAL_EDT

pytestmark = pytest.mark.django_db


@pytest.fixture
def college(territory: None) -> School:
    """The directory of part of the collège: classes 3A and 6C, one group, two teachers."""
    school = SchoolFactory(uai="0134567A", kind=School.Kind.COLLEGE, name="Collège Index")
    for code in ("3A", "6C"):
        factories.school_class(school=school, code=code, year=2013)
    group_create(school=school, school_year=2013, code="3ATRAVGR.1")
    factories.teacher(school=school, first_name="Léa", last_name="Martin")
    factories.teacher(school=school, first_name="Louise", last_name="Lemoine")
    factories.subject("061300", "MATHÉMATIQUES")
    factories.subject("020700", "FRANÇAIS")
    factories.subject(
        "000100",
        "ACCOMPAGNEMENT",
    )
    return school


def test_real_export_creates_the_courses_of_known_classes_only(college: School) -> None:
    """Courses of the known classes and group are created; nothing else is invented."""
    people, classes, groups = (
        Person.objects.count(),
        SchoolClass.objects.count(),
        TeachingGroup.objects.count(),
    )
    run = timetable_import(school=college, content=REAL_EDT.read_bytes(), filename=REAL_EDT.name)
    assert run.status == TimetableImport.Status.SUCCEEDED, run.error
    parsed = parse_edt(REAL_EDT.read_bytes())
    expected = sum(
        1 for d in parsed.drafts if {"3A", "6C"} & set(d.classes) or "3ATRAVGR.1" in d.groups
    )
    assert expected > 20
    assert (
        run.report["courses_created"] == expected == Course.objects.filter(school=college).count()
    )
    assert (Person.objects.count(), SchoolClass.objects.count(), TeachingGroup.objects.count()) == (
        people,
        classes,
        groups,
    )
    unknown = run.report["unknown"]
    assert "3B" in unknown["classes"] and "3A" not in unknown["classes"]
    assert "DUBOIS RAPHAËL" in unknown["teachers"] and "MARTIN LÉA" not in unknown["teachers"]
    assert "ANGLAIS LV1" in unknown["subjects"] and "MATHEMATIQUES" not in unknown["subjects"]
    maths_6c = Course.objects.filter(classes__code="6C", subject__code="061300")
    assert maths_6c.exists()
    martin = Person.objects.get(last_name="Martin")
    course = Course.objects.filter(groups__code="3ATRAVGR.1").get()
    assert list(course.teachers.all()) == [martin]
    assert (
        course.weekday == 3
        and str(course.start_time) == "12:00:00"
        and str(course.end_time) == "13:00:00"
    )
    # weeks 8-9 (Toussaint 2013) are absent from the mask
    assert "2013-10-21" not in course.weeks and "2013-10-14" in course.weeks
    assert course.runs_on(date(2013, 10, 16)) and not course.runs_on(date(2013, 10, 23))


def test_ab_weeks_become_two_courses_with_complementary_weeks(college: School) -> None:
    """An A/B alternation (two complementary week masks) gives two courses that never meet."""
    timetable_import(school=college, content=REAL_EDT.read_bytes(), filename=REAL_EDT.name)
    pair = list(
        Course.objects.filter(
            classes__code="6C", weekday=4, start_time="14:30", teachers__last_name="Lemoine"
        )
    )
    assert len(pair) == 2
    even, odd = (set(c.weeks) for c in pair)
    assert even and odd and not even & odd


def test_dry_run_reports_without_writing(college: School) -> None:
    """A dry run gives the same report and writes no course."""
    run = timetable_import(
        school=college, content=REAL_EDT.read_bytes(), filename=REAL_EDT.name, dry_run=True
    )
    assert run.status == TimetableImport.Status.SUCCEEDED and run.dry_run
    assert run.report["courses_created"] > 0
    assert not Course.objects.exists()
    assert TimetableImport.objects.filter(pk=run.pk).exists()


def test_reimport_replaces_instead_of_duplicating(college: School) -> None:
    """Importing the same file twice leaves one set of courses."""
    first = timetable_import(school=college, content=REAL_EDT.read_bytes(), filename=REAL_EDT.name)
    timetable_import(school=college, content=REAL_EDT.read_bytes(), filename=REAL_EDT.name)
    assert Course.objects.count() == first.report["courses_created"]


def test_malformed_file_is_rejected_whole_with_its_line(college: School) -> None:
    """A file cut in the middle is refused with the line at fault; nothing is written."""
    content = REAL_EDT.read_bytes()
    broken = content[: content.index(b"<Cours ") + 2000]
    run = timetable_import(school=college, content=broken, filename=REAL_EDT.name)
    assert run.status == TimetableImport.Status.FAILED
    assert run.report["line"] > 3000 and "XML mal formé" in run.error
    assert not Course.objects.exists()


def test_invalid_value_is_rejected_with_its_line(college: School) -> None:
    """A course on day 9 is refused with its line; no course of the file is written."""
    content = REAL_EDT.read_bytes().replace(
        b'<Cours Jour="3" NumeroPlaceDebut="8"', b'<Cours Jour="9" NumeroPlaceDebut="8"', 1
    )
    run = timetable_import(school=college, content=content, filename=REAL_EDT.name)
    assert run.status == TimetableImport.Status.FAILED
    assert run.report["line"] == 3425 and "jour 9" in run.error
    assert not Course.objects.exists()


def test_file_of_another_school_is_refused(world) -> None:
    """The UAI in the file must be the school's."""
    run = timetable_import(
        school=world.college, content=REAL_EDT.read_bytes(), filename=REAL_EDT.name
    )
    assert run.status == TimetableImport.Status.FAILED and "0134567A" in run.error
    assert not Course.objects.exists()


def test_encrypted_container_is_refused_with_an_explanation(college: School) -> None:
    """The encrypted export needs the partner key: refused, saying so."""
    content = b'<?xml version="1.0"?><EXPORT_INDEX_EDUCATION xmlns="http://www.index-education.com/conteneurexportchiffre"><VERSION>1.0</VERSION></EXPORT_INDEX_EDUCATION>'
    run = timetable_import(school=college, content=content, filename="Edt_0134567A.xml")
    assert run.status == TimetableImport.Status.FAILED and "chiffré" in run.error
