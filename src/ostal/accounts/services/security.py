"""Revoking what lets an account in without its password (rule: a password reset, an
activation or an admin's reset closes every session and every token of the account).

Django sessions are tied to the password hash (``get_session_auth_hash``): changing the
password already invalidates every other session. This service also removes what the hash
does not cover: API tokens, OAuth2/OIDC tokens and CAS single sign-on sessions.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.models import Person


def credentials_revoke_all(
    *, person: Person, reason: str, actor: Any = None, request: HttpRequest | None = None
) -> dict[str, int]:
    """Delete every token and SSO session of ``person``; return how many of each kind."""
    from cas_server.models import User as CasUser
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        counts = {
            "api_tokens": Token.objects.filter(user=person).delete()[0],
            "oauth_refresh_tokens": get_refresh_token_model()
            .objects.filter(user=person)
            .delete()[0],
            "oauth_access_tokens": get_access_token_model().objects.filter(user=person).delete()[0],
            "cas_sessions": CasUser.objects.filter(username=person.username).delete()[0],
        }
        security_event_record(
            kind=SecurityEvent.Kind.CREDENTIALS_REVOKED,
            request=request,
            actor=actor,
            subject=person,
            username=person.username,
            data={"reason": reason, **counts},
        )
    return counts
