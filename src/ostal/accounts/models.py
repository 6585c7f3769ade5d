"""Sessions and devices of an account (rules: a person can see and close every session of
their account; a login from a device never seen before is announced to them).

* ``TrackedSession`` mirrors one Django session (db or cache backend alike) so it can be
  listed and closed remotely; "last seen" is written at most once every
  ``OSTAL_SESSION_TOUCH_MINUTES``.
* ``KnownDevice`` is a browser recognised by a long-lived signed cookie holding a random
  id; only a hash of that id is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short human name for a browser ("Firefox sur Windows") from its user agent."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return str(_("%(browser)s sur %(system)s") % {"browser": browser, "system": system})
    return browser or system or str(_("Navigateur inconnu"))


class KnownDevice(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices"
    )
    device_hash = models.CharField(_("empreinte de l'appareil"), max_length=64)
    label = models.CharField(_("appareil"), max_length=120, blank=True)
    first_seen_at = models.DateTimeField(_("vu la première fois le"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("vu la dernière fois le"), default=timezone.now)
    # Set when the person was warned of this device (e-mail and profile notice).
    alerted = models.BooleanField(_("nouvel appareil signalé"), default=False)

    class Meta:
        verbose_name = _("appareil connu")
        verbose_name_plural = _("appareils connus")
        ordering = ["-last_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "device_hash"], name="known_device_unique")
        ]

    def __str__(self) -> str:
        return self.label or str(_("Appareil inconnu"))


class TrackedSession(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_sessions"
    )
    session_key = models.CharField(_("clé de session"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("dernière activité"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=255, blank=True)
    device = models.ForeignKey(
        KnownDevice,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("appareil"),
    )

    class Meta:
        verbose_name = _("session ouverte")
        verbose_name_plural = _("sessions ouvertes")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["person", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return self.device.label if self.device else device_label(self.user_agent)
