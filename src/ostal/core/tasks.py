"""Background jobs of the core app (they only call services)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from ostal.core.audience import audience_events_bulk_write


@db_task(retries=2, retry_delay=10)
def audience_events_write(batch: list[dict[str, str]]) -> int:
    return audience_events_bulk_write(batch=batch)
