"""Fixtures of the OIDC tests: two registered applications (the mobile app, public with a
private-use scheme; a partner, confidential with https) and a PKCE S256 flow driven by
oauthlib's own client (``WebApplicationClient``), through Django's test client over https."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from oauthlib.oauth2 import WebApplicationClient

from ostal.oidc.models import Client

MOBILE_REDIRECT = "fr.ostal.app:/callback"
PARTNER_REDIRECT = "https://partenaire.example/oidc/retour"
PARTNER_SECRET = "partner-secret-for-tests-only-0123456789"  # noqa: S105
ALL_SCOPES = "openid profile email ostal api"
ISSUER = "https://testserver/o"


@pytest.fixture
def mobile_app(db: Any) -> Client:
    return Client.objects.create(
        name="Ostal mobile",
        kind=Client.Kind.MOBILE,
        client_type=Client.CLIENT_PUBLIC,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris=MOBILE_REDIRECT,
        scopes=ALL_SCOPES,
        algorithm=Client.RS256_ALGORITHM,
        client_secret="",
    )


@pytest.fixture
def partner_app(db: Any) -> Client:
    return Client.objects.create(
        name="Vie scolaire partenaire",
        kind=Client.Kind.SERVER,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris=PARTNER_REDIRECT,
        scopes="openid profile email ostal",
        algorithm=Client.RS256_ALGORITHM,
        client_secret=PARTNER_SECRET,
    )


@pytest.fixture(autouse=True)
def _custom_scheme_callbacks(monkeypatch: Any) -> None:
    # oauthlib's *client* parses only https callbacks unless told otherwise; a mobile app's
    # private-use scheme callback (RFC 8252 §7.1) is legitimate. The server is unaffected.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@dataclass
class Flow:
    """One authorization-code + PKCE S256 flow of one application."""

    http: Any
    app: Client
    redirect_uri: str
    secret: str = ""
    scope: str = ALL_SCOPES
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    oauth: WebApplicationClient = field(init=False)
    verifier: str = field(init=False)
    challenge: str = field(init=False)

    def __post_init__(self) -> None:
        self.oauth = WebApplicationClient(self.app.client_id)
        self.verifier = self.oauth.create_code_verifier(64)
        self.challenge = self.oauth.create_code_challenge(self.verifier, "S256")

    def authorize_path(self, **overrides: Any) -> str:
        params: dict[str, Any] = {
            "redirect_uri": self.redirect_uri,
            "scope": self.scope.split(),
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }
        params.update(overrides)
        params = {k: v for k, v in params.items() if v is not None}
        uri = self.oauth.prepare_request_uri(f"{ISSUER}/authorize/", **params)
        parts = urlsplit(uri)
        return f"{parts.path}?{parts.query}"

    def consent_page(self, **overrides: Any) -> Any:
        return self.http.get(self.authorize_path(**overrides), secure=True)

    def approve(self, allow: bool = True) -> Any:
        """Show the consent page, answer it; return the response (a redirect)."""
        page = self.consent_page()
        assert page.status_code == 200, page.content
        form = page.context["form"]
        data = {name: value for name, value in form.initial.items() if value is not None}
        if allow:
            data["allow"] = "on"
        return self.http.post("/o/authorize/", data, secure=True)

    def code_from(self, response: Any) -> str:
        assert response.status_code == 302, response.content
        self.oauth.parse_request_uri_response(response["Location"], state=self.state)
        return str(self.oauth.code)

    def token(self, code: str, verifier: str | None = None, **extra: Any) -> Any:
        body = self.oauth.prepare_request_body(
            code=code,
            redirect_uri=self.redirect_uri,
            code_verifier=verifier if verifier is not None else self.verifier,
            include_client_id=True,
            **({"client_secret": self.secret} if self.secret else {}),
            **extra,
        )
        return self.http.post(
            "/o/token/", body, content_type="application/x-www-form-urlencoded", secure=True
        )


@pytest.fixture
def mobile_flow(login: Any, world: Any, mobile_app: Client) -> Flow:
    """The mobile app's flow, with the pupil signed in."""
    return Flow(http=login(world.pupil), app=mobile_app, redirect_uri=MOBILE_REDIRECT)


@pytest.fixture
def partner_flow(login: Any, world: Any, partner_app: Client) -> Flow:
    """The partner's flow, with the teacher signed in."""
    return Flow(
        http=login(world.teacher),
        app=partner_app,
        redirect_uri=PARTNER_REDIRECT,
        secret=PARTNER_SECRET,
        scope="openid profile email ostal",
    )
