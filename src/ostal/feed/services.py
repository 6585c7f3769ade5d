"""Running a directory import: one at a time, all or nothing, always leaving a report.

``aaf_import`` is what the management command, the nightly job and the admin page call.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.aaf.delivery import open_delivery
from ostal.directory.aaf.errors import AafError
from ostal.directory.models import Person, Source
from ostal.feed.importer import Importer, ProgressCallback
from ostal.feed.models import ImportRun
from ostal.feed.relations import RelationWriter
from ostal.feed.report import ImportReport
from ostal.messaging.retention import messages_erase
from ostal.notifications.services import notifications_erase

logger = logging.getLogger(__name__)
#: A run still marked running after this long is considered dead (its process crashed).
STALE_AFTER = timedelta(hours=6)


class ImportRefused(RuntimeError):
    """The import could not start or failed; the message says why, nothing was applied."""


def _start_run(*, source: Source, delivery: str, dry_run: bool, actor: Person | None) -> ImportRun:
    ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    ).update(
        status=ImportRun.Status.FAILED,
        error="interrompu (processus arrêté)",
        finished_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            return ImportRun.objects.create(
                source=source,
                delivery=delivery,
                dry_run=dry_run,
                actor=actor,
                status=ImportRun.Status.RUNNING,
            )
    except IntegrityError:
        running = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).first()
        raise ImportRefused(
            f"Un import est déjà en cours ({running}) : un seul import à la fois."
        ) from None


def aaf_import(
    *,
    source: Source,
    path: Path,
    dry_run: bool = False,
    actor: Person | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[ImportRun, ImportReport | None]:
    """Import the delivery at ``path`` for ``source``. Raises ``ImportRefused`` when another
    import runs; records a failed run (and applies nothing) when the delivery is invalid."""
    run = _start_run(source=source, delivery=Path(path).name, dry_run=dry_run, actor=actor)

    def track(state: dict[str, Any]) -> None:
        HUEY.put(run.progress_key, state)
        if progress is not None:
            progress(state)

    report: ImportReport | None = None
    try:
        with open_delivery(path) as delivery:
            run.kind, run.delivery_date = delivery.kind, delivery.date
            report = Importer(
                source=source, delivery=delivery, dry_run=dry_run, progress=track
            ).run()
    except AafError as exc:
        run.status, run.error = ImportRun.Status.FAILED, str(exc)
    except Exception as exc:  # noqa: BLE001 - recorded on the run, then re-raised
        run.status, run.error = (
            ImportRun.Status.FAILED,
            f"erreur interne : {exc.__class__.__name__}",
        )
        run.finished_at = timezone.now()
        run.save()
        raise
    else:
        run.status, run.report = ImportRun.Status.SUCCEEDED, report.as_json()
    finally:
        HUEY.get(run.progress_key)  # consume the progress key
    run.finished_at = timezone.now()
    run.save()
    logger.info("AAF import %s: %s", run, run.error or "ok")
    return run, report


def directory_retention_purge(*, now: Any = None) -> int:
    """RGPD: personal data of people detached for longer than the retention delay
    (``OSTAL_DIRECTORY_RETENTION_DAYS``, default 90) is erased. The row stays, anonymised,
    so its login is never given again; each erasure is a security event."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OSTAL_DIRECTORY_RETENTION_DAYS)
    pks = list(
        Person.objects.filter(state=Person.State.DETACHED, state_changed_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(pks), 1000):
        chunk = pks[start : start + 1000]
        with transaction.atomic():
            RelationWriter.remove_everything(chunk)
            for person in Person.objects.filter(pk__in=chunk):
                security_event_record(
                    kind=SecurityEvent.Kind.ACCOUNT_DELETED,
                    subject=person,
                    username=person.username,
                    data={
                        "reason": "rgpd_retention",
                        "detached_at": person.state_changed_at.isoformat(),
                    },
                )
            # Their copies, drafts and folders go; what they wrote stays with its
            # recipients, signed « Compte supprimé » (docs/messaging.md, Retention).
            messages_erase(chunk, now=now)
            notifications_erase(chunk)
            Person.objects.filter(pk__in=chunk).update(
                state=Person.State.DELETED,
                state_changed_at=now,
                last_name="",
                first_name="",
                birth_name="",
                birth_date=None,
                civility="",
                email="",
                academic_email="",
                mobile="",
                address="",
                postal_code="",
                city="",
                ine="",
                activation_code="",
                source_hash="",
                external_id="",
                password=UNUSABLE_PASSWORD_PREFIX,
            )
    logger.info("directory retention: %d accounts erased (detached before %s)", len(pks), cutoff)
    return len(pks)
