"""Counting absences in half-days (« demi-journées »), the legal unit (L131-8).

Rules (pure functions, no database):
* a day has a morning (before 12:30) and an afternoon (from 12:30); an absence counts each
  half-day it overlaps, once, however many courses it covers;
* Wednesday afternoon counts nothing unless the pupil had a course in it: an absence is
  recorded from a register, so an absence in it exists only if a course did; an absence
  entered for the whole day (no register) counts only Wednesday morning;
* a lateness is not an absence: it counts no half-day (it is counted apart);
* a half-day is *unjustified* while one of its absences is not regularised (no motive, or a
  motive vie scolaire has not accepted); the legal alert is 4 unjustified half-days in a
  calendar month (``ALERT_THRESHOLD``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time

NOON = time(12, 30)
ALERT_THRESHOLD = 4
MORNING, AFTERNOON = "matin", "apres-midi"


@dataclass(frozen=True)
class Span:
    """What counting needs of an event."""

    kind: str  # "absence" or "lateness"
    day: date
    start: time
    end: time
    regularised: bool = False
    from_register: bool = True


@dataclass
class MonthCount:
    half_days: int = 0
    unjustified: int = 0
    latenesses: int = 0

    @property
    def alert(self) -> bool:
        return self.unjustified >= ALERT_THRESHOLD


@dataclass
class Counts:
    by_month: dict[tuple[int, int], MonthCount] = field(default_factory=dict)

    def month(self, year: int, month: int) -> MonthCount:
        return self.by_month.get((year, month), MonthCount())


def half_days_of(span: Span) -> set[tuple[date, str]]:
    """The half-days an absence covers (none for a lateness)."""
    if span.kind != "absence":
        return set()
    found: set[tuple[date, str]] = set()
    if span.start < NOON:
        found.add((span.day, MORNING))
    if span.end > NOON:
        wednesday_off = span.day.isoweekday() == 3 and not span.from_register
        if not wednesday_off:
            found.add((span.day, AFTERNOON))
    return found


def count(spans: Iterable[Span]) -> Counts:
    """Half-days absent, unjustified half-days and latenesses, per calendar month."""
    covered: dict[tuple[date, str], bool] = {}  # half-day -> all its absences regularised
    latenesses: dict[tuple[int, int], int] = {}
    for span in spans:
        if span.kind == "lateness":
            key = (span.day.year, span.day.month)
            latenesses[key] = latenesses.get(key, 0) + 1
            continue
        for half in half_days_of(span):
            covered[half] = covered.get(half, True) and span.regularised
    counts = Counts()
    for (day, _half), regularised in covered.items():
        month = counts.by_month.setdefault((day.year, day.month), MonthCount())
        month.half_days += 1
        if not regularised:
            month.unjustified += 1
    for key, n in latenesses.items():
        counts.by_month.setdefault(key, MonthCount()).latenesses = n
    return counts
