"""The OAuth2/OIDC client registry: which applications may sign people in through Ostal.

Ostal swaps django-oauth-toolkit's application model for ``Client`` (ADR 0011) so that the
rules below hold everywhere DOT looks at an application, at registration *and* at runtime:

* only the authorization-code grant (with refresh tokens) exists: an application row of
  any other type, even one forged in the database, is unusable (``is_usable``) and allows
  no grant (``allows_grant_type``);
* a disabled application is refused at the authorization, token, userinfo and API doors;
* redirect URIs are https; a public (mobile/native) client may also register a private-use
  URI scheme in reverse-domain form (``fr.ostal.app:/callback``, RFC 8252 §7.1) and an
  ``http`` loopback IP literal (``http://127.0.0.1/callback``, RFC 8252 §7.3); a
  confidential (server) client gets https only.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication

# The scopes Ostal knows, in the order the consent page lists them.
SCOPE_OPENID = "openid"
SCOPE_PROFILE = "profile"
SCOPE_EMAIL = "email"
SCOPE_OSTAL = "ostal"
SCOPE_API = "api"
DEFAULT_CLIENT_SCOPES = (SCOPE_OPENID, SCOPE_PROFILE, SCOPE_EMAIL)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1"})
# RFC 8252 §7.1: a private-use scheme is a reverse domain name the client controls.
PRIVATE_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+\-]*(\.[a-z0-9+\-]+)+$")


def is_private_use_scheme(scheme: str) -> bool:
    """A reverse-domain URI scheme (``fr.ostal.app``), never a well-known one."""
    return bool(PRIVATE_SCHEME_RE.match(scheme)) and scheme not in {"http", "https"}


class Client(AbstractApplication):
    """An application registered with Ostal's OIDC provider."""

    class Kind(models.TextChoices):
        SERVER = "server", _("Application serveur (client confidentiel)")
        MOBILE = "mobile", _("Application mobile ou native (client public)")

    kind: models.CharField[str, str] = models.CharField(
        _("type d'application"), max_length=8, choices=Kind.choices
    )
    is_active: models.BooleanField[bool, bool] = models.BooleanField(_("active"), default=True)
    scopes: models.CharField[str, str] = models.CharField(
        _("portées autorisées"),
        max_length=200,
        default=" ".join(DEFAULT_CLIENT_SCOPES),
        help_text=_("Portées que l'application peut demander, séparées par des espaces."),
    )
    # The person who registered it (kept apart from DOT's ``user``, which cascades: an
    # erased account must not take a partner's application with it).
    created_by: models.ForeignKey[Any, Any] = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enregistrée par"),
    )
    disabled_at: models.DateTimeField[Any, Any] = models.DateTimeField(
        _("désactivée le"), null=True, blank=True
    )

    class Meta(AbstractApplication.Meta):
        verbose_name = _("application OIDC")
        verbose_name_plural = _("applications OIDC")
        ordering = ["name", "pk"]

    @property
    def first_party(self) -> bool:
        """First-party applications (marked by an operator) skip the consent page."""
        return bool(self.skip_authorization)

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def redirect_uri_list(self) -> list[str]:
        return self.redirect_uris.split()

    # --- What DOT asks of an application ------------------------------------------------
    def get_allowed_schemes(self) -> list[str]:
        if self.client_type != self.CLIENT_PUBLIC:
            return ["https"]
        custom = {
            urlsplit(uri).scheme
            for uri in self.redirect_uri_list()
            if is_private_use_scheme(urlsplit(uri).scheme)
        }
        return ["https", "http", *sorted(custom)]

    def allows_grant_type(self, *grant_types: str) -> bool:
        return (
            self.authorization_grant_type == self.GRANT_AUTHORIZATION_CODE
            and self.GRANT_AUTHORIZATION_CODE in grant_types
        )

    def is_usable(self, request: Any) -> bool:
        return self.is_active and self.authorization_grant_type == self.GRANT_AUTHORIZATION_CODE

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean()
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                if field == "redirect_uris":
                    # DOT's messages are English and name no URI: say it in French.
                    messages = [
                        ValidationError(
                            _("Adresse de retour mal formée : une adresse complète par ligne.")
                        )
                    ]
                errors.setdefault(field, []).extend(messages)
        if self.authorization_grant_type != self.GRANT_AUTHORIZATION_CODE:
            errors.setdefault("authorization_grant_type", []).append(
                ValidationError(
                    _("Seul le flux « code d'autorisation » (avec PKCE) est accepté par Ostal.")
                )
            )
        expected_type = self.CLIENT_PUBLIC if self.kind == self.Kind.MOBILE else None
        if self.kind == self.Kind.SERVER:
            expected_type = self.CLIENT_CONFIDENTIAL
        if expected_type and self.client_type != expected_type:
            errors.setdefault("client_type", []).append(
                ValidationError(_("Le type de client ne correspond pas au type d'application."))
            )
        problems = [
            ValidationError(message)
            for uri in self.redirect_uri_list()
            if (message := redirect_uri_problem(uri, public=self.client_type == self.CLIENT_PUBLIC))
        ]
        if problems:
            errors["redirect_uris"] = problems
        elif not self.redirect_uri_list():
            errors["redirect_uris"] = [
                ValidationError(_("Indiquez au moins une adresse de retour."))
            ]
        unknown = set(self.scope_list) - {
            SCOPE_OPENID,
            SCOPE_PROFILE,
            SCOPE_EMAIL,
            SCOPE_OSTAL,
            SCOPE_API,
        }
        if unknown:
            errors.setdefault("scopes", []).append(
                ValidationError(
                    _("Portée inconnue : %(s)s."), params={"s": ", ".join(sorted(unknown))}
                )
            )
        if errors:
            raise ValidationError(errors)


