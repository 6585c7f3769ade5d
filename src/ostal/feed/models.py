"""Directory feed bookkeeping: which school a source's structure id means, and the record
of every import run with its report.

Rules held here:
* structure ids (``ENTStructureJointure``) are unique only within one source;
* two imports never run at once: at most one run is *running* (a partial unique index);
* every run, dry or real, keeps its report; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Source
from ostal.territory.models import School


class SchoolKey(models.Model):
    """A source's id for a school (``ENTStructureJointure``)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="school_keys")
    jointure = models.CharField(_("jointure de structure"), max_length=64)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="source_keys")

    class Meta:
        verbose_name = _("identifiant de structure")
        verbose_name_plural = _("identifiants de structure")
        constraints = [
            models.UniqueConstraint(fields=["source", "jointure"], name="school_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.jointure} → {self.school.uai}"


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        SUCCEEDED = "succeeded", _("Terminé")
        FAILED = "failed", _("Échec")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="import_runs")
    delivery = models.CharField(_("livraison"), max_length=255)
    kind = models.CharField(_("type"), max_length=8, blank=True)  # complete | delta
    delivery_date = models.DateField(_("date de la livraison"), null=True, blank=True)
    dry_run = models.BooleanField(_("simulation"), default=False)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices)
    started_at = models.DateTimeField(_("début"), auto_now_add=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    error = models.TextField(_("erreur"), blank=True)
    report = models.JSONField(_("rapport"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import d'annuaire")
        verbose_name_plural = _("imports d'annuaire")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="one_import_at_a_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.code} {self.delivery} ({self.status})"

    @property
    def progress_key(self) -> str:
        return f"ostal:feed:progress:{self.pk}"


class PendingRelativeLink(models.Model):
    """A relative a pupil's record names who is not in the directory yet.

    Kept so that a later delivery that brings the relative alone (a *Delta* adding a
    ``PersRelEleve`` without touching the pupil) still links them: every import resolves
    the pending links whose relative has arrived. Replaced whenever the pupil's links are
    rewritten; removed with the pupil.
    """

    pupil = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="pending_relative_links"
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="+")
    relative_external_id = models.CharField(_("jointure du responsable"), max_length=64)
    relation_code = models.CharField(_("code de lien"), max_length=4, blank=True)
    financial = models.BooleanField(default=False)
    legal_level = models.PositiveSmallIntegerField(default=1)
    contact = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("lien de responsable en attente")
        verbose_name_plural = _("liens de responsable en attente")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "relative_external_id"], name="pending_relative_link_unique"
            )
        ]
        indexes = [models.Index(fields=["source", "relative_external_id"])]
