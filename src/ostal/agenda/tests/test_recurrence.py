"""Recurrence rules expand in Paris wall time, with exclusions, across holidays and the
change to winter time."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from ostal.agenda.recurrence import RuleError, expand, normalise_rule
from ostal.agenda.tests.conftest import paris


def _event(**kw: Any) -> Any:
    base = {
        "starts_at": paris("2026-10-07 10:00"),
        "ends_at": paris("2026-10-07 11:00"),
        "all_day": False,
        "rrule": "FREQ=WEEKLY;UNTIL=20261125T090000Z",
        "exdates": [],
        "skip_holidays": False,
    }
    base.update(kw)
    return SimpleNamespace(**base)


def test_weekly_rule_stays_at_ten_across_winter_time_and_skips_the_excluded_date() -> None:
    """A weekly Wednesday 10:00 event stays at 10:00 in Paris after the change to winter
    time (25 October 2026): 08:00 UTC before, 09:00 UTC after; the EXDATE is left out."""
    event = _event(exdates=["2026-10-14"])
    occurrences = expand(event, date(2026, 10, 1), date(2026, 11, 30))
    assert [o.start.date() for o in occurrences] == [
        date(2026, 10, 7),
        date(2026, 10, 21),
        date(2026, 10, 28),
        date(2026, 11, 4),
        date(2026, 11, 11),
        date(2026, 11, 18),
        date(2026, 11, 25),  # UNTIL 09:00 UTC is 10:00 in Paris: the last one is kept
    ]
    assert {(o.start.hour, o.start.minute, o.end.hour) for o in occurrences} == {(10, 0, 11)}
    utc_hours = [o.start.utctimetuple().tm_hour for o in occurrences]
    assert utc_hours == [8, 8, 9, 9, 9, 9, 9]


def test_weekly_rule_with_exception_skips_the_zone_c_holidays_and_public_holidays() -> None:
    """Marked « sauf vacances », the same rule has no occurrence in the Toussaint
    holidays of zone C (17 October – 1 November 2026) nor on 11 November (public holiday),
    and still none on the excluded date; it stays at 10:00 across the change of time."""
    event = _event(exdates=["2026-10-14"], skip_holidays=True)
    occurrences = expand(event, date(2026, 10, 1), date(2026, 11, 30))
    assert [o.start.date() for o in occurrences] == [
        date(2026, 10, 7),
        date(2026, 11, 4),
        date(2026, 11, 18),
        date(2026, 11, 25),
    ]
    assert [o.start.strftime("%H:%M %z") for o in occurrences] == [
        "10:00 +0200",
        "10:00 +0100",
        "10:00 +0100",
        "10:00 +0100",
    ]


def test_range_only_returns_occurrences_that_touch_it() -> None:
    """Asking for one week gives that week's occurrence only, and an event that started
    the evening before and runs into the range is included."""
    event = _event()
    assert [o.start.date() for o in expand(event, date(2026, 11, 2), date(2026, 11, 8))] == [
        date(2026, 11, 4)
    ]
    night = _event(starts_at=paris("2026-11-03 22:00"), ends_at=paris("2026-11-04 02:00"), rrule="")
    assert len(expand(night, date(2026, 11, 4), date(2026, 11, 4))) == 1
    assert expand(night, date(2026, 11, 5), date(2026, 11, 6)) == []


def test_all_day_yearly_event_keeps_its_day() -> None:
    """An all-day yearly event falls on the same day each year, midnight to midnight."""
    event = _event(
        starts_at=paris("2026-03-10 00:00"),
        ends_at=paris("2026-03-11 00:00"),
        all_day=True,
        rrule="FREQ=YEARLY",
    )
    found = expand(event, date(2027, 1, 1), date(2028, 12, 31))
    assert [o.start.date() for o in found] == [date(2027, 3, 10), date(2028, 3, 10)]
    assert all(o.all_day and (o.end - o.start).days == 1 for o in found)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("FREQ=HOURLY", "Fréquence de répétition refusée"),
        ("INTERVAL=2", "sans fréquence"),
        ("FREQ=WEEKLY;BYDAY=XX", "illisible"),
        ("FREQ=WEEKLY;" + "BYDAY=MO;" * 60, "trop longue"),
    ],
)
def test_bad_rules_are_refused_in_french(raw: str, message: str) -> None:
    """A rule too frequent, without frequency, unreadable or too long is refused, saying why."""
    with pytest.raises(RuleError, match=message):
        normalise_rule(raw)


def test_rule_is_stored_without_prefix_in_upper_case() -> None:
    """« RRULE:freq=weekly » is stored as « FREQ=WEEKLY »; an empty rule stays empty."""
    assert normalise_rule("RRULE:freq=weekly;count=3") == "FREQ=WEEKLY;COUNT=3"
    assert normalise_rule("  ") == ""
