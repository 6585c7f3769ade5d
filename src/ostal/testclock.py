"""The suite's clock, moved on request: proof that no test depends on today's date.

Loaded as a pytest plugin (``-p ostal.testclock`` in the pytest options). With
``OSTAL_TEST_NOW`` set to an ISO 8601 date-time (``2028-07-20T10:00:00+02:00``), every clock
the code reads (``time.time``, ``datetime.now``, ``date.today``, hence Django's
``timezone.now()`` and ``localdate()``) starts at that instant when the run starts and ticks
on from there. CI runs the suite a second time this way (``bin/ostal test``), at a date more
than a school year ahead and inside the summer holidays.

A test that asserts on fixed dates pins its own clock with the ``time_machine`` fixture;
that travel nests inside this one and ends with the test. See docs/testing.md.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import pytest

ENV = "OSTAL_TEST_NOW"
_travel: Any = None


def moved_now() -> datetime | None:
    """The instant the run's clock starts at, or None when the real clock is used."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return None
    when = datetime.fromisoformat(raw)
    if when.tzinfo is None:
        raise pytest.UsageError(f"{ENV}={raw!r}: give an offset, e.g. 2028-07-20T10:00:00+02:00")
    return when


def pytest_configure(config: pytest.Config) -> None:
    global _travel
    when = moved_now()
    if when is None:
        return
    import time_machine

    _travel = time_machine.travel(when, tick=True)
    _travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def pytest_report_header(config: pytest.Config) -> str | None:
    when = moved_now()
    return None if when is None else f"clock moved: the run starts at {when.isoformat()} ({ENV})"
