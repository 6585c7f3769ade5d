"""Background jobs of the core app (they only call services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostal.administration.retention import retention_run
from ostal.core.audience import audience_events_bulk_write
from ostal.core.retention import security_events_purge


@db_task(retries=2, retry_delay=10)
def audience_events_write(batch: list[dict[str, str]]) -> int:
    return audience_events_bulk_write(batch=batch)


@db_periodic_task(crontab(hour="3", minute="17"))
@lock_task("security-events-purge")
def security_events_purge_nightly() -> int:
    return retention_run("security_events", security_events_purge)
