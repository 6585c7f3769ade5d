"""Fixtures of the GAR tests: a responsable appointed in the collège, a local SFTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ostal.gar.models import GarAppointment, GarRole

from .sftp import LocalSftp, local_sftp


@pytest.fixture
def export_dir(tmp_path: Path, settings: Any) -> Path:
    settings.OSTAL_GAR_EXPORT_DIR = tmp_path / "exports"
    settings.OSTAL_GAR_ENT_ID = "OST"
    return settings.OSTAL_GAR_EXPORT_DIR  # type: ignore[no-any-return]


@pytest.fixture
def sftp(tmp_path: Path) -> Iterator[LocalSftp]:
    with local_sftp(tmp_path, directory="depot") as server:
        yield server


@pytest.fixture
def responsable(world: Any) -> GarAppointment:
    world.admin.academic_email = "helene.iglesias@ac-test.fr"
    world.admin.save(update_fields=["academic_email"])
    return GarAppointment.objects.create(
        school=world.college, person=world.admin, role=GarRole.RESPONSABLE, appointed_by=world.admin
    )
