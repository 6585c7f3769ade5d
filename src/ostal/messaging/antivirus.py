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

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ostal.core.antivirus import ScanUnavailable, Verdict, pending_scan, stream_scan
from ostal.messaging import services
from ostal.messaging.models import Attachment

__all__ = ["ScanUnavailable", "Verdict", "attachment_scan", "attachments_waiting", "stream_scan"]


SWEEP_BATCH = 500


def attachment_scan(*, attachment_id: int) -> str:
    """Scan one attachment still pending and record the verdict; returns the attachment's
    scan state afterwards (``pending`` when clamd gave no verdict)."""
    attachment = (
        Attachment.objects.select_related("message__author").filter(pk=attachment_id).first()
    )
    if attachment is None:
        return "gone"
    return pending_scan(
        attachment,
        pending=Attachment.Scan.PENDING,
        record=lambda verdict: services.attachment_scan_record(
            attachment=attachment, infected=verdict.infected, signature=verdict.signature
        ),
        label="Attachment",
    )


def attachments_waiting(*, now: datetime | None = None) -> list[int]:
    """Attachments still pending ``MESSAGING_SCAN_RETRY_MINUTES`` after their message was
    created (newest first, at most ``SWEEP_BATCH``): their scan job failed or was lost."""
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.MESSAGING_SCAN_RETRY_MINUTES)
    return list(
        Attachment.objects.filter(scan=Attachment.Scan.PENDING, message__created_at__lt=cutoff)
        .order_by("-pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
