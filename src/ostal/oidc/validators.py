"""Ostal's request validator for django-oauth-toolkit: claims from the directory, and no
token of an inactive account is honoured (suspended, detached, erased accounts lose every
door at once, whatever their tokens say)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from ostal.oidc.claims import CLAIM_SCOPE, person_claims


def _user_is_active(request: Any) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_active", False))


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
        return super().validate_code(client_id, code, client, request, *args, **kwargs) and (
            _user_is_active(request)
        )

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        return super().validate_refresh_token(
            refresh_token, client, request, *args, **kwargs
        ) and _user_is_active(request)
