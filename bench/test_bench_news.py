"""Benchmark: a parent's news page (``/actualites/``) across three children's schools.

Builds three schools of ``CLASSES`` classes each, ``ITEMS`` live items per school (half of
them aimed at classes other than the child's), and a region-wide item; a parent with one
child in each school. Prints, for the parent with three children and for a parent with
one: p50 and p95 of the page over ``RUNS`` requests, its query count, and the ratio of
the p95 to the bare account page (``/compte/``). The query count must not depend on the
number of children (asserted); time is never asserted.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_news.py -s``.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.directory import factories, services
from ostal.directory.models import Profile
from ostal.news import services as news
from ostal.news.services import NewsInput
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import Authority, School

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
CLASSES, ITEMS, RUNS = 12, 60, 30


def _timed(client: Any, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], len(queries)


def test_bench_parent_news_page(client: Any, settings: Any) -> None:
    settings.NEWS_MAX_PER_HOUR = 10_000
    ensure_territory()
    children = []
    for n, (kind, dept) in enumerate(
        [(School.Kind.COLLEGE, "34"), (School.Kind.LYCEE, "12"), (School.Kind.COLLEGE, "31")]
    ):
        school = SchoolFactory(uai=f"09{n}1111A", kind=kind, department_code=dept)
        head = factories.staff(school=school, profile=Profile.DIRECTION, username=f"dir{n}")
        services.school_admin_grant(person=head, school=school)
        classes = [factories.school_class(school=school, code=f"C{c}") for c in range(CLASSES)]
        children.append(factories.pupil(school_class=classes[0], first_name=f"Enfant{n}"))
        for i in range(ITEMS):
            targets = [f"class:{classes[i % CLASSES].pk}"] if i % 2 else []
            news.news_save(
                author=head,
                data=NewsInput(
                    owner=f"school:{school.pk}",
                    title=f"Actualité {i}",
                    body="<p>Texte</p>",
                    targets=targets,
                    for_parents=True,
                ),
                action="send",
            )
    region_admin = factories.person(profile=Profile.AUTHORITY_STAFF, username="region")
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    services.authority_role_grant(person=region_admin, authority=region, is_admin=True)
    news.news_save(
        author=region_admin,
        data=NewsInput(owner=f"authority:{region.pk}", title="Région", body="x", for_parents=True),
        action="send",
    )
    three = factories.relative(children=children, username="parent3", password="x-bench-1")
    one = factories.relative(children=children[:1], username="parent1", password="x-bench-1")

    client.force_login(three, backend="django.contrib.auth.backends.ModelBackend")
    base = _timed(client, "/compte/")
    p50, p95, q3 = _timed(client, "/actualites/")
    print(f"\nbare account page: p50 {base[0] * 1000:.1f} ms, p95 {base[1] * 1000:.1f} ms")
    print(
        f"news, 3 children in 3 schools: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"{q3} queries, p95 ratio to account page {p95 / base[1]:.2f}"
    )
    client.force_login(one, backend="django.contrib.auth.backends.ModelBackend")
    p50, p95, q1 = _timed(client, "/actualites/")
    print(f"news, 1 child: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, {q1} queries")
    assert q1 == q3
