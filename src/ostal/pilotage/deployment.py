"""Deployment (issue 7 §3): a school's ENT is open while a current deployment order covers it.

"Current" means: a deployment order in a committed state (notified, service verified, paid
— not a draft, not cancelled) whose service period contains today (Europe/Paris). The
answer is cached per school for ``PILOTAGE_GATE_CACHE_SECONDS`` and forgotten as soon as an
order covering the school changes state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from ostal.pilotage.models import Order
from ostal.territory.models import School

CACHE_KEY = "pilotage:open:{}"


def current_deployment_orders(day: date | None = None) -> QuerySet[Order]:
    day = day or timezone.localdate()
    return Order.objects.filter(
        kind=Order.Kind.DEPLOYMENT,
        state__in=Order.COMMITTED,
        starts_on__lte=day,
        ends_on__gte=day,
    )


def school_is_open(school: School, day: date | None = None) -> bool:
    if day is not None:
        return current_deployment_orders(day).filter(schools=school).exists()
    key = CACHE_KEY.format(school.pk)
    known = cache.get(key)
    if known is None:
        known = current_deployment_orders().filter(schools=school).exists()
        cache.set(key, known, settings.PILOTAGE_GATE_CACHE_SECONDS)
    return bool(known)


def forget(school_ids: Iterable[int]) -> None:
    cache.delete_many([CACHE_KEY.format(pk) for pk in school_ids])


@dataclass(frozen=True)
class SchoolState:
    school: School
    order: Order | None
    upcoming: Order | None

    @property
    def is_open(self) -> bool:
        return self.order is not None

    @property
    def state(self) -> str:
        if self.order is not None:
            return "open"
        if self.upcoming is not None:
            return "ordered"
        return "closed"


def deployment_states(schools: QuerySet[School], day: date | None = None) -> list[SchoolState]:
    """Each school with the order that opens it today, or the next one that will (3 queries)."""
    day = day or timezone.localdate()
    school_list = list(schools.select_related("responsible_authority", "department"))
    ids = [s.pk for s in school_list]
    through = Order.schools.through
    links = through.objects.filter(
        school_id__in=ids,
        order__kind=Order.Kind.DEPLOYMENT,
        order__ends_on__gte=day,
        order__state__in=(Order.State.DRAFT, *Order.COMMITTED),
    ).select_related("order")
    current: dict[int, Order] = {}
    upcoming: dict[int, Order] = {}
    for link in links:
        order = link.order
        if order.state in Order.COMMITTED and order.starts_on <= day:
            current.setdefault(link.school_id, order)
        else:
            upcoming.setdefault(link.school_id, order)
    return [SchoolState(s, current.get(s.pk), upcoming.get(s.pk)) for s in school_list]
