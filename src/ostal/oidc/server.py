"""The oauthlib server Ostal runs: authorization code (+ refresh) only, PKCE S256 only.

oauthlib's pre-configured ``openid.Server`` wires every grant (implicit, password, client
credentials, hybrid, device) and accepts the ``plain`` PKCE method, ID tokens as bearer
tokens (its ``JWT`` token type) and a missing ``code_challenge_method`` (which RFC 7636
reads as ``plain``). This one wires only what Ostal offers, so a forbidden flow is not
merely refused by a check somewhere: it does not exist.
"""

from __future__ import annotations

from typing import Any

from oauthlib.oauth2.rfc6749.endpoints import (
    AuthorizationEndpoint,
    IntrospectEndpoint,
    ResourceEndpoint,
    RevocationEndpoint,
    TokenEndpoint,
)
from oauthlib.oauth2.rfc6749.grant_types import (
    AuthorizationCodeGrant as OAuth2AuthorizationCodeGrant,
)
from oauthlib.oauth2.rfc6749.grant_types import RefreshTokenGrant
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256
from oauthlib.oauth2.rfc6749.tokens import BearerToken
from oauthlib.openid.connect.core.endpoints.userinfo import UserInfoEndpoint
from oauthlib.openid.connect.core.grant_types import AuthorizationCodeGrant
from oauthlib.openid.connect.core.grant_types.dispatchers import (
    AuthorizationCodeGrantDispatcher,
    AuthorizationTokenGrantDispatcher,
)

S256_ONLY = {"S256": code_challenge_method_s256}


class Server(
    AuthorizationEndpoint,
    IntrospectEndpoint,
    TokenEndpoint,
    ResourceEndpoint,
    RevocationEndpoint,
    UserInfoEndpoint,
):
    """Authorization endpoint (``code``), token endpoint (``authorization_code`` and
    ``refresh_token``), bearer resource checks, revocation, introspection and userinfo."""

    def __init__(
        self,
        request_validator: Any,
        token_expires_in: Any = None,
        token_generator: Any = None,
        refresh_token_generator: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.auth_grant = OAuth2AuthorizationCodeGrant(request_validator)
        self.auth_grant._code_challenge_methods = S256_ONLY
        self.openid_connect_auth = AuthorizationCodeGrant(request_validator)
        self.openid_connect_auth.proxy_target._code_challenge_methods = S256_ONLY
        self.refresh_grant = RefreshTokenGrant(request_validator)
        self.bearer = BearerToken(
            request_validator, token_generator, token_expires_in, refresh_token_generator
        )
        self.auth_grant_choice = AuthorizationCodeGrantDispatcher(
            default_grant=self.auth_grant, oidc_grant=self.openid_connect_auth
        )
        AuthorizationEndpoint.__init__(
            self,
            default_response_type="code",
            response_types={"code": self.auth_grant_choice},
            default_token_type=self.bearer,
        )
        self.token_grant_choice = AuthorizationTokenGrantDispatcher(
            request_validator, default_grant=self.auth_grant, oidc_grant=self.openid_connect_auth
        )
        TokenEndpoint.__init__(
            self,
            default_grant_type="authorization_code",
            grant_types={
                "authorization_code": self.token_grant_choice,
                "refresh_token": self.refresh_grant,
            },
            default_token_type=self.bearer,
        )
        # Bearer access tokens only: an ID token is no key to the API.
        ResourceEndpoint.__init__(
            self,
            default_token="Bearer",  # noqa: S106 - a token type, not a secret
            token_types={"Bearer": self.bearer},
        )
        RevocationEndpoint.__init__(self, request_validator)
        IntrospectEndpoint.__init__(self, request_validator)
        UserInfoEndpoint.__init__(self, request_validator)
