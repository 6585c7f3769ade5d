"""Background jobs of the directory feed (they only call services)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from ostal.administration.retention import retention_run
from ostal.directory.models import Person, Source
from ostal.feed.models import ImportRun
from ostal.feed.services import ImportRefused, aaf_import, directory_retention_purge

logger = logging.getLogger(__name__)


def newest_delivery(source: Source) -> Path | None:
    """The newest delivery waiting in ``OSTAL_AAF_INBOX/<source code>/`` (archive or folder)."""
    inbox = Path(settings.OSTAL_AAF_INBOX) / source.code
    if not inbox.is_dir():
        return None
    candidates = sorted(
        (p for p in inbox.iterdir() if p.is_dir() or p.suffix in {".tgz", ".zip", ".gz"}),
        key=lambda p: p.stat().st_mtime,
    )
    return candidates[-1] if candidates else None


@db_task()
@lock_task("aaf-import")
def aaf_import_job(source_id: int, path: str, dry_run: bool, actor_id: int | None) -> int | None:
    source = Source.objects.get(pk=source_id)
    actor = Person.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        run, _ = aaf_import(source=source, path=Path(path), dry_run=dry_run, actor=actor)
    except ImportRefused as exc:
        logger.warning("AAF import of %s refused: %s", source.code, exc)
        return None
    return run.pk


@db_periodic_task(crontab(hour="1", minute="30"))
@lock_task("aaf-nightly")
def aaf_nightly_imports() -> list[int]:
    """Each night, import the newest delivery of each source once."""
    done = []
    for source in Source.objects.exclude(kind=Source.Kind.LOCAL):
        path = newest_delivery(source)
        if (
            path is None
            or ImportRun.objects.filter(
                source=source, delivery=path.name, dry_run=False, status=ImportRun.Status.SUCCEEDED
            ).exists()
        ):
            continue
        try:
            run, _ = aaf_import(source=source, path=path)
        except ImportRefused as exc:
            logger.warning("nightly import of %s refused: %s", source.code, exc)
            continue
        done.append(run.pk)
    return done


@db_periodic_task(crontab(hour="4", minute="10"))
@lock_task("directory-retention")
def directory_retention_nightly() -> int:
    return retention_run("directory_retention", directory_retention_purge)
