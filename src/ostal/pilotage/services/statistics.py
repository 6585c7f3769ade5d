"""Usage statistics (issue 7 §6): daily aggregates of the audience events.

One row per (Paris day, UAI, profile, service): ``visits`` = events, ``visitors`` = distinct
pseudonymised accounts (the "active accounts" of the day). Plus a daily snapshot of the
accounts of each school and profile (how many exist, how many are activated) for the
activation rate. Re-running a day replaces its figures (aggregates are derived data; the
audience events themselves are never touched).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ostal.core.models import AudienceEvent
from ostal.directory.models import Affiliation, Person
from ostal.pilotage.models import DailyAccounts, DailyAudience
from ostal.territory.models import School


def paris_day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)
    return start, end


@transaction.atomic
def audience_aggregate_day(*, day: date) -> int:
    """Aggregate one Paris day of audience events; returns the number of rows written."""
    start, end = paris_day_bounds(day)
    rows = (
        AudienceEvent.objects.filter(at__gte=start, at__lt=end)
        .values("uai", "profile", "service")
        .annotate(visits=Count("pk"), visitors=Count("pseudonym", distinct=True))
        .order_by()
    )
    schools = {
        s.uai: s for s in School.objects.filter(uai__in={r["uai"] for r in rows if r["uai"]})
    }
    models.QuerySet.delete(DailyAudience.objects.filter(day=day))
    objects = []
    for r in rows:
        school = schools.get(r["uai"])
        objects.append(
            DailyAudience(
                day=day,
                uai=r["uai"],
                school=school,
                member_id=school.responsible_authority_id if school else None,
                profile=r["profile"],
                service=r["service"],
                visits=r["visits"],
                visitors=r["visitors"],
            )
        )
    DailyAudience.objects.bulk_create(objects, batch_size=500)
    accounts_snapshot(day=day)
    return len(objects)


@transaction.atomic
def accounts_snapshot(*, day: date) -> int:
    """How many accounts each school has per profile, and how many are activated."""
    rows = (
        Affiliation.objects.values("school_id", "school__responsible_authority_id", "profile")
        .annotate(
            accounts=Count("person", distinct=True),
            activated=Count("person", distinct=True, filter=Q(person__state=Person.State.ACTIVE)),
        )
        .order_by()
    )
    models.QuerySet.delete(DailyAccounts.objects.filter(day=day))
    objects = [
        DailyAccounts(
            day=day,
            school_id=r["school_id"],
            member_id=r["school__responsible_authority_id"],
            profile=r["profile"],
            accounts=r["accounts"],
            activated=r["activated"],
        )
        for r in rows
    ]
    DailyAccounts.objects.bulk_create(objects, batch_size=500)
    return len(objects)


def audience_aggregate_range(*, start: date, end: date) -> int:
    total, day = 0, start
    while day <= end:
        total += audience_aggregate_day(day=day)
        day += timedelta(days=1)
    return total
