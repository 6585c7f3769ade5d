"""Writes of the agenda: calendars created on first use, events, excluded occurrences,
invitations and their answers.

Rules: only a calendar's writers (``can_manage_calendar``) add, change or delete its
events; an event ends after it starts; a recurrence is an RFC 5545 rule of daily or less
frequent occurrences; audiences (profiles) exist only on a school's calendar; invitations
exist only on personal events, and only to people the messaging rules let the inviter
write to (``rules_engine.allowed_recipients``: the same engine, not a second one). Each
write is whole or nothing (``transaction.atomic``); a refusal is a French
``ValidationError`` (``PermissionDenied`` when the person may not write at all).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ostal.agenda.abilities import can_manage_calendar
from ostal.agenda.models import Calendar, Event, Invitation
from ostal.agenda.recurrence import PARIS, RuleError, normalise_rule
from ostal.directory.models import Person, Profile, SchoolClass, TeachingGroup
from ostal.messaging.rules_engine import allowed_recipients, unnamed_label
from ostal.territory.models import School

MAX_INVITEES = 50
MAX_EXDATES = 200


@dataclass
class EventInput:
    """What a form or the API gives for an event. ``start``/``end`` are Paris wall times
    (naive) or aware datetimes; for an all-day event only their dates count (both days
    included)."""

    title: str
    start: datetime
    end: datetime
    all_day: bool = False
    place: str = ""
    description: str = ""
    rrule: str = ""
    exdates: list[date] = field(default_factory=list)
    skip_holidays: bool = False
    audiences: list[str] = field(default_factory=list)
    uid: str = ""


def calendar_ensure(*, kind: str, target: Any) -> Calendar:
    """The calendar of a person, class, group or school, created on first use."""
    lookup: dict[str, Any]
    if kind == Calendar.Kind.PERSONAL:
        lookup = {"owner": target}
    elif kind == Calendar.Kind.CLASS:
        assert isinstance(target, SchoolClass)
        lookup = {"school_class": target}
    elif kind == Calendar.Kind.GROUP:
        assert isinstance(target, TeachingGroup)
        lookup = {"group": target}
    else:
        assert isinstance(target, School)
        lookup = {"school": target}
    calendar, _created = Calendar.objects.get_or_create(kind=kind, **lookup)
    return calendar


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=PARIS)
    return value.astimezone(PARIS)


def _clean(calendar: Calendar, data: EventInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = (data.title or "").strip()
    if not title:
        errors.setdefault("title", []).append("Le titre est obligatoire.")
    elif len(title) > 200:
        errors.setdefault("title", []).append("Le titre fait 200 caractères au plus.")
    if len(data.place or "") > 200:
        errors.setdefault("place", []).append("Le lieu fait 200 caractères au plus.")
    if len(data.description or "") > 10_000:
        errors.setdefault("description", []).append(
            "La description fait 10 000 caractères au plus."
        )
    if data.all_day:
        starts_at = datetime.combine(data.start.date(), time.min, tzinfo=PARIS)
        ends_at = datetime.combine(data.end.date() + timedelta(days=1), time.min, tzinfo=PARIS)
    else:
        starts_at, ends_at = _aware(data.start), _aware(data.end)
    if ends_at <= starts_at:
        errors.setdefault("end", []).append("La fin doit venir après le début.")
    try:
        rule = normalise_rule(data.rrule)
    except RuleError as exc:
        errors.setdefault("rrule", []).append(str(exc))
        rule = ""
    if len(data.exdates) > MAX_EXDATES:
        errors.setdefault("exdates", []).append(
            f"{MAX_EXDATES} dates exclues au plus par événement."
        )
    audiences = sorted(set(data.audiences))
    if audiences and calendar.kind != Calendar.Kind.SCHOOL:
        errors.setdefault("audiences", []).append(
            "Les publics ne se choisissent que dans l'agenda d'un établissement."
        )
    if any(a not in Profile.values for a in audiences):
        errors.setdefault("audiences", []).append("Public inconnu.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "place": (data.place or "").strip(),
        "description": (data.description or "").replace("\r\n", "\n").strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": data.all_day,
        "rrule": rule,
        "exdates": sorted({d.isoformat() for d in data.exdates}) if rule else [],
        "skip_holidays": bool(data.skip_holidays and rule),
        "audiences": audiences,
    }


def event_save(
    *, actor: Person, calendar: Calendar, data: EventInput, event: Event | None = None
) -> Event:
    """Add an event to a calendar, or change one of its events."""
    if not can_manage_calendar(actor, calendar):
        raise PermissionDenied
    if event is not None and event.calendar_id != calendar.pk:
        raise PermissionDenied
    values = _clean(calendar, data)
    with transaction.atomic():
        if event is None:
            event = Event(calendar=calendar, author=actor)
            if data.uid:
                event.uid = data.uid[:255]
        for name, value in values.items():
            setattr(event, name, value)
        event.save()
    return event


def event_delete(*, actor: Person, event: Event) -> None:
    if not can_manage_calendar(actor, event.calendar):
        raise PermissionDenied
    event.delete()


def occurrence_skip(*, actor: Person, event: Event, day: date) -> Event:
    """Remove one occurrence of a repeated event (an ``EXDATE``), the others kept."""
    if not can_manage_calendar(actor, event.calendar):
        raise PermissionDenied
    if not event.rrule:
        raise ValidationError("Cet événement ne se répète pas : supprimez-le.")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        dates = set(locked.exdates) | {day.isoformat()}
        if len(dates) > MAX_EXDATES:
            raise ValidationError(f"{MAX_EXDATES} dates exclues au plus par événement.")
        locked.exdates = sorted(dates)
        locked.save(update_fields=["exdates", "updated_at"])
    return locked


def invitation_send(*, actor: Person, event: Event, people: Iterable[int]) -> list[Invitation]:
    """Invite people to a personal event of the actor: all of them, or none when one of
    them is out of the actor's reach (the message names them by id only)."""
    if event.calendar.kind != Calendar.Kind.PERSONAL or event.calendar.owner_id != actor.pk:
        raise PermissionDenied
    wanted = set(people) - {actor.pk}
    already = set(Invitation.objects.filter(event=event).values_list("person_id", flat=True))
    wanted -= already
    if not wanted:
        raise ValidationError("Choisissez au moins une personne à inviter.")
    if len(wanted) + len(already) > MAX_INVITEES:
        raise ValidationError(f"{MAX_INVITEES} invités au plus par événement.")
    allowed = allowed_recipients(actor, wanted)
    refused = sorted(wanted - allowed.keys())
    if refused:
        raise ValidationError(
            "Vous ne pouvez pas inviter "
            + ", ".join(unnamed_label(pk).lower() for pk in refused)
            + " : les règles de communication de l'établissement ne le permettent pas."
        )
    with transaction.atomic():
        return Invitation.objects.bulk_create(
            [Invitation(event=event, person_id=pk) for pk in sorted(wanted)]
        )


def invitation_answer(*, invitation: Invitation, person: Person, answer: str) -> Invitation:
    if invitation.person_id != person.pk:
        raise PermissionDenied
    if answer not in {
        Invitation.Answer.ACCEPTED,
        Invitation.Answer.DECLINED,
        Invitation.Answer.MAYBE,
    }:
        raise ValidationError("Réponse inconnue : acceptez, déclinez ou répondez peut-être.")
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "answered_at"])
    return invitation
