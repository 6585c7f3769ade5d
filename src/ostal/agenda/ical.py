"""iCalendar (RFC 5545) in and out of the agenda.

* Out: each calendar as a private feed, for the person holding the link (the timetable's
  token, ``timetable.CalendarFeedToken``: one secret per person, revoked and renewed on
  the same page). Repeated events keep their ``RRULE`` with ``EXDATE`` for the removed
  occurrences (and, for ``skip_holidays``, the days without school of the next year), in
  Europe/Paris with its ``VTIMEZONE``. UIDs are the events' stable ``uid``.
* In: an external ``.ics`` file into a personal calendar. Every event is read and checked
  before anything is written; one bad event refuses the whole file with a French message
  naming it (its rank and UID). Importing the same file again changes nothing: events are
  matched by UID. A moved occurrence (``RECURRENCE-ID``) becomes an event of its own, its
  original date excluded from the series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar as ICalendar
from icalendar import Event as IEvent
from icalendar import vRecur

from ostal.agenda.abilities import event_targets
from ostal.agenda.models import Calendar, Event
from ostal.agenda.recurrence import PARIS, RuleError, normalise_rule, skipped_dates
from ostal.agenda.services import EventInput, _clean
from ostal.directory.models import Person

FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 365
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_EVENTS = 2000
UTC = ZoneInfo("UTC")
_LOCAL_UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6})?(?=;|$)")


def _until_utc(rule: str) -> str:
    """``UNTIL`` as RFC 5545 wants it with a zoned ``DTSTART``: a UTC instant. A local
    ``UNTIL`` (or a date: the end of that day) is read as Paris time."""

    def convert(match: re.Match[str]) -> str:
        day = datetime.strptime(match.group(1), "%Y%m%d")
        clock = match.group(2)
        local = (
            datetime.strptime(match.group(1) + clock, "%Y%m%dT%H%M%S")
            if clock
            else day.replace(hour=23, minute=59, second=59)
        )
        return "UNTIL=" + local.replace(tzinfo=PARIS).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return _LOCAL_UNTIL.sub(convert, rule)


def calendar_feed(*, calendar: Calendar, person: Person, manager: bool) -> bytes:
    """The calendar as iCalendar text, as ``person`` may see it."""
    today = timezone.localdate()
    horizon = today + timedelta(days=FEED_FUTURE_DAYS)
    cal = ICalendar()
    cal.add("prodid", "-//Ostal//agenda//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Agenda — {calendar.label}")
    cal.add("x-wr-timezone", "Europe/Paris")
    stamp = timezone.now()
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    events = Event.objects.filter(calendar=calendar).exclude(rrule="", ends_at__lt=since)
    first = today
    for event in events:
        if not event_targets(person, event, manager=manager):
            continue
        item = IEvent()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        start = event.starts_at.astimezone(PARIS)
        end = event.ends_at.astimezone(PARIS)
        first = min(first, start.date())
        if event.all_day:
            item.add("dtstart", start.date())
            item.add("dtend", end.date())
        else:
            item.add("dtstart", start)
            item.add("dtend", end)
        item.add("summary", event.title)
        if event.place:
            item.add("location", event.place)
        if event.description:
            item.add("description", event.description)
        if event.rrule:
            item.add("rrule", vRecur.from_ical(_until_utc(event.rrule)))
            skipped = skipped_dates(event, start.date(), horizon)
            if skipped:
                item.add("exdate", [s.date() for s in skipped] if event.all_day else skipped)
        cal.add_component(item)
    cal.add_missing_timezones(first_date=first, last_date=horizon)
    return bytes(cal.to_ical())


class ImportFileError(ValueError):
    """A file that cannot be imported; the message is French and says where."""


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int


def _local(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(PARIS) if value.tzinfo else value.replace(tzinfo=PARIS)
    return datetime.combine(value, datetime.min.time(), tzinfo=PARIS)


def _dates(prop: Any) -> list[date]:
    out: list[date] = []
    for item in prop if isinstance(prop, list) else [prop]:
        for dt in getattr(item, "dts", []):
            value = dt.dt
            out.append(_local(value).date() if isinstance(value, datetime) else value)
    return out


def _read_event(component: Any, where: str) -> tuple[EventInput, str | None]:
    """One VEVENT as an ``EventInput``, and its ``RECURRENCE-ID`` date if it moves an
    occurrence of a series."""
    try:
        raw_start = component.decoded("DTSTART")
    except (KeyError, ValueError):
        raise ImportFileError(f"{where} : DTSTART (début) manquant ou illisible.") from None
    all_day = not isinstance(raw_start, datetime)
    try:
        if "DTEND" in component:
            raw_end = component.decoded("DTEND")
        elif "DURATION" in component:
            raw_end = raw_start + component.decoded("DURATION")
        else:
            raw_end = raw_start + (timedelta(days=1) if all_day else timedelta(hours=1))
    except (KeyError, ValueError, TypeError):
        raise ImportFileError(f"{where} : DTEND (fin) illisible.") from None
    start, end = _local(raw_start), _local(raw_end)
    if all_day:
        end = end - timedelta(days=1)  # DTEND of a date is the day after (exclusive)
        if end < start:
            raise ImportFileError(f"{where} : la fin doit venir après le début.")
    rule = ""
    if "RRULE" in component:
        rule = component["RRULE"].to_ical().decode()
    exdates = _dates(component["EXDATE"]) if "EXDATE" in component else []
    moved = None
    if "RECURRENCE-ID" in component:
        moved = _local(component.decoded("RECURRENCE-ID")).date().isoformat()
    data = EventInput(
        title=str(component.get("SUMMARY", "")).strip() or "(sans titre)",
        start=start,
        end=end,
        all_day=all_day,
        place=str(component.get("LOCATION", "")).strip()[:200],
        description=str(component.get("DESCRIPTION", "")).strip()[:10_000],
        rrule=rule,
        exdates=exdates,
        uid=str(component.get("UID", "")).strip()[:200],
    )
    return data, moved


def parse_ics(content: bytes) -> list[EventInput]:
    """Every event of the file, checked; ``ImportFileError`` at the first bad one."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError("Fichier trop gros : 2 Mo au plus.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("Le fichier n'est pas un iCalendar (.ics) en UTF-8.") from None
    if "BEGIN:VCALENDAR" not in text[:2000].upper():
        raise ImportFileError(
            "Le fichier n'est pas un iCalendar (.ics) : BEGIN:VCALENDAR manquant."
        )
    try:
        parsed = ICalendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportFileError(f"iCalendar illisible ({exc}).") from None
    components = [
        c for c in parsed.walk("VEVENT") if str(c.get("STATUS", "")).upper() != "CANCELLED"
    ]
    if not components:
        raise ImportFileError("Le fichier ne contient aucun événement (VEVENT).")
    if len(components) > MAX_IMPORT_EVENTS:
        raise ImportFileError(f"Trop d'événements : {MAX_IMPORT_EVENTS} au plus par fichier.")
    series: dict[str, EventInput] = {}
    moved: list[tuple[EventInput, str]] = []
    out: list[EventInput] = []
    for number, component in enumerate(components, start=1):
        uid = str(component.get("UID", "")).strip()
        where = f"Événement n° {number}" + (f" (UID {uid[:60]})" if uid else "")
        data, recurrence = _read_event(component, where)
        try:
            data.rrule = normalise_rule(data.rrule)
        except RuleError as exc:
            raise ImportFileError(f"{where} : {exc}") from None
        if not data.uid:
            data.uid = f"import-{number}-{data.start:%Y%m%dT%H%M}@ostal"
        if recurrence is not None:
            moved.append((data, recurrence))
            data.uid = f"{data.uid}#{recurrence}"[:255]
        elif data.uid in series:
            raise ImportFileError(f"{where} : deux événements portent le même UID.")
        else:
            series[data.uid] = data
        out.append(data)
    for data, recurrence in moved:
        master = series.get(data.uid.rsplit("#", 1)[0])
        if master is not None:
            master.exdates.append(date.fromisoformat(recurrence))
    return out


def ics_import(*, actor: Person, calendar: Calendar, content: bytes) -> ImportResult:
    """Import a file into the actor's personal calendar: all of it or nothing."""
    from ostal.agenda.services import event_save

    if calendar.kind != Calendar.Kind.PERSONAL or calendar.owner_id != actor.pk:
        raise ImportFileError("On n'importe un fichier que dans son agenda personnel.")
    items = parse_ics(content)
    cleaned = []
    for number, data in enumerate(items, start=1):
        try:
            cleaned.append((data, _clean(calendar, data)))
        except ValidationError as exc:
            raise ImportFileError(
                f"Événement n° {number} (UID {data.uid[:60]}) : " + " ".join(exc.messages)
            ) from None
    existing = {e.uid: e for e in Event.objects.filter(calendar=calendar)}
    result = ImportResult(0, 0, 0)
    with transaction.atomic():
        for data, values in cleaned:
            event = existing.get(data.uid)
            if event is None:
                event_save(actor=actor, calendar=calendar, data=data)
                result.created += 1
            elif any(getattr(event, k) != v for k, v in values.items()):
                event_save(actor=actor, calendar=calendar, data=data, event=event)
                result.updated += 1
            else:
                result.unchanged += 1
    return result
