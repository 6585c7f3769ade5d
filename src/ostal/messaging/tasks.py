"""Background jobs of the messagerie (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from ostal.messaging.services import trash_purge


@db_periodic_task(crontab(hour="3", minute="41"))
@lock_task("messaging-trash-purge")
def messaging_trash_purge_nightly() -> int:
    return trash_purge()
