"""Background jobs of the GAR (they only call services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostal.administration.retention import retention_run
from ostal.gar.models import GarExportRun
from ostal.gar.services import gar_export, gar_failed_runs_purge


@db_periodic_task(crontab(hour="2", minute="30"))
@lock_task("gar-export")
def gar_export_nightly() -> int:
    """Each night, after the directory imports (01:30), a complete snapshot to the GAR."""
    return gar_export(trigger=GarExportRun.Trigger.NIGHTLY).pk


@db_periodic_task(crontab(hour="3", minute="50"))
@lock_task("gar-failed-runs-purge")
def gar_failed_runs_purge_nightly() -> int:
    """Each night, delete the folders of the runs not delivered past their retention."""
    return retention_run("gar_failed_runs", gar_failed_runs_purge)
