"""Background jobs of the notifications (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostal.notifications.services import digest_run


@db_periodic_task(crontab(minute="*/15"))
@lock_task("notifications-email-digest")
def notifications_email_digest_periodic() -> int:
    return digest_run().sent
