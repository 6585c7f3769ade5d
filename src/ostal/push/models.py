"""Web Push: one subscription per device (browser) of a person, and the notices waiting to
be pushed.

* ``PushSubscription``: what the browser's ``PushManager.subscribe()`` returned (the push
  service's endpoint and the keys to encrypt for it), owned by one person. An endpoint is
  unique: the same browser subscribed again by someone else moves to that person.
* ``PushNotice``: one notice to push to a person (all of their devices): the kind of event
  (its title is fixed text) and the first name of the child concerned, nothing else.
  ``not_before`` holds it until the end of the person's quiet hours.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("adresse du service push"), max_length=1000, unique=True)
    p256dh = models.CharField(_("clé publique du navigateur"), max_length=120)
    auth = models.CharField(_("secret d'authentification"), max_length=40)
    label = models.CharField(_("appareil"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("dernier envoi réussi"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("échecs consécutifs"), default=0)

    class Meta:
        verbose_name = _("abonnement push")
        verbose_name_plural = _("abonnements push")
        ordering = ["-created_at", "-pk"]


class PushNotice(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Nouveau message")
        COURSE_CANCELLED = "course_cancelled", _("Cours annulé")
        COURSE_CHANGED = "course_changed", _("Changement d'emploi du temps")
        TEST = "test", _("Notification d'essai")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    child_first_name = models.CharField(_("prénom de l'enfant"), max_length=250, blank=True)
    created_at = models.DateTimeField(_("créé le"))
    not_before = models.DateTimeField(_("pas avant"))
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification push")
        verbose_name_plural = _("notifications push")
        indexes = [
            models.Index(
                fields=["not_before"], condition=Q(sent_at__isnull=True), name="push_notice_due"
            )
        ]
