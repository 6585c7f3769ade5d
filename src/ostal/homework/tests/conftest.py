from typing import Any

import pytest

from ostal.timetable.tests.conftest import (  # noqa: F401
    MONDAY,
    SchoolDay,
    _school_week,
    make_course,
    schoolday,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files of the tests go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
