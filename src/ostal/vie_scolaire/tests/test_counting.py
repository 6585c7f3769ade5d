"""Half-day counting against worked examples (L131-8: the « demi-journée » is the unit,
4 unjustified half-days in a month triggers the alert)."""

from __future__ import annotations

from datetime import date, time

from ostal.vie_scolaire.counting import ALERT_THRESHOLD, Span, count, half_days_of

MONDAY = date(2026, 11, 23)
WEDNESDAY = date(2026, 11, 25)


def _absence(day: date, start: str, end: str, **kw: object) -> Span:
    return Span("absence", day, time.fromisoformat(start), time.fromisoformat(end), **kw)  # type: ignore[arg-type]


def test_absent_monday_afternoon_and_all_wednesday() -> None:
    """Monday afternoon (two courses) and all of Wednesday, whose afternoon has no course:
    two half-days, both unjustified."""
    spans = [
        _absence(MONDAY, "14:00", "15:00"),
        _absence(MONDAY, "15:00", "16:00"),
        _absence(WEDNESDAY, "08:00", "09:00"),
        _absence(WEDNESDAY, "09:00", "10:00"),
        _absence(WEDNESDAY, "10:00", "12:00"),
    ]
    month = count(spans).month(2026, 11)
    assert (month.half_days, month.unjustified, month.latenesses) == (2, 2, 0)
    assert not month.alert


def test_wednesday_entered_for_the_whole_day_counts_only_the_morning() -> None:
    """An absence entered for the whole day (not from a register) on a Wednesday covers
    no afternoon course: one half-day; a Tuesday whole day counts two."""
    assert len(half_days_of(_absence(WEDNESDAY, "08:00", "17:00", from_register=False))) == 1
    tuesday = date(2026, 11, 24)
    assert len(half_days_of(_absence(tuesday, "08:00", "17:00", from_register=False))) == 2


def test_wednesday_afternoon_with_a_course_counts() -> None:
    """A pupil with a course on Wednesday afternoon (sport) missing it: one half-day."""
    month = count([_absence(WEDNESDAY, "13:30", "15:30")]).month(2026, 11)
    assert month.half_days == 1


def test_a_lateness_is_not_an_absence() -> None:
    spans = [Span("lateness", MONDAY, time(8, 0), time(8, 10))]
    month = count(spans).month(2026, 11)
    assert (month.half_days, month.unjustified, month.latenesses) == (0, 0, 1)


def test_a_half_day_is_unjustified_while_one_of_its_absences_is_not_regularised() -> None:
    spans = [
        _absence(MONDAY, "08:00", "09:00", regularised=True),
        _absence(MONDAY, "10:00", "11:00", regularised=False),
        _absence(MONDAY, "14:00", "15:00", regularised=True),
    ]
    month = count(spans).month(2026, 11)
    assert (month.half_days, month.unjustified) == (2, 1)


def test_the_alert_is_four_unjustified_half_days_in_one_month() -> None:
    three = [_absence(date(2026, 11, d), "08:00", "09:00") for d in (23, 24, 26)]
    assert not count(three).month(2026, 11).alert
    four = [*three, _absence(date(2026, 11, 27), "08:00", "09:00")]
    assert count(four).month(2026, 11).unjustified == ALERT_THRESHOLD
    assert count(four).month(2026, 11).alert
    # the same four split over two months: no alert in either
    split = [*three, _absence(date(2026, 12, 1), "08:00", "09:00")]
    assert not count(split).month(2026, 11).alert
    assert count(split).month(2026, 12).unjustified == 1


def test_regularised_half_days_do_not_count_towards_the_alert() -> None:
    four = [
        _absence(date(2026, 11, d), "08:00", "09:00", regularised=True) for d in (23, 24, 26, 27)
    ]
    month = count(four).month(2026, 11)
    assert (month.half_days, month.unjustified, month.alert) == (4, 0, False)
