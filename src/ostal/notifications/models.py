"""Notification preferences and the state of the e-mail digest.

* ``NotificationPreference``: one row per person who changed their preferences; without a
  row, the defaults of their profile apply (``selectors.DEFAULTS``). Other services (the
  timetable's course changes, later) read the same preferences through
  ``selectors.preferences_for`` and ``selectors.in_quiet_hours``.
* ``DigestState``: per person, what the digest job knows: something new is waiting since
  ``pending_since`` (a partial index keeps "who is waiting" cheap to find),
  ``announced_until`` (every delivery sent up to then was considered: never announced
  twice), when the last digest went out, the last failure (retried later) and, for a
  person waiting for their hour, when to look again (``not_before``).
* ``DigestCursor``: one row, the last delivery the job has looked at (scans go forward on
  the primary key, never over the whole table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    OFF = "off", _("Jamais")
    DAILY = "daily", _("Une fois par jour")
    HOURLY = "hourly", _("Au plus une fois par heure")


class NotificationPreference(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_digest = models.CharField(
        _("récapitulatif par courriel"), max_length=6, choices=Frequency.choices
    )
    daily_hour = models.PositiveSmallIntegerField(_("heure du récapitulatif quotidien"))
    quiet_start = models.TimeField(_("début des heures de silence"), null=True, blank=True)
    quiet_end = models.TimeField(_("fin des heures de silence"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("préférences de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_hour__gte=0, daily_hour__lte=23),
                name="notification_daily_hour_range",
            ),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="notification_quiet_both_or_none",
            ),
        ]


class DigestState(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    pending_since = models.DateTimeField(null=True, blank=True)
    announced_until = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # A pending person who is not due yet (daily hour, quiet hours…) is not looked at again
    # before this time; changing the preferences clears it.
    not_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("état du récapitulatif")
        verbose_name_plural = _("états du récapitulatif")
        indexes = [
            models.Index(
                fields=["person"],
                condition=Q(pending_since__isnull=False),
                name="digest_pending",
            )
        ]


class DigestCursor(models.Model):
    """A single row (pk 1): the last delivery id the digest job has scanned."""

    last_delivery_id = models.BigIntegerField(default=0)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("curseur du récapitulatif")
        verbose_name_plural = _("curseurs du récapitulatif")