def redirect_uri_problem(uri: str, *, public: bool) -> str | None:
    """What is wrong with ``uri`` as a redirect URI of a (public or confidential) client,
    in French, or ``None`` when it is acceptable."""
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if "#" in uri:
        return str(
            _("« %(uri)s » : une adresse de retour ne peut pas contenir de fragment (#).")
        ) % {"uri": uri}
    if "*" in uri:
        return str(_("« %(uri)s » : les jokers (*) sont interdits.")) % {"uri": uri}
    if scheme == "https":
        if not parts.hostname:
            return str(_("« %(uri)s » : adresse https sans nom d'hôte.")) % {"uri": uri}
        return None
    if not public:
        return str(_("« %(uri)s » : une application serveur n'accepte que des adresses https.")) % {
            "uri": uri
        }
    if scheme == "http":
        if parts.hostname in LOOPBACK_HOSTS:
            return None
        return str(
            _(
                "« %(uri)s » : http n'est accepté que pour l'adresse de bouclage d'une "
                "application native (http://127.0.0.1/… ou http://[::1]/…)."
            )
        ) % {"uri": uri}
    if is_private_use_scheme(scheme):
        return None
    return str(
        _(
            "« %(uri)s » : schéma non accepté. Utilisez https, ou pour une application mobile "
            "un schéma privé en nom de domaine inversé (ex. fr.ostal.app:/callback)."
        )
    ) % {"uri": uri}


class RedeemedCode(models.Model):
    """An authorization code already exchanged for tokens, and the tokens it gave (RFC 6749
    §4.1.2: a code presented again must be refused and, if possible, the tokens first
    issued for it revoked). Only a digest of the code is kept."""

    code_digest: models.CharField[str, str] = models.CharField(max_length=64, unique=True)
    client: models.ForeignKey[Any, Any] = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="+"
    )
    # The access token issued (an id, not a foreign key: DOT's token model is swappable
    # and a revoked token's row is deleted).
    access_token_id: models.BigIntegerField[Any, Any] = models.BigIntegerField(
        null=True, blank=True
    )
    # The ID token issued with it (it outlives its access token when that is refreshed).
    id_token_id: models.BigIntegerField[Any, Any] = models.BigIntegerField(null=True, blank=True)
    # The refresh-token family started by the exchange: refreshed tokens belong to it too.
    token_family: models.UUIDField[Any, Any] = models.UUIDField(null=True, blank=True)
    redeemed_at: models.DateTimeField[Any, Any] = models.DateTimeField(auto_now_add=True)
    revoked_at: models.DateTimeField[Any, Any] = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code d'autorisation échangé")
        verbose_name_plural = _("codes d'autorisation échangés")
