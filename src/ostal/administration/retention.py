"""Retention jobs, as the RGPD register shows them: each run leaves a ``RetentionRun``.

A nightly job that erases personal data wraps its work in :func:`retention_run`::

    @db_periodic_task(...)
    def security_events_purge_nightly() -> int:
        return retention_run("security_events", security_events_purge)

The job's key is declared in :data:`JOBS` (its label on the register) and named in the
``retention_jobs`` of the processings it serves (``<app>/rgpd.py``). A failing job still
leaves its run (``ok=False``, the exception's class) and re-raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.administration.models import RetentionRun

#: Known retention jobs: key -> label on the register.
JOBS = {
    "security_events": _("Purge du journal de sécurité (plus d'un an)"),
    "directory_retention": _("Effacement des comptes partis depuis plus de 3 mois"),
    "messaging_trash": _("Vidage des corbeilles de la messagerie (plus de 30 jours)"),
    "documents_trash": _("Vidage des corbeilles de l'espace documentaire (plus de 30 jours)"),
    "gar_failed_runs": _("Suppression des fichiers des exports GAR non déposés"),
}


def retention_run(job: str, work: Callable[[], int]) -> int:
    """Run ``work`` (which returns how many rows it erased) and record the run."""
    run = RetentionRun.objects.create(job=job[:40], started_at=timezone.now())
    try:
        erased = int(work() or 0)
    except Exception as exc:
        RetentionRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), ok=False, error=type(exc).__name__[:200]
        )
        raise
    RetentionRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), ok=True, erased=max(erased, 0)
    )
    return erased


@dataclass(frozen=True)
class JobStatus:
    key: str
    label: str
    last: RetentionRun | None


def jobs_status(keys: tuple[str, ...] | None = None) -> list[JobStatus]:
    """The last run of each job (two queries whatever the number of jobs)."""
    wanted = list(JOBS) if keys is None else [k for k in keys if k]
    latest = (
        RetentionRun.objects.filter(job__in=wanted)
        .values("job")
        .annotate(last=Max("started_at"))
        .values_list("job", "last")
    )
    which = Q(pk__in=[])
    for job, at in latest:
        which |= Q(job=job, started_at=at)
    runs = {r.job: r for r in RetentionRun.objects.filter(which).order_by("job", "pk")}
    return [JobStatus(k, str(JOBS.get(k, k)), runs.get(k)) for k in wanted]
