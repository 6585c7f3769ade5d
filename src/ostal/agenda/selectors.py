"""Reads of the agenda, scoped to the person asking.

A range of the agenda is: the events of the calendars the person may read (one query for
the calendars, one for their events), less the school events whose audience leaves the
person out, plus the events they are invited to (one query), each expanded in Paris time
(``recurrence.expand``). Missing and forbidden answer the same ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from ostal.agenda.abilities import (
    can_manage_calendar,
    event_targets,
    managed_school_ids,
    readable_q,
    taught_q,
)
from ostal.agenda.models import Calendar, Event, Invitation
from ostal.agenda.recurrence import PARIS, Occurrence, expand
from ostal.directory.models import Person, SchoolClass, TeachingGroup
from ostal.territory.models import School


@dataclass
class Readable:
    """The calendars a person reads, and which of them they write in."""

    calendars: list[Calendar]
    managed: set[int]  # ids of the calendars the person writes in

    def by_id(self, pk: int | None) -> Calendar | None:
        return next((c for c in self.calendars if c.pk == pk), None)


def _calendars() -> QuerySet[Calendar]:
    return Calendar.objects.select_related("school_class", "group", "school", "owner")


def readable_calendars(*, user: Person) -> Readable:
    """The calendars the user may read (three queries: their schools, the schools they
    manage, the calendars; two more for a teacher's classes and groups), the personal one
    first."""
    managed_schools = managed_school_ids(user)
    calendars = list(_calendars().filter(readable_q(user, managed_schools)).order_by("kind", "pk"))
    calendars.sort(key=lambda c: (c.kind != Calendar.Kind.PERSONAL, c.kind, c.label))
    managed = {
        c.pk
        for c in calendars
        if c.kind == Calendar.Kind.PERSONAL
        or (c.kind == Calendar.Kind.SCHOOL and c.school_id in managed_schools)
    }
    # A class's or group's writers: its teachers and the school's management (two more
    # queries, only when such calendars are read).
    if any(c.kind in (Calendar.Kind.CLASS, Calendar.Kind.GROUP) for c in calendars):
        taught_classes, taught_groups = taught_q(user)
        classes = set(SchoolClass.objects.filter(taught_classes).values_list("pk", flat=True))
        groups = set(TeachingGroup.objects.filter(taught_groups).values_list("pk", flat=True))
        for c in calendars:
            if c.kind == Calendar.Kind.CLASS and c.school_class is not None:
                mine = c.school_class_id in classes
                school = c.school_class.school_id
            elif c.kind == Calendar.Kind.GROUP and c.group is not None:
                mine = c.group_id in groups
                school = c.group.school_id
            else:
                continue
            if mine or school in managed_schools:
                managed.add(c.pk)
    return Readable(calendars, managed)


def calendar_for_reader(*, user: Person, pk: int | None) -> Calendar | None:
    if pk is None:
        return None
    return readable_calendars(user=user).by_id(pk)


def calendar_for_manager(*, user: Person, pk: int | None) -> Calendar | None:
    calendar = _calendars().filter(pk=pk).first() if pk is not None else None
    return calendar if can_manage_calendar(user, calendar) else None


def _in_range(start: date, end: date) -> Q:
    """Events that may have an occurrence between the local days ``start`` and ``end``."""
    low = datetime.combine(start, time.min, tzinfo=PARIS)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=PARIS)
    single = Q(rrule="", starts_at__lt=high, ends_at__gt=low)
    repeated = ~Q(rrule="") & Q(starts_at__lt=high)
    return single | repeated


def occurrences_for(
    *, user: Person, start: date, end: date, calendar_ids: set[int] | None = None
) -> list[Occurrence]:
    """The person's agenda from ``start`` to ``end`` (local days), sorted by start."""
    readable = readable_calendars(user=user)
    calendars = {c.pk: c for c in readable.calendars}
    if calendar_ids is not None:
        calendars = {pk: c for pk, c in calendars.items() if pk in calendar_ids}
    events = Event.objects.filter(_in_range(start, end), calendar_id__in=list(calendars))
    out: list[Occurrence] = []
    for event in events:
        event.calendar = calendars[event.calendar_id]
        if event_targets(user, event, manager=event.calendar_id in readable.managed):
            out.extend(expand(event, start, end))
    if calendar_ids is None:
        invitations = (
            Invitation.objects.filter(person=user)
            .filter(_event_in_range(start, end))
            .select_related("event__calendar__owner")
        )
        for invitation in invitations:
            for occ in expand(invitation.event, start, end):
                occ.invitation = invitation
                out.append(occ)
    out.sort(key=lambda o: (o.start, not o.all_day, o.event.title, o.event.pk))
    return out


def _event_in_range(start: date, end: date) -> Q:
    inner = _in_range(start, end)
    return Q(event__in=Event.objects.filter(inner).values("pk"))


def event_for_reader(*, user: Person, pk: int | None) -> tuple[Event, Invitation | None] | None:
    """An event the person may see (in a calendar they read and in its audience, or one
    they are invited to), with their invitation if any."""
    if pk is None:
        return None
    event = Event.objects.filter(pk=pk).select_related("calendar__owner").first()
    if event is None:
        return None
    invitation = Invitation.objects.filter(event=event, person=user).first()
    if invitation is not None:
        return event, invitation
    readable = readable_calendars(user=user)
    calendar = readable.by_id(event.calendar_id)
    if calendar is None or not event_targets(user, event, manager=calendar.pk in readable.managed):
        return None
    event.calendar = calendar
    return event, None


def event_for_manager(*, user: Person, pk: int | None) -> Event | None:
    event = (
        Event.objects.filter(pk=pk).select_related("calendar__owner").first()
        if pk is not None
        else None
    )
    if event is None or not can_manage_calendar(user, event.calendar):
        return None
    return event


def invitations_of(*, event: Event) -> list[Invitation]:
    return list(
        Invitation.objects.filter(event=event)
        .select_related("person")
        .order_by("person__last_name")
    )


def pending_invitations(*, user: Person, limit: int = 20) -> list[Invitation]:
    """Invitations the person has not answered yet, for events not over."""
    from django.utils import timezone

    return list(
        Invitation.objects.filter(person=user, answer=Invitation.Answer.PENDING)
        .filter(Q(event__ends_at__gte=timezone.now()) | ~Q(event__rrule=""))
        .select_related("event__calendar__owner")
        .order_by("event__starts_at")[:limit]
    )


@dataclass
class Target:
    """A calendar the person may write in, possibly not created yet."""

    key: str  # "personnel", "classe-<id>", "groupe-<id>", "etablissement-<id>"
    label: str
    kind: str
    obj: Any = None


def writable_targets(*, user: Person) -> list[Target]:
    """Where the person may add an event: their own calendar, the classes and groups they
    teach (this year's), the schools they manage."""
    from ostal.core.french import school_name

    targets = [Target("personnel", "Agenda personnel", Calendar.Kind.PERSONAL, user)]
    taught_classes, taught_groups = taught_q(user)
    for school_class in SchoolClass.objects.filter(taught_classes, archived=False).order_by("code"):
        targets.append(
            Target(f"classe-{school_class.pk}", f"Classe {school_class}", "class", school_class)
        )
    for group in TeachingGroup.objects.filter(taught_groups, archived=False).order_by("code"):
        targets.append(Target(f"groupe-{group.pk}", f"Groupe {group}", "group", group))
    for school in School.objects.filter(pk__in=managed_school_ids(user)).order_by("name"):
        targets.append(
            Target(f"etablissement-{school.pk}", school_name(school.name), "school", school)
        )
    return targets
