"""Benchmark: the e-mail digest job with 5,000 parents who each got a new message, on
PostgreSQL (the mail backend is Django's in-memory outbox: the figures are Ostal's work,
not SMTP's).

Builds 5,000 active parents with a confirmed address, 100,000 older deliveries the job has
already scanned, and one new broadcast delivered to the 5,000. Then times, with query
counts:
* a run at 17:30 (daily digests are due from 18:00): scan + everyone marked waiting;
* a second run at 17:45: the waiting people are not looked at again (``not_before``);
* the run at 18:05 that mails the 5,000.
Never asserts on time.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_notifications.py -s``.
"""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ostal.directory.models import Person, Profile
from ostal.messaging.models import Delivery, Message
from ostal.notifications import services
from ostal.notifications.models import DigestCursor

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
PARENTS, OLD = 5000, 100_000
PARIS = ZoneInfo("Europe/Paris")


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 12, 1, hour, minute, tzinfo=PARIS)


def _timed(label: str, now: datetime) -> services.DigestReport:
    import cProfile
    import os
    import pstats

    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        if profile:
            profile.enable()
        report = services.digest_run(now=now)
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - start
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print(
        f"{label}: {elapsed * 1000:.0f} ms, {len(queries)} queries, scanned={report.scanned} "
        f"marked={report.marked} sent={report.sent}"
    )
    return report


def test_bench_digest(settings: object) -> None:
    teacher = Person.objects.create(
        username="bench.prof", profile=Profile.TEACHER, last_name="Prof", state="active"
    )
    parents = Person.objects.bulk_create(
        [
            Person(
                username=f"bench.parent{n}",
                profile=Profile.RELATIVE,
                last_name=f"Parent{n}",
                state="active",
                email=f"parent{n}@example.org",
                email_confirmed_at=_at(8, 0),
            )
            for n in range(PARENTS)
        ]
    )
    old = Message.objects.create(author=teacher, subject="Ancien", sent_at=_at(7, 0))
    Delivery.objects.bulk_create(
        [
            Delivery(message=old, recipient=parents[n % PARENTS], sent_at=_at(7, 0))
            for n in range(OLD)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    last = Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    DigestCursor.objects.update_or_create(pk=1, defaults={"last_delivery_id": last})
    new = Message.objects.create(
        author=teacher, subject="Sortie scolaire", body="secret", sent_at=_at(16, 0)
    )
    Delivery.objects.bulk_create(
        [Delivery(message=new, recipient=p, sent_at=_at(16, 0)) for p in parents],
        batch_size=5000,
    )
    reverse("web:home")  # a worker has its URLs loaded: not part of a run
    _timed("17:30 scan + all waiting", _at(17, 30))
    _timed("17:45 nobody due", _at(17, 45))
    report = _timed("18:05 send", _at(18, 5))
    assert report.sent == PARENTS and len(mail.outbox) == PARENTS
