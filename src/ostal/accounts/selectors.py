"""Reads of the security log, sessions and devices, always scoped to the viewer.

Security log scope (rule): a school admin reads the events of the people of their schools
(staff attached there, pupils enrolled there, relatives of those pupils); a collectivité
admin those of its schools; region admins and operators every event. Events without a known
account (a login typed that matches nobody) are therefore only seen by the latter. The
scope is the one of the directory imports (``feed.selectors.import_scope_of``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ostal.accounts.models import KnownDevice, TrackedSession
from ostal.core.models import SecurityEvent
from ostal.directory.models import Affiliation, Enrolment, Person, RelativeLink
from ostal.feed.selectors import import_scope_of

RECENT_EVENTS = 10
NEW_DEVICE_NOTICE_DAYS = 30


def security_scope_of(user: Any) -> set[str] | None:
    """UAIs whose people's events ``user`` may read; ``None`` means all, empty nothing."""
    return import_scope_of(user)


def security_events_visible_to(
    *,
    viewer: Any,
    kind: str = "",
    username: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[SecurityEvent]:
    """Events of the viewer's scope, newest first, filtered (kind, login typed, days)."""
    scope = security_scope_of(viewer)
    if scope == set():
        return SecurityEvent.objects.none()
    events = SecurityEvent.objects.select_related("subject", "actor")
    if scope is not None:
        schools = Q(school__uai__in=scope)
        affiliated = Affiliation.objects.filter(schools).values("person_id")
        enrolled = Enrolment.objects.filter(
            school_class__school__uai__in=scope, school_class__archived=False
        ).values("pupil_id")
        relatives = RelativeLink.objects.filter(
            pupil__enrolments__school_class__school__uai__in=scope,
            pupil__enrolments__school_class__archived=False,
        ).values("relative_id")
        events = events.filter(
            Q(subject_id__in=affiliated) | Q(subject_id__in=enrolled) | Q(subject_id__in=relatives)
        )
    if kind:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(Q(username__iexact=username) | Q(subject__username__iexact=username))
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        events = events.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, zone))
    return events.order_by("-at", "-pk")


def own_recent_events(*, person: Person, limit: int = RECENT_EVENTS) -> list[SecurityEvent]:
    """The person's own latest events ("Activité récente de mon compte")."""
    return list(SecurityEvent.objects.filter(subject=person).order_by("-at", "-pk")[:limit])


def sessions_of(*, person: Person) -> QuerySet[TrackedSession]:
    return TrackedSession.objects.filter(person=person).select_related("device")


def devices_of(*, person: Person) -> QuerySet[KnownDevice]:
    return KnownDevice.objects.filter(person=person)


def new_device_notices(*, person: Person) -> QuerySet[KnownDevice]:
    """Devices announced to the person recently (shown on the profile page)."""
    since = timezone.now() - timedelta(days=NEW_DEVICE_NOTICE_DAYS)
    return KnownDevice.objects.filter(person=person, alerted=True, first_seen_at__gte=since)
