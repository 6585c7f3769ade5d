"""Benchmark: the roll call of a class of 35 and vie scolaire's daily dashboard of a
2,000-pupil lycée, on PostgreSQL.

Builds a lycée of 57 classes of 35 pupils (1,995 pupils), 110 teachers, 30 one-hour courses
a week per class (6 a day, Monday to Friday: 1,710 courses), a CPE; on the measured
Wednesday at 10:00, half the registers of 08:00 and 09:00 are validated with two absences
and one lateness each, the others are forgotten, and 50 justifications wait. Then measures
with the Django test client: the empty authenticated view (``/_banc/vide/``) and the bare
account page (``/compte/``) as floors, the teacher's roll-call page of a class of 35, the
teacher's day, and the CPE's dashboard; prints p50/p95 in ms, the p95 ratios to both floors
and the query counts. Never asserts on time.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_vie_scolaire.py -s``.
"""

from __future__ import annotations

import gc
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ostal.directory.models import (
    Affiliation,
    Enrolment,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    Subject,
)
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import School
from ostal.timetable.models import Course
from ostal.vie_scolaire.models import Event, EventKind, Justification, Motive, Register
from ostal.vie_scolaire.services import ensure_motives

pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.urls("ostal.web.tests.urls")]
PARIS = ZoneInfo("Europe/Paris")
YEAR_START = date(2026, 8, 31)
WEDNESDAY = date(2026, 11, 25)
CLASSES, PUPILS_PER_CLASS, TEACHERS, COURSES_PER_CLASS = 57, 35, 110, 30
RUNS = 40


def _build() -> tuple[Person, Person, Course]:
    ensure_territory()
    school = SchoolFactory(uai="0348888Y", kind=School.Kind.LYCEE, name="Lycée Bench VS")
    subjects = [
        Subject.objects.get_or_create(code=f"98{n:04d}", defaults={"label": f"Matière {n}"})[0]
        for n in range(10)
    ]
    classes = SchoolClass.objects.bulk_create(
        [SchoolClass(school=school, school_year=2026, code=f"V{n:02d}") for n in range(CLASSES)]
    )
    teachers = Person.objects.bulk_create(
        [
            Person(username=f"vs.prof{n}", profile=Profile.TEACHER, last_name=f"Prof{n}")
            for n in range(TEACHERS)
        ]
    )
    pupils = Person.objects.bulk_create(
        [
            Person(username=f"vs.eleve{n}", profile=Profile.PUPIL, last_name=f"Eleve{n:04d}")
            for n in range(CLASSES * PUPILS_PER_CLASS)
        ]
    )
    cpe = Person.objects.create(username="vs.cpe", profile=Profile.SCHOOL_LIFE, last_name="CPE")
    parent = Person.objects.create(username="vs.parent", profile=Profile.RELATIVE, last_name="P")
    Person.objects.update(state="active")
    Affiliation.objects.bulk_create(
        [Affiliation(person=p, school=school, profile=p.profile) for p in [*teachers, *pupils, cpe]]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(pupil=p, school_class=classes[i // PUPILS_PER_CLASS])
            for i, p in enumerate(pupils)
        ]
    )
    RelativeLink.objects.create(relative=parent, pupil=pupils[0])
    courses: list[Course] = []
    owners: list[tuple[SchoolClass, Person]] = []
    for c, school_class in enumerate(classes):
        for k in range(COURSES_PER_CLASS):
            start = dtime(8 + k % 6 + (1 if k % 6 >= 4 else 0), 0)
            courses.append(
                Course(
                    school=school,
                    school_year=2026,
                    origin=Course.Origin.MANUAL,
                    subject=subjects[k % 10],
                    subject_label=subjects[k % 10].label,
                    weekday=1 + k // 6,
                    start_time=start,
                    end_time=dtime(start.hour + 1, 0),
                    first_date=YEAR_START,
                    last_date=YEAR_START + timedelta(weeks=36),
                )
            )
            owners.append((school_class, teachers[(c * 2 + k % 6) % TEACHERS]))
    courses = Course.objects.bulk_create(courses)
    Course.classes.through.objects.bulk_create(
        [
            Course.classes.through(course_id=co.pk, schoolclass_id=o[0].pk)
            for co, o in zip(courses, owners, strict=True)
        ]
    )
    Course.teachers.through.objects.bulk_create(
        [
            Course.teachers.through(course_id=co.pk, person_id=o[1].pk)
            for co, o in zip(courses, owners, strict=True)
        ]
    )
    ensure_motives(school)
    motive = Motive.objects.filter(school=school, parents_may_choose=True).first()
    early = [co for co in courses if co.weekday == 3 and co.start_time < dtime(10, 0)]
    events: list[Event] = []
    for n, course in enumerate(early[::2]):
        register = Register.objects.create(course=course, date=WEDNESDAY, state=Register.State.DONE)
        c = n % CLASSES
        for k, kind in enumerate((EventKind.ABSENCE, EventKind.ABSENCE, EventKind.LATENESS)):
            events.append(
                Event(
                    school=school,
                    pupil=pupils[c * PUPILS_PER_CLASS + k + 1],
                    register=register,
                    kind=kind,
                    date=WEDNESDAY,
                    start_time=course.start_time,
                    end_time=course.end_time if kind == EventKind.ABSENCE else dtime(8, 10),
                    late_minutes=10 if kind == EventKind.LATENESS else 0,
                )
            )
    events = Event.objects.bulk_create(events)
    Justification.objects.bulk_create(
        [
            Justification(event=e, author=parent, motive=motive)
            for e in events
            if e.kind == EventKind.ABSENCE
        ][:50]
    )
    target = next(
        co for co, o in zip(courses, owners, strict=True) if co.weekday == 3 and o[0] == classes[0]
    )
    teacher = next(o[1] for co, o in zip(courses, owners, strict=True) if co.pk == target.pk)
    return cpe, teacher, target


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], len(ctx)


def test_bench_roll_call_and_dashboard(time_machine: Any) -> None:
    time_machine.move_to(datetime(2026, 11, 25, 10, tzinfo=PARIS), tick=True)
    cpe, teacher, course = _build()
    print(f"\nbuilt: {Course.objects.count()} courses, {Event.objects.count()} events")
    gc.collect()
    gc.freeze()
    plan = [
        (teacher, "roll call (35 pupils)", f"/vie-scolaire/appel/{course.pk}/{WEDNESDAY}/"),
        (teacher, "teacher day", f"/vie-scolaire/?date={WEDNESDAY}"),
        (cpe, "dashboard (lycée of 1,995)", "/vie-scolaire/"),
    ]
    for person, name, url in plan:
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        empty = _measure(client, "/_banc/vide/")
        account = _measure(client, "/compte/")
        p50, p95, queries = _measure(client, url)
        print(
            f"{name:28s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries; "
            f"p95 / empty view {p95 / empty[1]:.2f}, / compte {p95 / account[1]:.2f} "
            f"(empty {empty[1]:.1f} ms {empty[2]} q, compte {account[1]:.1f} ms {account[2]} q)"
        )
