"""The GAR link: who assigns resources in each school, and the runs of the nightly export.

Rules held here:
* a school has at most one *responsable d'affectation* at a time and any number of
  *délégués d'affectation*; a person holds at most one GAR role in a school at a time;
* an appointment is never deleted: ending it stamps who ended it and when, so the school
  keeps the history of its GAR roles;
* an export run records what was produced (files, node counts) and, when it failed, the
  first errors; an export that did not validate was never sent;
* the files of a run that was not delivered are deleted after ``OSTAL_GAR_FAILED_RUN_DAYS``
  by a retention job; the run's row stays, stamped ``files_purged_at``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Person
from ostal.territory.models import School


class GarRole(models.TextChoices):
    RESPONSABLE = "responsable", _("Responsable d'affectation")
    DELEGATE = "delegue", _("Délégué d'affectation")


class GarAppointment(models.Model):
    """A person appointed to a GAR role in a school, with who appointed and ended it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="gar_appointments")
    role = models.CharField(_("rôle"), max_length=12, choices=GarRole.choices)
    appointed_at = models.DateTimeField(_("désigné le"), default=timezone.now)
    appointed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("désigné par"),
    )
    ended_at = models.DateTimeField(_("fin le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("fin décidée par"),
    )

    class Meta:
        verbose_name = _("rôle GAR")
        verbose_name_plural = _("rôles GAR")
        ordering = ["-appointed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(role="responsable", ended_at__isnull=True),
                name="gar_one_responsable_per_school",
            ),
            models.UniqueConstraint(
                fields=["school", "person"],
                condition=Q(ended_at__isnull=True),
                name="gar_one_role_per_person_and_school",
            ),
        ]
        indexes = [models.Index(fields=["school", "ended_at"], name="gar_appointment_active_idx")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.school.uai})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class GarExportRun(models.Model):
    """One run of the GAR export: produced, validated, packed and delivered (or not)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Déposé")
        FAILED = "failed", _("Échoué")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Tâche de nuit")
        COMMAND = "command", _("Commande d'exploitation")

    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    trigger = models.CharField(_("déclenchement"), max_length=8, choices=Trigger.choices)
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    stamp = models.CharField(_("horodatage des fichiers"), max_length=15)
    ent_id = models.CharField(_("identifiant ENT"), max_length=64)
    # [{"name": ..., "kind": "Eleve", "nodes": 123, "bytes": 4567}]
    files = models.JSONField(_("fichiers"), default=list)
    # {"Eleve": {"GAREleve": 12, "GARPersonMEF": 12, ...}, ...}
    counts = models.JSONField(_("nombres d'éléments"), default=dict)
    errors = models.JSONField(_("erreurs"), default=list)
    warnings = models.JSONField(_("avertissements"), default=list)
    archive_name = models.CharField(_("archive"), max_length=160, blank=True)
    archive_md5 = models.CharField(_("empreinte MD5"), max_length=32, blank=True)
    archive_bytes = models.PositiveBigIntegerField(_("taille de l'archive"), default=0)
    delivered_to = models.CharField(_("déposé sur"), max_length=255, blank=True)
    # Set by the retention job (gar_failed_runs_purge) once the run's folder is deleted.
    files_purged_at = models.DateTimeField(_("fichiers supprimés le"), null=True, blank=True)

    class Meta:
        verbose_name = _("export GAR")
        verbose_name_plural = _("exports GAR")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"GAR {self.stamp} ({self.get_status_display()})"
