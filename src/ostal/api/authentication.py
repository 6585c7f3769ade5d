"""Bearer authentication of the JSON API: an OIDC access token or a DRF token.

``Authorization: Bearer <token>`` carries either an access token issued by Ostal's OIDC
provider (the mobile app, with the ``api`` scope) or a DRF token (scripts, tests). Both use
the same keyword, so one class tries the OAuth2 token first and then the DRF token. Either
way the account must still be active: a suspended, detached or not-yet-activated
account's tokens stop working at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.request import Request

API_SCOPE = "api"


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        oauth = OAuth2Authentication().authenticate(request)
        if oauth is not None:
            user, access_token = oauth
            # The OIDC validator already refuses tokens of inactive accounts.
            if API_SCOPE not in access_token.scopes:
                raise exceptions.AuthenticationFailed(
                    _("Ce jeton ne donne pas accès à l'API (portée « api » absente).")
                )
            return user, access_token
        # Not an OIDC access token: a DRF token, or nothing (DRF refuses inactive users).
        return super().authenticate(request)
