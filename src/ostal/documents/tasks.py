"""Background jobs of the espace documentaire (huey): the antivirus scan of each stored
file, a sweep for scans that were lost, the nightly purge of the trash."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostal.administration.retention import retention_run
from ostal.core.antivirus import pending_scan
from ostal.documents import services
from ostal.documents.models import Document

SWEEP_BATCH = 500


def document_scan(*, document_id: int) -> str:
    """Scan one document still pending and record the verdict; returns its scan state
    afterwards (``pending`` when clamd gave no verdict, ``gone`` when it was deleted)."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "gone"
    return pending_scan(
        document,
        pending=Document.Scan.PENDING,
        record=lambda verdict: services.document_scan_record(
            document=document, infected=verdict.infected, signature=verdict.signature
        ),
        label="Document",
    )


@db_task()
def documents_scan(document_id: int) -> str:
    """Queued when a file is stored (after the commit) and by the sweep."""
    return document_scan(document_id=document_id)


@db_periodic_task(crontab(minute="*/5"))
@lock_task("documents-scan-sweep")
def documents_scan_sweep() -> int:
    """Queue again the files still waiting for their scan after a few minutes."""
    cutoff = timezone.now() - timedelta(minutes=settings.MESSAGING_SCAN_RETRY_MINUTES)
    waiting = list(
        Document.objects.filter(scan=Document.Scan.PENDING, created_at__lt=cutoff)
        .order_by("-pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for document_id in waiting:
        documents_scan(document_id)
    return len(waiting)


@db_periodic_task(crontab(hour="3", minute="47"))
@lock_task("documents-trash-purge")
def documents_trash_purge_nightly() -> int:
    return retention_run("documents_trash", services.trash_purge)
