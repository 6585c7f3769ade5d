"""Background jobs of the pilotage (they only call services)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostal.pilotage.services import audience_aggregate_day, consultation_reminders_send


@db_periodic_task(crontab(hour="7", minute="30"))
@lock_task("pilotage-consultation-reminders")
def consultation_reminders_daily() -> int:
    """Each morning, remind members (and the coordinator) whose deadline is near."""
    return consultation_reminders_send()


@db_periodic_task(crontab(hour="2", minute="40"))
@lock_task("pilotage-audience-aggregate")
def audience_aggregate_nightly() -> int:
    """Each night, aggregate yesterday's audience events (Paris day)."""
    return audience_aggregate_day(day=timezone.localdate() - timedelta(days=1))
