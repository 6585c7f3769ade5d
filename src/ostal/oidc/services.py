"""Writes of the OIDC provider: registering, disabling and re-keying applications, and
recording each authorization a person grants. Every one leaves a security event; no
secret, code or token ever reaches the log."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.models import Person
from ostal.oidc.abilities import may_manage_clients, may_mark_first_party
from ostal.oidc.models import Client, RedeemedCode


def _service_event(
    *, action: str, client: Client, actor: Person, request: HttpRequest | None
) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.SERVICE_CHANGED,
        request=request,
        actor=actor,
        username=actor.username,
        data={
            "registry": "oidc",
            "action": action,
            "client_id": client.client_id,
            "name": client.name,
            "kind": client.kind,
            "first_party": client.first_party,
            "active": client.is_active,
        },
    )


def client_create(
    *,
    actor: Person,
    name: str,
    kind: str,
    redirect_uris: list[str],
    scopes: list[str],
    first_party: bool = False,
    request: HttpRequest | None = None,
) -> tuple[Client, str]:
    """Register an application; return it and its client secret in clear (empty for a
    public client), which is shown once and stored hashed."""
    if not may_manage_clients(actor):
        raise PermissionDenied
    if first_party and not may_mark_first_party(actor):
        raise ValidationError(
            {"first_party": _("Seul l'exploitant peut déclarer une application interne.")}
        )
    public = kind == Client.Kind.MOBILE
    secret = "" if public else generate_client_secret()
    client = Client(
        name=name.strip(),
        kind=kind,
        client_type=Client.CLIENT_PUBLIC if public else Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        scopes=" ".join(scopes),
        skip_authorization=first_party,
        algorithm=Client.RS256_ALGORITHM if oauth2_settings.OIDC_ENABLED else Client.NO_ALGORITHM,
        client_secret=secret,
        # A public client has no secret: nothing to hash (a hash of "" would be one).
        hash_client_secret=not public,
        created_by=actor,
    )
    with transaction.atomic():
        client.full_clean()
        client.save()
        _service_event(action="created", client=client, actor=actor, request=request)
    return client, secret


def client_disable(*, client: Client, actor: Person, request: HttpRequest | None = None) -> Client:
    """Switch an application off: it can no longer start a sign-in, and every code and
    token it holds is revoked at once."""
    if not may_manage_clients(actor):
        raise PermissionDenied
    with transaction.atomic():
        client.is_active = False
        client.disabled_at = timezone.now()
        client.save(update_fields=["is_active", "disabled_at", "updated"])
        get_refresh_token_model().objects.filter(application=client).delete()
        get_access_token_model().objects.filter(application=client).delete()
        get_id_token_model().objects.filter(application=client).delete()
        get_grant_model().objects.filter(application=client).delete()
        _service_event(action="disabled", client=client, actor=actor, request=request)
    return client


def client_secret_rotate(
    *, client: Client, actor: Person, request: HttpRequest | None = None
) -> str:
    """Give a confidential application a new secret (returned in clear, shown once); the
    old one stops working immediately."""
    if not may_manage_clients(actor):
        raise PermissionDenied
    if client.client_type != Client.CLIENT_CONFIDENTIAL:
        raise ValidationError(_("Une application publique n'a pas de secret."))
    secret = generate_client_secret()
    with transaction.atomic():
        client.client_secret = secret
        client.save(update_fields=["client_secret", "updated"])
        _service_event(action="secret_rotated", client=client, actor=actor, request=request)
    return secret


def authorization_grant_record(
    *,
    person: Person,
    client: Client,
    scopes: list[str],
    consent: str,
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Log that ``person`` let ``client`` sign them in with these scopes; ``consent`` says
    how: ``explicit`` (the consent page), ``first_party`` (no page, operator's mark) or
    ``remembered`` (an unexpired earlier authorization, DOT's ``approval_prompt=auto``)."""
    return security_event_record(
        kind=SecurityEvent.Kind.TOKEN_ISSUED,
        request=request,
        actor=person,
        subject=person,
        username=person.username,
        data={
            "protocol": "oidc",
            "client_id": client.client_id,
            "application": client.name,
            "scopes": sorted(scopes),
            "consent": consent,
        },
    )


def code_digest(code: str) -> str:
    """What Ostal keeps of an authorization code: its SHA-256, never the code."""
    return hashlib.sha256(code.encode()).hexdigest()


def authorization_code_redeemed(
    *,
    client: Client,
    code: str,
    access_token_id: int,
    id_token_id: int | None = None,
    token_family: Any = None,
) -> None:
    """Remember that ``code`` was exchanged for this access token (and refresh-token
    family), so that a replay can revoke them."""
    RedeemedCode.objects.update_or_create(
        code_digest=code_digest(code),
        defaults={
            "client": client,
            "access_token_id": access_token_id,
            **({"id_token_id": id_token_id} if id_token_id else {}),
            **({"token_family": token_family} if token_family else {}),
        },
    )


def authorization_code_replayed(
    *, client: Client, code: str, request: HttpRequest | None = None
) -> bool:
    """A code already exchanged is presented again (RFC 6749 §4.1.2): revoke the tokens
    first issued for it — the access token, its ID token and every refresh token of its
    family (refreshed ones included). Returns whether there was anything to revoke."""
    with transaction.atomic():
        redeemed = (
            RedeemedCode.objects.select_for_update()
            .filter(code_digest=code_digest(code), client=client, revoked_at__isnull=True)
            .first()
        )
        if redeemed is None:
            return False
        access_tokens = get_access_token_model().objects.filter(pk=redeemed.access_token_id)
        refresh_tokens = get_refresh_token_model().objects.none()
        if redeemed.token_family:
            refresh_tokens = get_refresh_token_model().objects.filter(
                token_family=redeemed.token_family
            )
            access_tokens = access_tokens | get_access_token_model().objects.filter(
                pk__in=refresh_tokens.values("access_token_id")
            )
        owner = access_tokens.values_list("user_id", flat=True).first() or (
            refresh_tokens.values_list("user_id", flat=True).first()
        )
        id_token_ids = [
            *access_tokens.exclude(id_token=None).values_list("id_token_id", flat=True),
            *([redeemed.id_token_id] if redeemed.id_token_id else []),
        ]
        revoked = access_tokens.count()
        if redeemed.token_family:
            get_refresh_token_model().revoke_family(redeemed.token_family)
        access_tokens.delete()
        get_id_token_model().objects.filter(pk__in=id_token_ids).delete()
        redeemed.revoked_at = timezone.now()
        redeemed.save(update_fields=["revoked_at"])
        person = Person.objects.filter(pk=owner).first() if owner else None
        security_event_record(
            kind=SecurityEvent.Kind.CREDENTIALS_REVOKED,
            request=request,
            subject=person,
            username=person.username if person else "",
            data={
                "reason": "authorization_code_replayed",
                "protocol": "oidc",
                "client_id": client.client_id,
                "access_tokens": revoked,
            },
        )
    return True
