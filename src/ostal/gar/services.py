"""Writes of the GAR: appoint and end roles (stamped with who and when), run the export."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ostal.directory.models import Person
from ostal.gar import delivery, export
from ostal.gar.abilities import may_appoint_gar_roles
from ostal.gar.delivery import SftpTarget
from ostal.gar.models import GarAppointment, GarExportRun, GarRole
from ostal.gar.selectors import gar_candidates, gar_mail_of
from ostal.territory.models import School

logger = logging.getLogger(__name__)


@transaction.atomic
def gar_role_appoint(*, actor: Person, school: School, person: Person, role: str) -> GarAppointment:
    """Appoint ``person`` to ``role`` in ``school``.

    Refused (``ValidationError``, French message, nothing stored) when the role is unknown,
    the person is not on the school's staff, has no e-mail address (the GAR requires one
    for its assignment console), already holds a GAR role in the school, or when the school
    already has a responsable d'affectation.
    """
    if not may_appoint_gar_roles(actor, school):
        raise PermissionDenied
    if role not in GarRole.values:
        raise ValidationError(_("Rôle GAR inconnu."), code="role")
    if not gar_candidates(school=school).filter(pk=person.pk).exists():
        raise ValidationError(
            _("Seul un membre du personnel de l'établissement peut recevoir un rôle GAR."),
            code="person",
        )
    if not gar_mail_of(person):
        raise ValidationError(
            _(
                "%(name)s n'a pas d'adresse électronique : le GAR en exige une pour la "
                "console d'affectation."
            )
            % {"name": person.display_name},
            code="mail",
        )
    active = GarAppointment.objects.select_for_update().filter(school=school, ended_at__isnull=True)
    if active.filter(person=person).exists():
        raise ValidationError(
            _("%(name)s a déjà un rôle GAR dans cet établissement.")
            % {"name": person.display_name},
            code="duplicate",
        )
    if role == GarRole.RESPONSABLE and active.filter(role=GarRole.RESPONSABLE).exists():
        raise ValidationError(
            _(
                "L'établissement a déjà un responsable d'affectation : mettez fin à sa "
                "désignation avant d'en désigner un autre."
            ),
            code="responsable",
        )
    try:
        with transaction.atomic():
            return GarAppointment.objects.create(
                school=school, person=person, role=role, appointed_by=actor
            )
    except IntegrityError as exc:  # a concurrent appointment won the race
        raise ValidationError(
            _("Ce rôle vient d'être attribué par ailleurs : rechargez la page."), code="race"
        ) from exc


@transaction.atomic
def gar_role_end(*, actor: Person, appointment: GarAppointment) -> GarAppointment:
    """End an appointment (kept in the history with who ended it and when)."""
    if not may_appoint_gar_roles(actor, appointment.school):
        raise PermissionDenied
    locked = GarAppointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.ended_at is not None:
        raise ValidationError(_("Cette désignation a déjà pris fin."), code="ended")
    locked.ended_at = timezone.now()
    locked.ended_by = actor
    locked.save(update_fields=["ended_at", "ended_by"])
    return locked


# ------------------------------------------------------------------------ the export run


def gar_export(
    *,
    trigger: str,
    target: SftpTarget | None = None,
    ent_id: str | None = None,
    nodes_per_file: int | None = None,
) -> GarExportRun:
    """Produce, validate, pack and send a complete GAR snapshot; record the run.

    An export that does not validate against GAR-ENT.xsd is neither packed nor sent: the
    run is recorded failed with the first errors. A failed delivery is recorded failed too.
    After a delivery the local files are removed (they hold personal data the GAR has).
    """
    ent_id = ent_id if ent_id is not None else settings.OSTAL_GAR_ENT_ID
    target = target if target is not None else SftpTarget.from_settings()
    per_file = nodes_per_file or settings.OSTAL_GAR_NODES_PER_FILE
    now = timezone.localtime()
    stamp = now.strftime("%Y%m%d_%H%M%S")
    run = GarExportRun.objects.create(trigger=trigger, stamp=stamp, ent_id=ent_id, started_at=now)
    if not ent_id:
        return _fail(
            run,
            [_("L'identifiant ENT attribué par le GAR (OSTAL_GAR_ENT_ID) n'est pas configuré.")],
        )
    folder = Path(settings.OSTAL_GAR_EXPORT_DIR) / run_folder_name(run)
    try:
        produced = export.produce(folder, ent_id=ent_id, stamp=stamp, nodes_per_file=per_file)
    except Exception as exc:
        logger.exception("GAR export %s could not be produced", run.pk)
        return _fail(run, [_("Production des fichiers impossible : %(error)s") % {"error": exc}])
    run.files = [f.as_json() for f in produced.files]
    run.counts = produced.counts
    run.warnings = produced.warnings
    errors = export.validate(folder, produced.files)
    if errors:  # nothing leaves Ostal
        return _fail(run, errors)
    archive = folder / f"{ent_id}_GAR-ENT_Complet_{stamp}.tar.gz"
    md5, md5_file = delivery.pack(folder, [f.name for f in produced.files], archive)
    run.archive_name, run.archive_md5 = archive.name, md5
    run.archive_bytes = archive.stat().st_size
    if target is None:
        return _fail(
            run,
            [
                _(
                    "Aucun serveur SFTP du GAR n'est configuré (OSTAL_GAR_SFTP_HOST) : rien n'a été déposé."
                )
            ],
        )
    try:
        delivery.send(target, [archive, md5_file])
    except Exception as exc:
        logger.warning("GAR export %s not delivered to %s: %s", run.pk, target, exc)
        return _fail(
            run,
            [
                _("Dépôt SFTP sur %(target)s impossible : %(error)s")
                % {"target": target, "error": exc}
            ],
        )
    shutil.rmtree(folder, ignore_errors=True)
    run.status = GarExportRun.Status.SUCCEEDED
    run.delivered_to = str(target)
    run.finished_at = timezone.now()
    run.save()
    return run


def _fail(run: GarExportRun, errors: list[str]) -> GarExportRun:
    run.status = GarExportRun.Status.FAILED
    run.errors = [str(e) for e in errors]
    run.finished_at = timezone.now()
    run.save()
    return run


# --------------------------------------------------------------- retention of failed runs


def run_folder_name(run: GarExportRun) -> str:
    """The name of a run's folder inside ``OSTAL_GAR_EXPORT_DIR``."""
    return f"{run.stamp}_{run.pk}"


