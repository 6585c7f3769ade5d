"""Re-importing a timetable reconciles (issue 13, item 5): through the import page, the
same file again changes nothing people made or were told; a course that disappears takes
only its future changes with it, and the report says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import Person, Profile, SchoolClass
from ostal.directory.services import group_create, school_admin_grant
from ostal.homework.models import LessonEntry
from ostal.homework.services import lesson_save
from ostal.territory.factories import SchoolFactory
from ostal.territory.models import School
from ostal.timetable.models import Course, CourseChange, CourseNotice, TimetableImport
from ostal.timetable.school_calendar import day_off
from ostal.timetable.selectors import occurrence_for
from ostal.timetable.services import course_change_record
from ostal.timetable.tests.conftest import REAL_EDT

pytestmark = pytest.mark.django_db

TODAY = date(2013, 11, 18)  # a Monday of the EDT export's school year, in term time
IMPORT_URL = "/emploi-du-temps/import/"


@dataclass
class Index:
    """The collège of the real EDT export, with part of its directory."""

    school: School
    admin: Person
    pupil: Person
    parent: Person
    lemoine: Person
    class_6c: SchoolClass


def make_index() -> Index:
    school = SchoolFactory(uai="0134567A", kind=School.Kind.COLLEGE, name="Collège Index")
    factories.school_class(school=school, code="3A", year=2013)
    class_6c = factories.school_class(school=school, code="6C", year=2013)
    group_create(school=school, school_year=2013, code="3ATRAVGR.1")
    factories.teacher(school=school, first_name="Léa", last_name="Martin")
    lemoine = factories.teacher(school=school, first_name="Louise", last_name="Lemoine")
    factories.subject("061300", "MATHÉMATIQUES")
    factories.subject("020700", "FRANÇAIS")
    factories.subject("000100", "ACCOMPAGNEMENT")
    admin = factories.staff(
        school=school,
        profile=Profile.DIRECTION,
        function="DIR",
        username="direction.index",
        password=PASSWORD,
    )
    school_admin_grant(person=admin, school=school)
    pupil = factories.pupil(
        school_class=class_6c, username="eleve.6c", first_name="Yanis", password=PASSWORD
    )
    parent = factories.relative(children=[pupil], username="parent.6c")
    return Index(school, admin, pupil, parent, lemoine, class_6c)


@pytest.fixture
def index(territory: None, time_machine: Any) -> Index:
    time_machine.move_to("2013-11-18 09:00 +01:00", tick=False)
    return make_index()


def upload(client: Any, content: bytes, name: str, origin: str = "edt", **extra: Any) -> Any:
    """Post a file to the import page (no dry run unless asked)."""
    data = {"origin": origin, "file": SimpleUploadedFile(name, content), **extra}
    return client.post(IMPORT_URL, data)


def running_day(course: Course, *, after: date | None = None, before: date | None = None) -> date:
    """The first school day after ``after`` (or the last before ``before``) the course runs."""
    step = timedelta(days=1 if after else -1)
    day = (after or before) + step  # type: ignore[operator]
    while not (course.runs_on(day) and day_off(day) is None):
        day += step
    return day


def without_cours(content: bytes, number: int) -> bytes:
    """The EDT export without its ``number``-th ``<Cours>`` (the following ones move up)."""
    root = etree.fromstring(content)
    holder = next(e for e in root if etree.QName(e).localname == "Cours")
    cours = [e for e in holder if etree.QName(e).localname == "Cours"]
    holder.remove(cours[number - 1])
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_reimporting_the_same_export_keeps_courses_changes_notices_and_lessons(
    index: Index, login: Any
) -> None:
    """Uploading the same EDT export again leaves every course, its cancellations, their
    notices and the cahier de textes links as they were, and the report says « inchangés »."""
    client = login(index.admin)
    first = upload(client, REAL_EDT.read_bytes(), REAL_EDT.name)
    assert first.status_code == 200 and "Import réussi" in first.content.decode()
    ids = set(Course.objects.values_list("pk", flat=True))
    assert len(ids) > 20
    course = Course.objects.filter(classes=index.class_6c, teachers=index.lemoine).first()
    assert course is not None
    future = running_day(course, after=TODAY)
    past = running_day(course, before=TODAY)
    response = client.post(
        f"/emploi-du-temps/cours/{course.pk}/modifier/",
        {"day": future.isoformat(), "kind": "cancelled", "note": "Sortie au musée"},
    )
    assert response.status_code == 302
    lesson = lesson_save(
        author=index.lemoine, audience=index.class_6c, day=past, title="Fractions", course=course
    )
    notices = set(CourseNotice.objects.values_list("pk", flat=True))
    assert {index.pupil.pk, index.parent.pk} <= set(
        CourseNotice.objects.values_list("person_id", flat=True)
    )

    again = upload(client, REAL_EDT.read_bytes(), REAL_EDT.name)

    body = again.content.decode()
    assert again.status_code == 200 and "Import réussi" in body
    assert f"{len(ids)} cours inchangés" in body and "0 cours ajouté" in body
    run = TimetableImport.objects.filter(dry_run=False).order_by("-pk").first()
    assert run is not None and run.report["courses_unchanged"] == len(ids)
    assert (run.report["courses_created"], run.report["courses_updated"]) == (0, 0)
    assert (run.report["courses_removed"], run.report["changes_dropped"]) == (0, 0)
    assert set(Course.objects.values_list("pk", flat=True)) == ids
    assert CourseChange.objects.filter(course=course, date=future, kind="cancelled").exists()
    assert set(CourseNotice.objects.values_list("pk", flat=True)) == notices
    lesson.refresh_from_db()
    assert lesson.course_id == course.pk
    occurrence = occurrence_for(course=course, day=future)
    assert occurrence is not None and occurrence.cancelled


def test_a_course_gone_from_the_export_takes_only_its_future_changes(
    index: Index, login: Any
) -> None:
    """A course the new export no longer has stops before today: its future cancellation and
    notices are dropped and reported; its past change, notices and lessons stay."""
    client = login(index.admin)
    upload(client, REAL_EDT.read_bytes(), REAL_EDT.name)
    total = Course.objects.count()
    course = Course.objects.filter(classes=index.class_6c, teachers=index.lemoine).first()
    assert course is not None
    siblings = Course.objects.filter(external_id=course.external_id).count()  # same <Cours>
    future = running_day(course, after=TODAY)
    past = running_day(course, before=TODAY)
    cancelled = course_change_record(course=course, day=future, kind="cancelled", actor=index.admin)
    moved = course_change_record(course=course, day=past, kind="room", room="C3", actor=index.admin)
    lesson = lesson_save(
        author=index.lemoine, audience=index.class_6c, day=past, title="Fractions", course=course
    )
    past_notices = moved.notices.count()
    assert past_notices and cancelled.notices.exists()

    response = upload(
        client, without_cours(REAL_EDT.read_bytes(), int(course.external_id)), "x.xml"
    )

    body = response.content.decode()
    assert response.status_code == 200 and "Import réussi" in body
    assert "1 modification de cours à venir supprimée" in body
    assert "Cours retirés" in body and "1 modification à venir supprimée" in body
    run = TimetableImport.objects.filter(dry_run=False).order_by("-pk").first()
    assert run is not None
    assert run.report["courses_removed"] == siblings and run.report["changes_dropped"] == 1
    assert run.report["courses_unchanged"] == total - siblings
    assert run.report["courses_created"] == 0
    course.refresh_from_db()
    assert course.last_date == TODAY - timedelta(days=1)
    assert not CourseChange.objects.filter(pk=cancelled.pk).exists()
    assert not CourseNotice.objects.filter(change_id=cancelled.pk).exists()
    assert CourseChange.objects.filter(pk=moved.pk).exists()
    assert moved.notices.count() == past_notices
    assert LessonEntry.objects.get(pk=lesson.pk).course_id == course.pk
    assert occurrence_for(course=course, day=future) is None
    assert occurrence_for(course=course, day=past) is not None


def test_dry_run_of_a_reimport_reports_the_drops_without_making_them(
    index: Index, login: Any
) -> None:
    """A simulated re-import counts what it would drop, and drops nothing."""
    client = login(index.admin)
    upload(client, REAL_EDT.read_bytes(), REAL_EDT.name)
    course = Course.objects.filter(classes=index.class_6c, teachers=index.lemoine).first()
    assert course is not None
    future = running_day(course, after=TODAY)
    change = course_change_record(course=course, day=future, kind="cancelled", actor=index.admin)
    content = without_cours(REAL_EDT.read_bytes(), int(course.external_id))

    response = upload(client, content, "x.xml", dry_run="on")

    assert response.status_code == 200
    assert "Simulation" in response.content.decode()
    run = TimetableImport.objects.filter(dry_run=True).get()
    assert run.report["changes_dropped"] == 1 and run.report["courses_removed"] >= 1
    course.refresh_from_db()
    assert course.last_date > TODAY
    assert CourseChange.objects.filter(pk=change.pk).exists() and change.notices.exists()


CSV_HEADER = "jour;debut;fin;matiere;classes;groupes;enseignants;salle;semaines;du;au\n"
MONDAY_LINE = (
    "lundi;08:00;09:00;MATHÉMATIQUES;4B;;GARCIA Franck;{room};{weeks};2026-09-01;2027-07-03\n"
)
THURSDAY_LINE = "jeudi;10:00;11:00;MATHÉMATIQUES;4B;;GARCIA Franck;B14;;2026-09-01;2027-07-03\n"


def test_csv_reimport_keeps_unchanged_updates_in_place_and_drops_what_no_longer_runs(
    world: World, login: Any, time_machine: Any
) -> None:
    """CSV: reordered lines change nothing; a new room updates the course in place (its
    cancellation kept); new weeks drop the cancellation of a week it no longer runs; a
    line removed removes its course."""
    time_machine.move_to("2026-11-18 09:00 +01:00", tick=False)
    client = login(world.admin)
    monday = MONDAY_LINE.format(room="B12", weeks="")
    upload(client, (CSV_HEADER + monday + THURSDAY_LINE).encode(), "edt.csv", "csv")
    course = Course.objects.get(weekday=1)
    thursday_course = Course.objects.get(weekday=4)
    change = course_change_record(
        course=course, day=date(2026, 11, 23), kind="cancelled", actor=world.admin
    )

    def report(lines: str) -> dict[str, Any]:
        response = upload(client, (CSV_HEADER + lines).encode(), "edt.csv", "csv")
        assert response.status_code == 200
        run = TimetableImport.objects.filter(dry_run=False).order_by("-pk").first()
        assert run is not None
        return run.report

    swapped = report(THURSDAY_LINE + monday)
    assert (swapped["courses_unchanged"], swapped["courses_created"]) == (2, 0)
    moved = report(MONDAY_LINE.format(room="B13", weeks="") + THURSDAY_LINE)
    assert (moved["courses_updated"], moved["courses_unchanged"], moved["changes_dropped"]) == (
        1,
        1,
        0,
    )
    course.refresh_from_db()
    assert course.room == "B13" and CourseChange.objects.filter(pk=change.pk).exists()
    # week 48 (23 November) is even: odd weeks only no longer run that day
    odd = report(MONDAY_LINE.format(room="B13", weeks="A") + THURSDAY_LINE)
    assert (odd["courses_updated"], odd["changes_dropped"]) == (1, 1)
    assert Course.objects.filter(pk=course.pk).exists()
    assert not CourseChange.objects.filter(pk=change.pk).exists()
    gone = report(THURSDAY_LINE)
    assert (gone["courses_removed"], gone["courses_unchanged"]) == (1, 1)
    assert Course.objects.get(pk=course.pk).last_date == date(2026, 11, 17)
    assert Course.objects.filter(pk=thursday_course.pk, last_date=date(2027, 7, 3)).exists()


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//FR
BEGIN:VEVENT
UID:{uid}
DTSTART;TZID=Europe/Paris:20260907T080000
DTEND;TZID=Europe/Paris:20260907T090000
RRULE:FREQ=WEEKLY;UNTIL=20270703T000000Z
SUMMARY:MATHÉMATIQUES
LOCATION:B12
CATEGORIES:4B
ORGANIZER;CN=GARCIA Franck:mailto:prof@example.org
END:VEVENT
END:VCALENDAR
"""


def test_ical_reimport_keeps_the_course_even_when_the_exporter_renames_its_uid(
    world: World, login: Any, time_machine: Any
) -> None:
    """iCalendar: the same course under another UID is the same slot, kept with its change."""
    time_machine.move_to("2026-11-18 09:00 +01:00", tick=False)
    client = login(world.admin)
    upload(client, ICS.format(uid="a1").encode(), "edt.ics", "ical")
    course = Course.objects.get()
    change = course_change_record(
        course=course, day=date(2026, 11, 23), kind="cancelled", actor=world.admin
    )

    response = upload(client, ICS.format(uid="b2").encode(), "edt.ics", "ical")

    assert response.status_code == 200 and "1 cours inchangé" in response.content.decode()
    assert Course.objects.get().pk == course.pk
    assert CourseChange.objects.filter(pk=change.pk).exists() and change.notices.exists()
