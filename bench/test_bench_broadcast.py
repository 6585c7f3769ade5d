"""Benchmark: the broadcast that matters (issue 24, item 4), through the JSON API over HTTP,
committed, with the real cache backend (Redis on 127.0.0.1:6379), on PostgreSQL.

Builds a lycée of 1,500 pupils (43 classes, 20 option groups of 40 pupils) with 2,600
relatives through relative links (most pupils have two, 100 families have two children in
the lycée, 300 relatives also have a child in a collège), a principal (direction, school
admin) and a teacher of one class. Then, with Django's live server on loopback (a real
HTTP server in a thread of this process, each request committed) and the Redis cache:

* the principal writes to all parents of the lycée: ``POST /api/v1/messages/envoyer/`` with
  every class's ``pc:`` list and every group's ``pg:`` list (≈2,600 distinct recipients);
* a teacher writes to the parents of their class (``pc:``, ≈60 recipients);

and prints, per case, the HTTP time seen by the client (p50/p95/max over the runs) and, on
the server, the time after the commit apart: the cache invalidations of the recipients'
unread counters and quotas (``unread_forget``, ``quota_forget`` — ``message_send`` runs them
once its transaction has committed). The e-mail digest the broadcast causes is background
work (``notifications_email_digest_periodic``, every 15 minutes): one ``digest_run`` after
the sends is timed apart too. Never asserts on time.

Run: ``DATABASE_URL=postgres://…/<db> pytest -m bench bench/test_bench_broadcast.py -s``
(``OSTAL_BENCH_REDIS_URL`` to use another Redis than ``redis://127.0.0.1:6379/9``).
"""

from __future__ import annotations

import gc
import json
import math
import os
import statistics
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ostal.conftest import PASSWORD
from ostal.directory import factories, services
from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    TeachingGroup,
    school_year_of,
)
from ostal.messaging import quota
from ostal.messaging import services as messaging_services
from ostal.messaging.models import Delivery
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import School

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

