"""Recurrence of an event: RFC 5545 rules expanded in Europe/Paris local time.

Rule: a weekly event at 10:00 stays at 10:00 on the wall clock across the change of time
(the rule is expanded on naive local times, then each occurrence is placed in the zone);
an excluded date (``EXDATE``) removes the occurrence of that local day; an event marked
``skip_holidays`` has no occurrence on a day without school (zone holidays, public
holidays: ``timetable.school_calendar.day_off``). Rules more frequent than daily are
refused, and every expansion is bounded by the range asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]  # no stubs shipped

from ostal.timetable.school_calendar import day_off

PARIS = ZoneInfo("Europe/Paris")
ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
MAX_OCCURRENCES = 1000  # per event and per range: a bound, never reached by a real agenda
_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)
_FREQ = re.compile(r"(?:^|;)FREQ=([A-Z]+)", re.IGNORECASE)


class RuleError(ValueError):
    """A recurrence rule that cannot be used; the message is French, for people."""


def _local_until(rule: str) -> str:
    """``UNTIL`` given in UTC (``…Z``, as RFC 5545 requires with a zoned start) rewritten
    as the Paris wall time of that instant, since the rule is expanded on local times."""

    def convert(match: re.Match[str]) -> str:
        instant = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo("UTC"))
        return "UNTIL=" + instant.astimezone(PARIS).strftime("%Y%m%dT%H%M%S")

    return _UNTIL_UTC.sub(convert, rule)


def normalise_rule(raw: str) -> str:
    """The rule as stored: upper case, no ``RRULE:`` prefix, no spaces; checked."""
    value = (raw or "").strip().upper().replace(" ", "")
    if value.startswith("RRULE:"):
        value = value[len("RRULE:") :]
    if not value:
        return ""
    if len(value) > 500:
        raise RuleError("Règle de répétition trop longue (500 caractères au plus).")
    freq = _FREQ.search(value)
    if freq is None:
        raise RuleError("Règle de répétition sans fréquence (FREQ=…).")
    if freq.group(1) not in ALLOWED_FREQ:
        raise RuleError(
            "Fréquence de répétition refusée : quotidienne, hebdomadaire, mensuelle ou annuelle."
        )
    try:
        _rule(value, datetime(2026, 1, 1, 10, 0))
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise RuleError(f"Règle de répétition illisible ({exc}).") from None
    return value


def _rule(value: str, start: datetime) -> rrule:
    parsed = rrulestr(_local_until(value), dtstart=start)
    if not isinstance(parsed, rrule):  # an RRULE value alone never gives a set
        raise ValueError("règle unique attendue")
    return parsed


@dataclass
class Occurrence:
    """One occurrence of an event, in Paris time."""

    event: Any
    start: datetime
    end: datetime
    invitation: Any = None  # the viewer's invitation, for an event they are invited to
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def all_day(self) -> bool:
        return bool(self.event.all_day)

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def recurrence_id(self) -> str:
        return self.start.strftime("%Y%m%dT%H%M%S")


def local_bounds(event: Any) -> tuple[datetime, datetime]:
    """The first occurrence's start and end as naive Paris wall times."""
    start = event.starts_at.astimezone(PARIS).replace(tzinfo=None)
    end = event.ends_at.astimezone(PARIS).replace(tzinfo=None)
    return start, end


def expand(event: Any, start: date, end: date) -> list[Occurrence]:
    """The occurrences of ``event`` that touch the local days ``start`` to ``end``."""
    first, first_end = local_bounds(event)
    length = first_end - first  # wall-clock length: 10:00–11:00 stays one hour on the wall
    window_start = datetime.combine(start, time.min) - length
    window_end = datetime.combine(end, time.max)
    if event.rrule:
        starts = _rule(event.rrule, first).between(window_start, window_end, inc=True)
    else:
        starts = [first] if window_start <= first <= window_end else []
    excluded = set(event.exdates or [])
    out: list[Occurrence] = []
    for local in starts[: MAX_OCCURRENCES * 2]:
        if local + length <= datetime.combine(start, time.min) and length:
            continue  # ended before the range
        if event.rrule and local.date().isoformat() in excluded:
            continue
        if event.rrule and event.skip_holidays and day_off(local.date()) is not None:
            continue
        out.append(
            Occurrence(
                event=event,
                start=local.replace(tzinfo=PARIS),
                end=(local + length).replace(tzinfo=PARIS),
            )
        )
        if len(out) >= MAX_OCCURRENCES:
            break
    return out


def skipped_dates(event: Any, start: date, end: date) -> list[datetime]:
    """The local starts a rule would give in the range but that the agenda leaves out
    (``exdates`` and, with ``skip_holidays``, the days off): the ``EXDATE`` of a feed."""
    if not event.rrule:
        return []
    first, _end = local_bounds(event)
    window = _rule(event.rrule, first).between(
        datetime.combine(start, time.min), datetime.combine(end, time.max), inc=True
    )
    excluded = set(event.exdates or [])
    return [
        local.replace(tzinfo=PARIS)
        for local in window[:MAX_OCCURRENCES]
        if local.date().isoformat() in excluded
        or (event.skip_holidays and day_off(local.date()) is not None)
    ]


def day_range(day: date, days: int) -> list[date]:
    return [day + timedelta(days=i) for i in range(days)]
