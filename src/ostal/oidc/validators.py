"""Ostal's request validator for django-oauth-toolkit: claims from the directory, and no
token of an inactive account is honoured (suspended, detached, erased accounts lose every
door at once, whatever their tokens say). An authorization code presented a second time is
refused and the tokens first issued for it are revoked (RFC 6749 §4.1.2)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from ostal.oidc.claims import CLAIM_SCOPE, person_claims
from ostal.oidc.services import authorization_code_redeemed, authorization_code_replayed


def _user_is_active(request: Any) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_active", False))


def _exchanges_a_code(request: Any) -> bool:
    return bool(getattr(request, "grant_type", None) == "authorization_code" and request.code)


class OstalValidator(OAuth2Validator):
    oidc_claim_scope = CLAIM_SCOPE

    def get_claim_dict(self, request: Any) -> dict[str, Any]:
        return person_claims(request.user)

    def get_discovery_claims(self, request: Any) -> list[str]:
        return list(CLAIM_SCOPE)

    def validate_bearer_token(self, token: str, scopes: Any, request: Any) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if not _user_is_active(request):
            request.oauth2_error = OrderedDict(
                [("error", "invalid_token"), ("error_description", "The account is not active.")]
            )
            return False
        return True

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return _user_is_active(request)
        # Unknown or expired; if it was already exchanged, this is a replay.
        authorization_code_replayed(client=client, code=code)
        return False

    def _create_access_token(
        self, expires: Any, request: Any, token: Any, source_refresh_token: Any = None
    ) -> Any:
        access_token = super()._create_access_token(expires, request, token, source_refresh_token)
        if _exchanges_a_code(request):
            authorization_code_redeemed(
                client=request.client,
                code=request.code,
                access_token_id=access_token.pk,
                id_token_id=access_token.id_token_id,
            )
        return access_token

    def _create_refresh_token(
        self, request: Any, refresh_token_code: Any, access_token: Any, previous: Any
    ) -> Any:
        refresh_token = super()._create_refresh_token(
            request, refresh_token_code, access_token, previous
        )
        if _exchanges_a_code(request):
            authorization_code_redeemed(
                client=request.client,
                code=request.code,
                access_token_id=access_token.pk,
                token_family=refresh_token.token_family,
            )
        return refresh_token

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return super().validate_refresh_token(
            refresh_token, client, request, *args, **kwargs
        ) and _user_is_active(request)
