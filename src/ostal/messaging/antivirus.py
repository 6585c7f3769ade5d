"""Antivirus scan of message attachments: the file is streamed to clamd by the shared
``ostal.core.antivirus.stream_scan`` (``INSTREAM`` over its Unix socket,
``MESSAGING_CLAMD_SOCKET``), in small chunks, straight from the storage.

Rules:
* only clamd's answer decides: ``OK`` → clean, ``FOUND`` → infected (with the signature);
* anything else (clamd unreachable or too slow, stream too long, ``ERROR``) leaves the
  attachment **pending**, in quarantine; the sweep (``tasks``) queues it again later;
* the verdict is recorded by ``services.attachment_scan_record`` (once: a second scan of
  an attachment already decided changes nothing).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ostal.core.antivirus import ScanUnavailable, Verdict, stream_scan
from ostal.messaging import services
from ostal.messaging.models import Attachment

__all__ = ["ScanUnavailable", "Verdict", "attachment_scan", "attachments_waiting", "stream_scan"]

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def attachment_scan(*, attachment_id: int) -> str:
    """Scan one attachment still pending and record the verdict; returns the attachment's
    scan state afterwards (``pending`` when clamd gave no verdict)."""
    attachment = (
        Attachment.objects.select_related("message__author").filter(pk=attachment_id).first()
    )
    if attachment is None:
        return "gone"
    if attachment.scan != Attachment.Scan.PENDING:
        return attachment.scan
    try:
        with attachment.file.open("rb") as stream:
            verdict = stream_scan(stream)
    except (ScanUnavailable, OSError) as exc:
        logger.warning("Attachment %s stays in quarantine, not scanned: %s", attachment.pk, exc)
        return attachment.scan
    services.attachment_scan_record(
        attachment=attachment, infected=verdict.infected, signature=verdict.signature
    )
    if verdict.infected:
        logger.warning("Attachment %s is infected: %s", attachment.pk, verdict.signature)
    return attachment.scan


def attachments_waiting(*, now: datetime | None = None) -> list[int]:
    """Attachments still pending ``MESSAGING_SCAN_RETRY_MINUTES`` after their message was
    created (newest first, at most ``SWEEP_BATCH``): their scan job failed or was lost."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.MESSAGING_SCAN_RETRY_MINUTES)
    return list(
        Attachment.objects.filter(scan=Attachment.Scan.PENDING, message__created_at__lt=cutoff)
        .order_by("-pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
