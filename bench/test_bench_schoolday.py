"""Benchmark: a pupil's week and a teacher's day with a full lycée's year of cahier de
textes, on PostgreSQL.

Builds a lycée of 45 classes of 35 pupils (1,575 pupils), 90 teachers, 30 one-hour courses
a week per class (1,350 courses) and, for the whole school year (36 weeks), one lesson per
course and week (≈48,600 lessons) with work given in one lesson out of two (≈24,300). Then
measures, with the Django test client in the same run:
* the empty authenticated view (``/_banc/vide/``: session + user), the floor, and the
  account page (``/compte/``), the floor the earlier runs used;
* the shell alone (``/_banc/coquille/``);
* a pupil's week (``/emploi-du-temps/``), home page, homework list and the cahier de
  textes of their class; a teacher's day (``/emploi-du-temps/jour/``) and home page; the
  family week and home page of a parent of three pupils in three classes;
and prints p50/p95 in ms, the p95 ratios to both floors and the query counts (the week's
and the day's pinned by ``src/ostal/timetable/tests/test_weeks.py``). Never asserts on
time.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_schoolday.py -s``.
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
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
    TeachingAssignment,
)
from ostal.homework.models import Homework, LessonEntry
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import School
from ostal.timetable.models import Course

# The test URLconf adds the empty authenticated view (``/_banc/vide/``: session + user, the
# floor) to the site's URLs.
pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.urls("ostal.web.tests.urls")]
PARIS = ZoneInfo("Europe/Paris")
YEAR_START = date(2026, 8, 31)  # Monday of the rentrée week
WEEKS = 36
MONDAY = date(2026, 11, 23)
CLASSES, PUPILS_PER_CLASS, TEACHERS, COURSES_PER_CLASS = 45, 35, 90, 30
RUNS = 60


def _build() -> tuple[Person, Person, Person, SchoolClass]:
    ensure_territory()
    school = SchoolFactory(uai="0349999Z", kind=School.Kind.LYCEE, name="Lycée Bench")
    subjects = [
        Subject.objects.get_or_create(code=f"99{n:04d}", defaults={"label": f"Matière {n}"})[0]
        for n in range(10)
    ]
    classes = SchoolClass.objects.bulk_create(
        [SchoolClass(school=school, school_year=2026, code=f"C{n:02d}") for n in range(CLASSES)]
    )
    teachers = Person.objects.bulk_create(
        [
            Person(
                username=f"bench.prof{n}",
                profile=Profile.TEACHER,
                last_name=f"Prof{n}",
                state="active",
            )
            for n in range(TEACHERS)
        ]
    )
    pupils = Person.objects.bulk_create(
        [
            Person(
                username=f"bench.eleve{n}",
                profile=Profile.PUPIL,
                last_name=f"Eleve{n}",
                state="active",
            )
            for n in range(CLASSES * PUPILS_PER_CLASS)
        ]
    )
    Affiliation.objects.bulk_create(
        [Affiliation(person=p, school=school, profile=p.profile) for p in [*teachers, *pupils]]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(pupil=p, school_class=classes[i // PUPILS_PER_CLASS])
            for i, p in enumerate(pupils)
        ]
    )
    courses: list[Course] = []
    owners: list[tuple[SchoolClass, Person, Subject]] = []
    for c, school_class in enumerate(classes):
        for k in range(COURSES_PER_CLASS):
            teacher = teachers[(c * 3 + k % 6) % TEACHERS]
            subject = subjects[k % 10]
            start = dtime(8 + k % 6 + (1 if k % 6 >= 4 else 0), 0)
            courses.append(
                Course(
                    school=school,
                    school_year=2026,
                    origin=Course.Origin.MANUAL,
                    subject=subject,
                    subject_label=subject.label,
                    weekday=1 + k // 6,
                    start_time=start,
                    end_time=dtime(start.hour + 1, 0),
                    first_date=YEAR_START,
                    last_date=YEAR_START + timedelta(weeks=WEEKS),
                )
            )
            owners.append((school_class, teacher, subject))
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
    TeachingAssignment.objects.bulk_create(
        list(
            {
                (o[0].pk, o[1].pk, o[2].pk): TeachingAssignment(
                    school_class=o[0], teacher=o[1], subject=o[2]
                )
                for o in owners
            }.values()
        )
    )
    for week in range(WEEKS):
        lessons = []
        for co, (school_class, teacher, subject) in zip(courses, owners, strict=True):
            day = YEAR_START + timedelta(weeks=week, days=co.weekday - 1)
            lessons.append(
                LessonEntry(
                    school=school,
                    school_class=school_class,
                    course=co,
                    subject=subject,
                    subject_label=subject.label,
                    author=teacher,
                    date=day,
                    start_time=co.start_time,
                    title=f"Séance {week}",
                    content="<p>Contenu de la séance.</p>",
                    visible_from=datetime.combine(day, dtime(7, 0), tzinfo=PARIS),
                )
            )
        lessons = LessonEntry.objects.bulk_create(lessons, batch_size=2000)
        Homework.objects.bulk_create(
            [
                Homework(
                    lesson=le,
                    school_class=le.school_class,
                    due_date=le.date + timedelta(days=7),
                    instructions="<p>Exercices.</p>",
                    estimated_minutes=20,
                    is_test=n % 10 == 0,
                )
                for n, le in enumerate(lessons)
                if n % 2 == 0
            ],
            batch_size=2000,
        )
    # a parent of three pupils in three classes (the family week)
    parent = Person.objects.create(
        username="bench.parent", profile=Profile.RELATIVE, last_name="Parent", state="active"
    )
    RelativeLink.objects.bulk_create(
        [RelativeLink(relative=parent, pupil=pupils[n * PUPILS_PER_CLASS]) for n in range(3)]
    )
    return pupils[0], teachers[0], parent, classes[0]


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = list(ctx.captured_queries)
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    slowest = sorted(queries, key=lambda q: -float(q["time"]))[:2]
    print(f"    {url}: SQL time of one request {sql_ms:.1f} ms; slowest:")
    for query in slowest:
        print(f"      {float(query['time']) * 1000:.1f} ms {query['sql'][:150]}")
    if os.environ.get("OSTAL_BENCH_PROFILE"):
        profiler = cProfile.Profile()
        profiler.runcall(client.get, url)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"    slowest runs (ms): {', '.join(f'{t:.0f}' for t in sorted(timings)[-5:])}")
    return statistics.median(timings), p95, len(queries)


def test_bench_pupil_week_and_teacher_day(time_machine: Any) -> None:
    # The built year is 2026-2027: the pages are asked on a day of it, whatever today is.
    time_machine.move_to(datetime(2026, 11, 25, 10, tzinfo=PARIS), tick=True)
    started = time.monotonic()
    pupil, teacher, parent, school_class = _build()
    built = time.monotonic() - started
    print(
        f"\nbuilt in {built:.1f} s: {Course.objects.count()} courses, "
        f"{LessonEntry.objects.count()} lessons, {Homework.objects.count()} pieces of work"
    )
    # The benchmark's own heap (the build, pytest, Playwright…) is moved out of the garbage
    # collector's reach, as a preloaded gunicorn worker does; otherwise one request in
    # twenty pays a full collection of objects that are not the page's.
    gc.collect()
    gc.freeze()
    people = {"pupil": pupil, "teacher": teacher, "parent": parent}
    pages = [
        ("pupil", "pupil week", f"/emploi-du-temps/?date={MONDAY}"),
        ("pupil", "pupil home", "/"),
        ("pupil", "pupil homework list", "/cahier-de-textes/"),
        ("pupil", "cahier de textes of the class", f"/cahier-de-textes/classe/{school_class.pk}/"),
        ("teacher", "teacher day", f"/emploi-du-temps/jour/?date={MONDAY}"),
        ("teacher", "teacher home", "/"),
        ("parent", "family week (3 children)", f"/emploi-du-temps/famille/?date={MONDAY}"),
        ("parent", "parent home", "/"),
    ]
    results = {}
    for who, person in people.items():
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        for name, url in (
            (f"empty view ({who})", "/_banc/vide/"),
            (f"shell alone ({who})", "/_banc/coquille/"),
            (f"bare /compte/ ({who})", "/compte/"),
            *((name, url) for owner, name, url in pages if owner == who),
        ):
            results[name] = _measure(client, url)
            p50, p95, queries = results[name]
            print(f"{name:32s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries")
    for who in people:
        names = [f"shell alone ({who})", f"bare /compte/ ({who})"]
        names += [name for owner, name, _url in pages if owner == who]
        empty, account = results[f"empty view ({who})"], results[f"bare /compte/ ({who})"]
        for page in names:
            print(
                f"{page}: p95 ratio to the empty view = {results[page][1] / empty[1]:.2f}, "
                f"to /compte/ = {results[page][1] / account[1]:.2f}"
            )
