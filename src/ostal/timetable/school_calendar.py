"""Days without school: the ministry's school holidays of the school's zone, and public
holidays.

Rule: no course is shown on a day off. Both lists are data, not code: the school
holidays come from the ministry's zone calendar shipped as a CSV by the
``vacances-scolaires-france`` package (a later year is a package/data update), the public
holidays from ``holidays`` (France). The zone is ``OSTAL_SCHOOL_HOLIDAY_ZONE`` (Occitanie
is zone C).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays as public_holidays
from django.conf import settings
from vacances_scolaires_france import SchoolHolidayDates


@lru_cache(maxsize=1)
def _school_holidays() -> SchoolHolidayDates:
    return SchoolHolidayDates()  # reads the CSV once per process


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> dict[date, str]:
    return dict(public_holidays.country_holidays("FR", years=year, language="fr"))


def day_off(day: date, zone: str | None = None) -> str | None:
    """The name of the holiday ``day`` falls in (school or public), or ``None``."""
    zone = zone or settings.OSTAL_SCHOOL_HOLIDAY_ZONE
    public = _public_holidays(day.year).get(day)
    if public:
        return str(public)
    data = _school_holidays()
    if data.min_year <= day.year <= data.max_year and data.is_holiday_for_zone(day, zone):
        return str(data.data[day]["nom_vacances"])
    return None
