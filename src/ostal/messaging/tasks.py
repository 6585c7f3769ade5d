"""Background jobs of the messagerie (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostal.administration.retention import retention_run
from ostal.messaging.antivirus import attachment_scan, attachments_waiting
from ostal.messaging.services import trash_purge


@db_periodic_task(crontab(hour="3", minute="41"))
@lock_task("messaging-trash-purge")
def messaging_trash_purge_nightly() -> int:
    return retention_run("messaging_trash", trash_purge)


@db_task()
def messaging_attachment_scan(attachment_id: int) -> str:
    """Queued when an attachment is stored (``services._attach``, after the commit) and by
    the sweep; clamd unreachable leaves the file pending, the sweep retries it."""
    return attachment_scan(attachment_id=attachment_id)


@db_periodic_task(crontab(minute="*/5"))
@lock_task("messaging-attachment-scan-sweep")
def messaging_attachment_scan_sweep() -> int:
    """Queue again the attachments still waiting for their scan."""
    waiting = attachments_waiting()
    for attachment_id in waiting:
        messaging_attachment_scan(attachment_id)
    return len(waiting)
