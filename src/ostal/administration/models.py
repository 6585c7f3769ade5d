"""The administration's own rows: the runs of the retention jobs (RGPD register)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One run of a retention job (``ostal.administration.retention.retention_run``): when,
    how it ended, and how many rows it erased. Holds no personal data."""

    job = models.CharField(_("tâche"), max_length=40)
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    erased = models.PositiveIntegerField(_("lignes effacées"), default=0)
    ok = models.BooleanField(_("terminée sans erreur"), default=False)
    error = models.CharField(_("erreur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("passage d'une tâche de conservation")
        verbose_name_plural = _("passages des tâches de conservation")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"
