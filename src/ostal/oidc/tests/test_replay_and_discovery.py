"""Discovery states only the ID-token algorithm clients are registered with (RS256), and a
replayed authorization code revokes the tokens first issued for it (RFC 6749 §4.1.2)."""

from __future__ import annotations

import pytest
from oauth2_provider.models import AccessToken, IDToken, RefreshToken

from ostal.core.models import SecurityEvent
from ostal.oidc.models import Client, RedeemedCode

pytestmark = pytest.mark.django_db


def test_discovery_advertises_only_the_algorithm_clients_use(client, mobile_app, partner_app):
    """``id_token_signing_alg_values_supported`` is RS256 only, the algorithm of every registered client; no HS256."""
    response = client.get("/o/.well-known/openid-configuration", secure=True)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    algorithms = response.json()["id_token_signing_alg_values_supported"]
    assert algorithms == ["RS256"]
    assert set(Client.objects.values_list("algorithm", flat=True)) == set(algorithms)


def userinfo(flow, access_token: str):
    return flow.http.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}", secure=True)


def refresh(flow, refresh_token: str):
    return flow.http.post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": flow.app.client_id,
        },
        secure=True,
    )


def test_a_replayed_code_revokes_the_tokens_first_issued_for_it(mobile_flow, world):
    """A code presented again gets ``invalid_grant`` and the access, ID and refresh tokens issued for it (and those refreshed from them) stop working."""
    flow = mobile_flow
    code = flow.code_from(flow.approve())
    first = flow.token(code).json()
    assert userinfo(flow, first["access_token"]).status_code == 200
    refreshed = refresh(flow, first["refresh_token"])
    assert refreshed.status_code == 200, refreshed.content
    second = refreshed.json()
    assert userinfo(flow, second["access_token"]).status_code == 200
    assert AccessToken.objects.count() == 1 and IDToken.objects.count() == 1

    replay = flow.token(code)

    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert userinfo(flow, first["access_token"]).status_code == 401
    assert userinfo(flow, second["access_token"]).status_code == 401
    assert refresh(flow, second["refresh_token"]).json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists() and not IDToken.objects.exists()
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()
    redeemed = RedeemedCode.objects.get()
    assert redeemed.revoked_at is not None and redeemed.code_digest != code
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.CREDENTIALS_REVOKED)
    assert event.subject == world.pupil
    assert event.data["reason"] == "authorization_code_replayed"
    assert event.data["client_id"] == flow.app.client_id
    assert code not in str(event.data)


def test_a_code_never_exchanged_revokes_nothing(mobile_flow, partner_flow):
    """An unknown code is refused without touching the tokens of other exchanges."""
    tokens = partner_flow.token(partner_flow.code_from(partner_flow.approve())).json()

    response = mobile_flow.token("not-a-code-that-was-ever-issued")

    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert userinfo(partner_flow, tokens["access_token"]).status_code == 200
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.CREDENTIALS_REVOKED).exists()
