"""A school year's periods: those the school chose, else the default trimestres.

Default (a school that chose nothing): three trimestres, 1 September – 30 November,
1 December – end of February, 1 March – 4 July; as semestres: 1 September – 31 January,
1 February – 4 July. A mark dated between two periods (holidays) or outside them belongs
to the last period started on its date (or the first, before the year's first period), so
that every evaluation of the year falls in exactly one period.
"""

from __future__ import annotations

import calendar
from datetime import date

from ostal.evaluation.models import Period
from ostal.territory.models import School


def school_year_bounds(school_year: int) -> tuple[date, date]:
    """First and last day of a school year (the year turns on 1 August)."""
    return date(school_year, 8, 1), date(school_year + 1, 7, 31)


def default_ranges(school_year: int, kind: str) -> list[tuple[date, date]]:
    y, n = school_year, school_year + 1
    if kind == Period.Kind.SEMESTER:
        return [(date(y, 9, 1), date(n, 1, 31)), (date(n, 2, 1), date(n, 7, 4))]
    end_feb = date(n, 2, calendar.monthrange(n, 2)[1])
    return [
        (date(y, 9, 1), date(y, 11, 30)),
        (date(y, 12, 1), end_feb),
        (date(n, 3, 1), date(n, 7, 4)),
    ]


def default_periods(
    school: School, school_year: int, kind: str = Period.Kind.TRIMESTER
) -> list[Period]:
    """The default periods, unsaved."""
    return [
        Period(school=school, school_year=school_year, kind=kind, index=i, start=s, end=e)
        for i, (s, e) in enumerate(default_ranges(school_year, kind), start=1)
    ]


def period_of(day: date, periods: list[Period]) -> Period:
    """The period a day belongs to (see the module's rule); ``periods`` in order."""
    chosen = periods[0]
    for period in periods:
        if period.start <= day:
            chosen = period
    return chosen


def current_period(today: date, periods: list[Period]) -> Period:
    return period_of(today, periods)


def range_of(period: Period, periods: list[Period]) -> tuple[date, date]:
    """The days that belong to ``period`` by ``period_of``: from its start (or the year's
    first day for the first period) to the day before the next period starts (or the
    year's last day)."""
    first, last = school_year_bounds(period.school_year)
    index = periods.index(period)
    start = first if index == 0 else period.start
    if index + 1 < len(periods):
        end = date.fromordinal(periods[index + 1].start.toordinal() - 1)
    else:
        end = last
    return start, end
