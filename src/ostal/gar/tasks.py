"""Background jobs of the GAR (they only call services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostal.gar.models import GarExportRun
from ostal.gar.services import gar_export


@db_periodic_task(crontab(hour="2", minute="30"))
@lock_task("gar-export")
def gar_export_nightly() -> int:
    """Each night, after the directory imports (01:30), a complete snapshot to the GAR."""
    return gar_export(trigger=GarExportRun.Trigger.NIGHTLY).pk
