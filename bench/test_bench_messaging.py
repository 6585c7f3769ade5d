"""Benchmark: a class-wide broadcast to 2,000 recipients, and the inbox of a user with
10,000 messages, on PostgreSQL.

Builds a collège with one class of 2,000 pupils and a teacher, then:
* times ``message_send`` of a broadcast to the class (rules check + bulk insert of the
  2,000 delivery rows), server time only, several runs;
* gives a pupil 10,000 messages and measures the inbox (``/messagerie/``, page 1 and a far
  page) against the empty authenticated view (``/_banc/vide/``: session + user, issue 24)
  and the account page (``/compte/``) in the same run: p50/p95 in ms, the p95 ratios to
  both, and the query counts (constant: same count for page 1 and page 50).
Never asserts on time.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_messaging.py -s``.
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostal.directory.models import Affiliation, Enrolment, Person, Profile, SchoolClass
from ostal.messaging import services
from ostal.messaging.models import Delivery, Message
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import School

# The test URLconf adds the empty authenticated view (``/_banc/vide/``: session + user, the
# floor) to the site's URLs.
pytestmark = [pytest.mark.bench, pytest.mark.django_db, pytest.mark.urls("ostal.web.tests.urls")]
PUPILS, INBOX, RUNS, SENDS = 2000, 10_000, 60, 5


def _build() -> tuple[Person, Person, SchoolClass]:
    ensure_territory()
    school = SchoolFactory(uai="0349998Y", kind=School.Kind.COLLEGE, name="Collège Bench")
    school_class = SchoolClass.objects.create(school=school, school_year=2026, code="BIG")
    teacher = Person.objects.create(
        username="bench.prof", profile=Profile.TEACHER, last_name="Prof", state="active"
    )
    pupils = Person.objects.bulk_create(
        [
            Person(
                username=f"bench.eleve{n}",
                profile=Profile.PUPIL,
                last_name=f"Élève{n}",
                state="active",
            )
            for n in range(PUPILS)
        ]
    )
    Affiliation.objects.bulk_create(
        [Affiliation(person=teacher, school=school, profile=Profile.TEACHER, is_main=True)]
        + [
            Affiliation(person=p, school=school, profile=Profile.PUPIL, is_main=True)
            for p in pupils
        ]
    )
    Enrolment.objects.bulk_create([Enrolment(pupil=p, school_class=school_class) for p in pupils])
    return teacher, pupils[0], school_class


def _fill_inbox(teacher: Person, pupil: Person) -> None:
    now = timezone.now()
    messages = Message.objects.bulk_create(
        [
            Message(
                author=teacher,
                subject=f"Message {n}",
                body="<p>Texte</p>",
                sent_at=now - timedelta(minutes=n),
                recipients_label="Élève",
                recipient_count=1,
                about_pupil=pupil if n % 3 == 0 else None,
            )
            for n in range(INBOX)
        ],
        batch_size=2000,
    )
    Delivery.objects.bulk_create(
        [
            Delivery(message=m, recipient=pupil, sent_at=m.sent_at, read_at=now if n % 2 else None)
            for n, m in enumerate(messages)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE messaging_delivery; ANALYZE messaging_message;")


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
    return (
        statistics.median(timings),
        statistics.quantiles(timings, n=20)[18],
        len(ctx.captured_queries),
    )


def test_bench_broadcast_and_inbox(settings) -> None:
    settings.MESSAGING_MAX_PER_HOUR = 1000
    teacher, pupil, school_class = _build()
    print(f"\ndatabase: {connection.vendor}")
    durations = []
    for n in range(SENDS):
        started = time.perf_counter()
        message = services.message_send(
            sender=teacher,
            targets=[f"c:{school_class.pk}"],
            subject=f"Diffusion {n}",
            body="<p>Info</p>",
        )
        durations.append((time.perf_counter() - started) * 1000)
        assert message.recipient_count == PUPILS
    print(
        f"broadcast to {PUPILS} recipients (message_send): "
        f"median {statistics.median(durations):.0f} ms, max {max(durations):.0f} ms "
        f"over {SENDS} sends ({', '.join(f'{d:.0f}' for d in durations)})"
    )
    if os.environ.get("OSTAL_BENCH_PROFILE"):
        profiler = cProfile.Profile()
        profiler.runcall(
            services.message_send,
            sender=teacher,
            targets=[f"c:{school_class.pk}"],
            subject="Profil",
            body="<p>Info</p>",
        )
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    started = time.monotonic()
    _fill_inbox(teacher, pupil)
    print(
        f"inbox of {Delivery.objects.filter(recipient=pupil).count()} messages built in {time.monotonic() - started:.1f} s"
    )
    gc.collect()
    gc.freeze()
    client = Client()
    client.force_login(pupil, backend="django.contrib.auth.backends.ModelBackend")
    results = {}
    for name, url in (
        ("empty view", "/_banc/vide/"),
        ("shell alone", "/_banc/coquille/"),
        ("bare /compte/", "/compte/"),
        ("inbox page 1", "/messagerie/"),
        ("inbox page 50", "/messagerie/?page=50"),
    ):
        results[name] = _measure(client, url)
        p50, p95, queries = results[name]
        print(f"{name:16s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries")
    for page in ("shell alone", "bare /compte/", "inbox page 1", "inbox page 50"):
        print(
            f"{page}: p95 ratio to the empty view = "
            f"{results[page][1] / results['empty view'][1]:.2f}, "
            f"to /compte/ = {results[page][1] / results['bare /compte/'][1]:.2f}"
        )
    assert results["inbox page 1"][2] == results["inbox page 50"][2]
    _bench_quota(pupil)


def _bench_quota(pupil: Person) -> None:
    """The quota's usage query, cold (what the inbox pays once a minute, and every send)."""
    from ostal.messaging import quota
    from ostal.messaging.models import Attachment

    held = list(Delivery.objects.filter(recipient=pupil).values_list("message_id", flat=True))
    Attachment.objects.bulk_create(
        [
            Attachment(
                message_id=pk,
                file="bench.pdf",
                name="bench.pdf",
                content_type="application/pdf",
                size=1000,
            )
            for pk in held[::10]
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE messaging_attachment;")
    assert quota.usage(user=pupil) == 1000 * len(held[::10])
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        quota.usage(user=pupil)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"quota usage of {len(held)} copies ({len(held[::10])} files), cold: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {statistics.quantiles(timings, n=20)[18]:.1f} ms, 1 query"
    )