def _run_folder_inside(root: Path, run: GarExportRun) -> Path | None:
    """The run's folder if it is a real folder (no link) right inside ``root``, else None."""
    name = run_folder_name(run)
    if name in {".", ".."} or Path(name).name != name or "/" in name or "\\" in name:
        return None
    folder = root / name
    if folder.is_symlink() or not folder.is_dir():
        return None
    if folder.resolve().parent != root:
        return None
    return folder


def gar_failed_runs_purge() -> int:
    """Delete the folders of runs not delivered, older than ``OSTAL_GAR_FAILED_RUN_DAYS``.

    A delivered run deletes its folder itself; a failed one (or one left *running* by a
    crashed worker) keeps it for the operator to look at, then this job deletes it. The
    run's row stays, stamped ``files_purged_at``. Nothing outside ``OSTAL_GAR_EXPORT_DIR``
    is ever touched: a folder that is a symbolic link, or whose name would lead out of the
    export folder, is left alone (and logged). Returns how many runs were purged.
    """
    cutoff = timezone.now() - timedelta(days=settings.OSTAL_GAR_FAILED_RUN_DAYS)
    root = Path(settings.OSTAL_GAR_EXPORT_DIR).resolve()
    old = GarExportRun.objects.filter(
        status__in=[GarExportRun.Status.FAILED, GarExportRun.Status.RUNNING],
        started_at__lt=cutoff,
        files_purged_at__isnull=True,
    ).order_by("pk")
    purged = 0
    for run in old.iterator():
        candidate = root / run_folder_name(run)
        folder = _run_folder_inside(root, run)
        if folder is None and (candidate.is_symlink() or candidate.exists()):
            logger.warning(
                "GAR run %s: %s is not a folder of the export dir, left alone", run.pk, candidate
            )
            continue
        if folder is not None:
            shutil.rmtree(folder)
        GarExportRun.objects.filter(pk=run.pk).update(files_purged_at=timezone.now())
        purged += 1
    return purged
