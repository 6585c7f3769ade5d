"""Reads of the usage statistics, scoped to the schools the person may see.

Figures come from the daily aggregates (``DailyAudience``, ``DailyAccounts``); the
"national audience" export reads the raw pseudonymised events, in the shape of the DNMA tag
(service, UAI, profile, pseudonymised id).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, QuerySet, Sum

from ostal.core.models import AudienceEvent
from ostal.directory.models import Profile
from ostal.pilotage.abilities import readable_member_ids
from ostal.pilotage.models import DailyAccounts, DailyAudience
from ostal.pilotage.services.statistics import paris_day_bounds
from ostal.territory.models import School

PROFILE_LABELS = dict(Profile.choices)


@dataclass
class Figures:
    start: date
    end: date
    visits: int = 0
    visitors: int = 0
    accounts: int = 0
    activated: int = 0
    by_day: list[tuple[date, int]] = field(default_factory=list)
    by_service: list[tuple[str, int, int]] = field(default_factory=list)
    by_profile: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    by_school: list[dict[str, Any]] = field(default_factory=list)

    @property
    def activation_rate(self) -> str:
        return rate(self.activated, self.accounts)


def percent(value: float) -> str:
    """A percentage as the tables and charts write it: « 12,5 % »."""
    return f"{value:.1f} %".replace(".", ",")


def rate(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return percent(100 * part / whole)


def audience_rows(user: Any, member_id: int | None) -> QuerySet[DailyAudience]:
    ids = readable_member_ids(user)
    rows = DailyAudience.objects.all()
    if ids is not None:
        rows = rows.filter(member_id__in=ids)
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    return rows


def account_rows(user: Any, member_id: int | None) -> QuerySet[DailyAccounts]:
    ids = readable_member_ids(user)
    rows = DailyAccounts.objects.all()
    if ids is not None:
        rows = rows.filter(member_id__in=ids)
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    return rows


def figures_for(user: Any, *, start: date, end: date, member_id: int | None = None) -> Figures:
    """The period's aggregates for the schools the person may see (a fixed number of queries)."""
    figures = Figures(start, end)
    audience = audience_rows(user, member_id).filter(day__gte=start, day__lte=end)
    totals = audience.aggregate(visits=Sum("visits"), visitors=Sum("visitors"))
    figures.visits = totals["visits"] or 0
    figures.visitors = totals["visitors"] or 0
    per_day = dict(
        audience.values_list("day").annotate(n=Sum("visits")).order_by().values_list("day", "n")
    )
    day = start
    while day <= end:
        figures.by_day.append((day, per_day.get(day, 0)))
        day += timedelta(days=1)
    figures.by_service = [
        (r["service"], r["v"], r["u"])
        for r in audience.values("service")
        .annotate(v=Sum("visits"), u=Sum("visitors"))
        .order_by("-v", "service")
    ]
    snapshot = account_rows(user, member_id).filter(day__lte=end)
    last = snapshot.aggregate(d=Max("day"))["d"]
    accounts = snapshot.filter(day=last) if last else snapshot.none()
    acc_by_profile = {
        r["profile"]: (r["a"], r["b"])
        for r in accounts.values("profile")
        .annotate(a=Sum("accounts"), b=Sum("activated"))
        .order_by()
    }
    aud_by_profile = {
        r["profile"]: (r["v"], r["u"])
        for r in audience.values("profile").annotate(v=Sum("visits"), u=Sum("visitors")).order_by()
    }
    for profile in sorted(set(acc_by_profile) | set(aud_by_profile)):
        v, u = aud_by_profile.get(profile, (0, 0))
        a, b = acc_by_profile.get(profile, (0, 0))
        figures.by_profile.append((str(PROFILE_LABELS.get(profile, profile)), v, u, a, b))
        figures.accounts += a
        figures.activated += b
    aud_by_school = {
        r["uai"]: (r["v"], r["u"])
        for r in audience.values("uai").annotate(v=Sum("visits"), u=Sum("visitors")).order_by()
    }
    acc_by_school = {
        r["school_id"]: (r["a"], r["b"])
        for r in accounts.values("school_id")
        .annotate(a=Sum("accounts"), b=Sum("activated"))
        .order_by()
    }
    school_ids = set(acc_by_school)
    schools = School.objects.filter(pk__in=school_ids) | School.objects.filter(
        uai__in=set(aud_by_school)
    )
    for school in schools.distinct().order_by("name"):
        v, u = aud_by_school.get(school.uai, (0, 0))
        a, b = acc_by_school.get(school.pk, (0, 0))
        figures.by_school.append(
            {
                "school": school,
                "visits": v,
                "visitors": u,
                "accounts": a,
                "activated": b,
                "rate": rate(b, a),
            }
        )
    return figures


def national_audience_rows(user: Any, *, start: date, end: date) -> Iterator[list[str]]:
    """Raw events in the DNMA shape, for the schools the person may see."""
    ids = readable_member_ids(user)
    schools = School.objects.all()
    if ids is not None:
        schools = schools.filter(responsible_authority_id__in=ids)
    begin, _ = paris_day_bounds(start)
    _, finish = paris_day_bounds(end)
    events = AudienceEvent.objects.filter(at__gte=begin, at__lt=finish).exclude(uai="")
    if ids is not None:
        events = events.filter(uai__in=schools.values("uai"))
    for e in events.order_by("at").iterator(chunk_size=2000):
        profile = Profile.national_code(e.profile) if e.profile in Profile.values else e.profile
        yield [e.at.isoformat(), e.service, e.uai, profile, e.pseudonym]