PUPILS, PER_CLASS, GROUPS, PER_GROUP = 1500, 35, 20, 40
SECOND_PARENTS, SIBLING_FAMILIES, COLLEGE_PUPILS = 1100, 100, 300
LYCEE_RUNS, CLASS_RUNS = 12, 30
REDIS_URL = os.environ.get("OSTAL_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def _people(prefix: str, profile: str, n: int) -> list[Person]:
    return Person.objects.bulk_create(
        [
            Person(
                username=f"{prefix}{i}",
                profile=profile,
                first_name=f"P{i}",
                last_name=f"{prefix.title()}{i}",
                email=f"{prefix}{i}@example.org",
                email_confirmed_at=timezone.now(),
                state="active",
            )
            for i in range(n)
        ],
        batch_size=2000,
    )


def _build() -> tuple[Person, Person, School, SchoolClass]:
    ensure_territory()
    year = school_year_of()
    lycee = SchoolFactory(uai="0349997X", kind=School.Kind.LYCEE, name="Lycée Diffusion")
    college = SchoolFactory(uai="0349996W", kind=School.Kind.COLLEGE, name="Collège Voisin")
    classes = SchoolClass.objects.bulk_create(
        [
            SchoolClass(school=lycee, school_year=year, code=f"L{n:02d}")
            for n in range(-(-PUPILS // PER_CLASS))
        ]
    )
    college_class = SchoolClass.objects.create(school=college, school_year=year, code="6A")
    groups = TeachingGroup.objects.bulk_create(
        [TeachingGroup(school=lycee, school_year=year, code=f"OPT{n:02d}") for n in range(GROUPS)]
    )
    pupils = _people("bd.eleve", Profile.PUPIL, PUPILS)
    younger = _people("bd.collegien", Profile.PUPIL, COLLEGE_PUPILS)
    relatives = _people("bd.parent", Profile.RELATIVE, PUPILS + SECOND_PARENTS)
    Affiliation.objects.bulk_create(
        [Affiliation(person=p, school=lycee, profile=Profile.PUPIL, is_main=True) for p in pupils]
        + [
            Affiliation(person=p, school=college, profile=Profile.PUPIL, is_main=True)
            for p in younger
        ],
        batch_size=2000,
    )
    Enrolment.objects.bulk_create(
        [Enrolment(pupil=p, school_class=classes[i // PER_CLASS]) for i, p in enumerate(pupils)]
        + [Enrolment(pupil=p, school_class=college_class) for p in younger],
        batch_size=2000,
    )
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(person=pupils[(g * 73 + k) % PUPILS], group=group)
            for g, group in enumerate(groups)
            for k in range(PER_GROUP)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    links = [RelativeLink(relative=relatives[i], pupil=p) for i, p in enumerate(pupils)]
    links += [
        RelativeLink(relative=relatives[PUPILS + i], pupil=pupils[i]) for i in range(SECOND_PARENTS)
    ]
    # siblings in the lycée: the last 100 pupils' first parent is also the parent of another
    links += [
        RelativeLink(relative=relatives[i], pupil=pupils[PUPILS - 1 - i])
        for i in range(SIBLING_FAMILIES)
    ]
    links += [RelativeLink(relative=relatives[i], pupil=p) for i, p in enumerate(younger)]
    RelativeLink.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    principal = factories.staff(
        school=lycee,
        profile=Profile.DIRECTION,
        function="DIR",
        username="bd.proviseur",
        password=PASSWORD,
    )
    services.school_admin_grant(person=principal, school=lycee)
    teacher = factories.teacher(school=lycee, username="bd.prof", password=PASSWORD)
    maths = factories.subject("061300", "MATHÉMATIQUES")
    services.teaching_assign(teacher=teacher, subject=maths, school_class=classes[0])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return principal, teacher, lycee, classes[0]


class _Timer:
    """Times the calls of the functions ``message_send`` runs after its commit."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = defaultdict(list)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[name].append((time.perf_counter() - started) * 1000)

        return timed

    def take(self) -> dict[str, list[float]]:
        taken, self.totals = dict(self.totals), defaultdict(list)
        return taken


def _post(url: str, token: str, payload: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        url,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        body = response.read()
        status = response.status
    elapsed = (time.perf_counter() - started) * 1000
    assert status == 201, body[:500]
    return elapsed, json.loads(body)


def _p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (never above the maximum with few runs)."""
    ranked = sorted(values)
    return ranked[max(math.ceil(0.95 * len(ranked)) - 1, 0)]


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[None]:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ostal-bench-broadcast",
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_bench_broadcast_over_http(
    live_server: Any, redis_cache: None, settings: Any, monkeypatch: Any
) -> None:
    settings.MESSAGING_MAX_PER_HOUR = 10_000
    started = time.monotonic()
    principal, teacher, lycee, school_class = _build()
    print(
        f"\ndatabase: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND']} "
        f"{REDIS_URL}; built in {time.monotonic() - started:.1f} s: "
        f"{Person.objects.filter(profile=Profile.PUPIL).count()} pupils, "
        f"{Person.objects.filter(profile=Profile.RELATIVE).count()} relatives, "
        f"{RelativeLink.objects.count()} relative links"
    )
    timer = _Timer()
    monkeypatch.setattr(
        messaging_services,
        "unread_forget",
        timer.wrap("unread_forget", messaging_services.unread_forget),
    )
    monkeypatch.setattr(
        messaging_services.quota, "quota_forget", timer.wrap("quota_forget", quota.quota_forget)
    )
    url = f"{live_server.url}/api/v1/messages/envoyer/"
    classes = SchoolClass.objects.filter(school=lycee).order_by("code")
    groups = TeachingGroup.objects.filter(school=lycee).order_by("code")
    cases = {
        "principal → all parents of the lycée": (
            Token.objects.get_or_create(user=principal)[0].key,
            [f"pc:{c.pk}" for c in classes] + [f"pg:{g.pk}" for g in groups],
            LYCEE_RUNS,
        ),
        "teacher → parents of a class": (
            Token.objects.get_or_create(user=teacher)[0].key,
            [f"pc:{school_class.pk}"],
            CLASS_RUNS,
        ),
    }
    gc.collect()
    gc.freeze()
    for name, (token, recipients, runs) in cases.items():
        payload = {"recipients": recipients, "subject": "Information", "body": "<p>Texte</p>"}
        _post(url, token, {**payload, "subject": "Chauffe"})  # warm
        timer.take()
        timings, count = [], 0
        for n in range(runs):
            elapsed, message = _post(url, token, {**payload, "subject": f"Information {n}"})
            timings.append(elapsed)
            count = message["recipient_count"]
        after = timer.take()
        after_commit = [
            u + q for u, q in zip(after["unread_forget"], after["quota_forget"], strict=True)
        ]
        server = [t - a for t, a in zip(timings, after_commit, strict=True)]
        print(
            f"{name}: {count} recipients, {len(recipients)} lists, {runs} sends over HTTP\n"
            f"    HTTP time        p50 {statistics.median(timings):7.1f} ms  "
            f"p95 {_p95(timings):7.1f} ms  max {max(timings):7.1f} ms\n"
            f"    without the after-commit work  p50 {statistics.median(server):7.1f} ms  "
            f"p95 {_p95(server):7.1f} ms\n"
            f"    after commit (unread_forget + quota_forget)  "
            f"p50 {statistics.median(after_commit):6.1f} ms  p95 {_p95(after_commit):6.1f} ms"
        )
        assert count > 0
        if os.environ.get("OSTAL_BENCH_PROFILE"):
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(
                messaging_services.message_send,
                sender=Token.objects.get(key=token).user,
                targets=recipients,
                subject="Profil",
                body="<p>Texte</p>",
            )
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    from ostal.notifications.services import digest_run

    # The digest job's next run, as if 15 minutes later: every delivery is past its cutoff.
    later = timezone.now() + timedelta(minutes=15)
    for n in (1, 2):
        started = time.perf_counter()
        report = digest_run(now=later)
        print(
            f"background: e-mail digest run {n} after the sends: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms, scanned {report.scanned} "
            f"deliveries, marked {report.marked} people, sent {report.sent} digests "
            f"({report.failed} failed); {Delivery.objects.count()} deliveries in the table"
        )
    expected = (
        RelativeLink.objects.filter(pupil__enrolments__school_class__school=lycee)
        .values("relative_id")
        .distinct()
        .count()
    )
    print(f"distinct parents of the lycée: {expected}")
