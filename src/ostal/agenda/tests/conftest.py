"""The agenda's tests run in the school week of ``SCHOOL_WEEK_NOW`` (Wednesday 25 November
2026, 10:00 in Paris) on top of the ``world`` and its small school day."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from ostal.agenda import services
from ostal.agenda.models import Calendar, Event
from ostal.agenda.recurrence import PARIS
from ostal.directory.models import Person
from ostal.timetable.tests.conftest import (  # noqa: F401
    MONDAY,
    SchoolDay,
    _school_week,
    make_course,
    schoolday,
)


def paris(text: str) -> datetime:
    """``"2026-11-25 10:00"`` as an aware Paris time."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.fixture
def add_event() -> Any:
    """``add_event(actor, calendar, title=…, start="2026-11-25 10:00", end=…, **kw)``."""

    def _add(actor: Person, calendar: Calendar, **kw: Any) -> Event:
        data = services.EventInput(
            title=kw.pop("title", "Réunion"),
            start=paris(kw.pop("start", "2026-11-25 14:00")),
            end=paris(kw.pop("end", "2026-11-25 15:00")),
            **kw,
        )
        return services.event_save(actor=actor, calendar=calendar, data=data)

    return _add
