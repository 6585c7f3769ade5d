"""Base models and the two append-only logs every app writes to.

* ``SecurityEvent``: who did what that matters for security (logins, failures, lockouts,
  admin actions on accounts, later SSO tickets). Append-only: never updated or deleted
  except by the RGPD retention job (connection logs are kept one year).
* ``AudienceEvent``: one page view, pseudonymised (service, school UAI, profile, hashed
  user id), the raw material of usage statistics and of the national audience tag (DNMA).
  Written in batches (``core.audience``); later aggregated by the statistics jobs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a row of an append-only log."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("append-only log: rows are never updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("append-only log: rows are deleted only by the retention job")

    def purge_before(self, when: Any) -> int:
        """The one way rows leave the log: the retention job, for rows older than ``when``."""
        deleted, _ = models.QuerySet.delete(self.filter(at__lt=when))
        return deleted


class SecurityEvent(models.Model):
    """Append-only; kept ``SECURITY_EVENT_RETENTION_DAYS`` then purged by a nightly job."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Connexion")
        LOGIN_FAILED = "login_failed", _("Échec de connexion")
        LOCKOUT = "lockout", _("Verrouillage")
        LOGOUT = "logout", _("Déconnexion")
        ACCOUNT_CHANGED = "account_changed", _("Compte modifié par un administrateur")
        ACCOUNT_CREATED = "account_created", _("Compte créé")
        ACCOUNT_DELETED = "account_deleted", _("Données personnelles effacées")
        # Account life and login security (identity issue).
        ACTIVATED = "activated", _("Compte activé")
        PASSWORD_CHANGED = "password_changed", _("Mot de passe changé")
        PASSWORD_RESET_REQUESTED = "reset_requested", _("Réinitialisation demandée")
        PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
        EMAIL_CONFIRMED = "email_confirmed", _("Courriel confirmé")
        NEW_DEVICE = "new_device", _("Connexion depuis un nouvel appareil")
        SESSION_REVOKED = "session_revoked", _("Session fermée à distance")
        CREDENTIALS_REVOKED = "credentials_revoked", _("Sessions et jetons révoqués")
        MFA_ENABLED = "mfa_enabled", _("Double authentification activée")
        MFA_DISABLED = "mfa_disabled", _("Double authentification désactivée")
        MFA_FAILED = "mfa_failed", _("Échec du second facteur")
        MFA_RECOVERY_USED = "mfa_recovery", _("Code de secours utilisé")
        LETTERS_PRINTED = "letters_printed", _("Lettres d'activation imprimées")
        # Single sign-on (CAS, SAML, OIDC).
        TICKET_ISSUED = "ticket_issued", _("Ticket CAS émis")
        TICKET_REFUSED = "ticket_refused", _("Ticket CAS refusé")
        FEDERATED_LOGIN = "federated_login", _("Connexion fédérée")
        FEDERATED_REFUSED = "federated_refused", _("Connexion fédérée refusée")
        TOKEN_ISSUED = "token_issued", _("Autorisation OIDC accordée")
        SERVICE_CHANGED = "service_changed", _("Service connecté modifié")
        # Messaging (anti-abuse).
        MESSAGING_FROZEN = "messaging_frozen", _("Messagerie gelée ou dégelée")
        MESSAGE_RECALLED = "message_recalled", _("Message diffusé rappelé")
        MESSAGE_REPORTED = "message_reported", _("Message signalé")
        MESSAGING_RATE_LIMITED = "messaging_limited", _("Envois limités (trop de messages)")
        COMMUNICATION_RULES_CHANGED = "rules_changed", _("Règles de communication modifiées")
        # Actualités (news).
        NEWS_PUBLISHED = "news_published", _("Actualité publiée")
        NEWS_DELETED = "news_deleted", _("Actualité supprimée")
        NEWS_LIMITED = "news_limited", _("Publications limitées (trop d'actualités)")

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        verbose_name=_("compte concerné"),
    )
    # The login typed at a failed attempt: kept so admins can see spraying, even when the
    # account does not exist (never shown to the person attempting).
    username = models.CharField(_("identifiant saisi"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=255, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("événements de sécurité")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("append-only log: rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("append-only log: rows are deleted only by the retention job")


class AudienceEvent(models.Model):
    """One page view (or API call) as the national audience measurement sees it."""

    at = models.DateTimeField(_("date"), db_index=True)
    service = models.CharField(_("service"), max_length=40)
    uai = models.CharField(_("UAI"), max_length=8, blank=True)
    profile = models.CharField(_("profil"), max_length=16, blank=True)
    pseudonym = models.CharField(_("identifiant pseudonymisé"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("événement d'audience")
        verbose_name_plural = _("événements d'audience")
        indexes = [models.Index(fields=["uai", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.service} {self.uai} {self.profile}"
