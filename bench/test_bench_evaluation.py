"""Benchmark: the mark pages of a collège class of 35 pupils with 10 evaluations in each of
6 subjects (2,100 marks), on PostgreSQL.

Measures with the Django test client, after a warm-up:
* the account page (``/compte/``), the floor;
* the teacher's service table (35 pupils × 10 evaluations) and one evaluation's mark grid;
* a parent's marks page (two children in the class: one section each) and a pupil's;
and prints p50/p95 in ms, the p95 ratio to the floor and the query counts, twice: with 5
then with 10 evaluations per subject, so that a query count that grows with the data shows.
Never asserts on time.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_evaluation.py -s``.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

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
from ostal.evaluation.models import Evaluation, Mark
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import School

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
PUPILS, SUBJECTS, RUNS = 35, 6, 40
NOW = "2026-11-25T10:00:00+01:00"


def _people(prefix: str, profile: str, n: int) -> list[Person]:
    return Person.objects.bulk_create(
        [
            Person(
                username=f"{prefix}{i}", profile=profile, last_name=f"{prefix}{i}", state="active"
            )
            for i in range(n)
        ]
    )


def _build() -> dict[str, Any]:
    ensure_territory()
    school = SchoolFactory(uai="0348888Y", kind=School.Kind.COLLEGE, name="Collège Bench")
    school_class = SchoolClass.objects.create(school=school, school_year=2026, code="4B")
    subjects = [
        Subject.objects.get_or_create(code=f"98{n:04d}", defaults={"label": f"Matière {n}"})[0]
        for n in range(SUBJECTS)
    ]
    teachers = _people("banc.prof", Profile.TEACHER, SUBJECTS)
    pupils = _people("banc.eleve", Profile.PUPIL, PUPILS)
    (parent,) = _people("banc.parent", Profile.RELATIVE, 1)
    Affiliation.objects.bulk_create(
        [Affiliation(person=p, school=school, profile=p.profile) for p in [*teachers, *pupils]]
    )
    Enrolment.objects.bulk_create([Enrolment(pupil=p, school_class=school_class) for p in pupils])
    RelativeLink.objects.bulk_create(
        [
            RelativeLink(relative=parent, pupil=pupils[0]),
            RelativeLink(relative=parent, pupil=pupils[1]),
        ]
    )
    services = TeachingAssignment.objects.bulk_create(
        [
            TeachingAssignment(teacher=t, school_class=school_class, subject=s)
            for t, s in zip(teachers, subjects, strict=True)
        ]
    )
    return {
        "class": school_class,
        "subjects": subjects,
        "teachers": teachers,
        "pupils": pupils,
        "parent": parent,
        "services": services,
        "count": 0,
    }


def _add_evaluations(world: dict[str, Any], upto: int) -> None:
    evaluations = []
    for s, (subject, teacher) in enumerate(zip(world["subjects"], world["teachers"], strict=True)):
        for k in range(world["count"], upto):
            evaluations.append(
                Evaluation(
                    school=world["class"].school,
                    school_year=2026,
                    school_class=world["class"],
                    subject=subject,
                    teacher=teacher,
                    date=date(2026, 9, 7) + timedelta(days=7 * k + s),
                    title=f"Évaluation {k}",
                    scale=20,
                    coefficient=Decimal(1 + k % 3),
                    published_at="2026-11-01T10:00:00+01:00",
                )
            )
    evaluations = Evaluation.objects.bulk_create(evaluations)
    Mark.objects.bulk_create(
        [
            Mark(
                evaluation=e,
                pupil=p,
                value=None if (i + e.pk) % 17 == 0 else Decimal((i * 7 + e.pk) % 21),
                special="abs" if (i + e.pk) % 17 == 0 else "",
            )
            for e in evaluations
            for i, p in enumerate(world["pupils"])
        ]
    )
    world["count"] = upto


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    assert client.get(url).status_code == 200, url  # warm
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = list(ctx.captured_queries)
    p95 = statistics.quantiles(timings, n=20)[18]
    return statistics.median(timings), p95, len(queries)


def test_bench_mark_pages(time_machine: Any) -> None:
    """Prints the figures (no assertion on time; each page answers 200)."""
    time_machine.move_to(NOW, tick=False)
    world = _build()
    teacher = world["teachers"][0]
    service = world["services"][0]
    for upto in (5, 10):
        _add_evaluations(world, upto)
        first = Evaluation.objects.filter(subject=world["subjects"][0]).order_by("pk").first()
        assert first is not None
        pages = [
            ("floor /compte/", teacher, "/compte/"),
            ("service table", teacher, f"/notes/services/{service.pk}/?periode=1"),
            ("mark grid", teacher, f"/notes/evaluations/{first.pk}/"),
            ("pupil's marks", world["pupils"][0], "/notes/?periode=1"),
            ("parent's marks (2 children)", world["parent"], "/notes/?periode=1"),
        ]
        print(f"\n{upto} evaluations × {SUBJECTS} subjects × {PUPILS} pupils")
        floor = None
        for label, person, url in pages:
            client = Client()
            client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
            p50, p95, n = _measure(client, url)
            floor = floor or p95
            print(
                f"  {label:30} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ×{p95 / floor:5.2f}  {n} queries"
            )
