from typing import Any

import pytest

from ostal.timetable.tests.conftest import MONDAY, SchoolDay, make_course, schoolday  # noqa: F401


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files of the tests go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
