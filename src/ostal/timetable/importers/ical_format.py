"""Reader of a timetable as iCalendar (RFC 5545), with Ostal's documented conventions.

Each ``VEVENT`` is a course: ``SUMMARY`` the subject (code or label), ``LOCATION`` the
room, ``CATEGORIES`` the class and group codes, ``ORGANIZER``/``ATTENDEE`` with ``CN=NOM
Prénom`` the teachers; ``DTSTART``/``DTEND`` the first occurrence (Europe/Paris); an
``RRULE`` ``FREQ=WEEKLY`` (``INTERVAL`` 1 or 2, ``UNTIL``) repeats it, ``EXDATE`` removes
dates. An event without ``RRULE`` is a course of one date. Anything else is refused with
the event's position.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from ostal.timetable.importers import CourseDraft, ParsedTimetable, TimetableFileError

PARIS = ZoneInfo("Europe/Paris")


def _local(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError("date sans heure")
    return value.astimezone(PARIS) if value.tzinfo else value


def _names(prop: object) -> list[str]:
    items = prop if isinstance(prop, list) else [prop]
    out = []
    for item in items:
        cn = getattr(item, "params", {}).get("CN") if item is not None else None
        if cn:
            out.append(str(cn))
    return out


def parse_ical(content: bytes, *, uai: str) -> ParsedTimetable:
    try:
        calendar = Calendar.from_ical(content)
    except ValueError as exc:
        raise TimetableFileError(f"iCalendar illisible ({exc})") from None
    drafts: list[CourseDraft] = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        where = f"événement n° {number}"
        try:
            start = _local(event.decoded("DTSTART"))
            end = _local(event.decoded("DTEND"))
        except (KeyError, ValueError):
            raise TimetableFileError(f"{where} : DTSTART et DTEND avec heure attendus") from None
        if end <= start or end.date() != start.date():
            raise TimetableFileError(f"{where} : la fin doit suivre le début, le même jour")
        subject = str(event.get("SUMMARY", "")).strip()
        if not subject:
            raise TimetableFileError(f"{where} : SUMMARY (matière) manquant")
        codes: list[str] = []
        categories = event.get("CATEGORIES")
        for cat in categories if isinstance(categories, list) else [categories]:
            if cat is not None:
                codes += [str(c).strip() for c in cat.cats if str(c).strip()]
        if not codes:
            raise TimetableFileError(f"{where} : CATEGORIES (classes ou groupes) manquant")
        first = start.date()
        last = first
        interval = 1
        rule = event.get("RRULE")
        if rule:
            if rule.get("FREQ") != ["WEEKLY"]:
                raise TimetableFileError(f"{where} : seule la répétition FREQ=WEEKLY est acceptée")
            interval = int(rule.get("INTERVAL", [1])[0])
            until = rule.get("UNTIL")
            if not until or interval not in (1, 2):
                raise TimetableFileError(f"{where} : RRULE doit avoir UNTIL et INTERVAL 1 ou 2")
            last = until[0].date() if isinstance(until[0], datetime) else until[0]
        excluded: set[date] = set()
        exdates = event.get("EXDATE")
        for ex in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
            excluded |= {
                _local(d.dt).date() if isinstance(d.dt, datetime) else d.dt for d in ex.dts
            }
        mondays = []
        day = first
        while day <= last:
            if day not in excluded:
                mondays.append(day - timedelta(days=day.weekday()))
            day += timedelta(weeks=interval)
        if not mondays:
            continue
        teachers = []
        for name in _names(event.get("ORGANIZER")) + _names(event.get("ATTENDEE")):
            last_name, _sep, first_name = name.partition(" ")
            teachers.append((last_name, first_name))
        drafts.append(
            CourseDraft(
                weekday=first.isoweekday(),
                start=start.time(),
                end=end.time(),
                subject_code=subject,
                subject_label=subject,
                first_date=first,
                last_date=max(last, first),
                weeks=mondays,
                classes=codes,  # the import also looks them up among groups
                teachers=teachers,
                rooms=[str(event.get("LOCATION"))] if event.get("LOCATION") else [],
                external_id=str(event.get("UID", number))[:64],
                line=number,
            )
        )
    if not drafts:
        raise TimetableFileError("aucun cours dans le fichier")
    first_day = min(d.first_date for d in drafts)
    year = first_day.year if first_day.month >= 8 else first_day.year - 1
    return ParsedTimetable(uai=uai, school_year_start=date(year, 9, 1), drafts=drafts)
