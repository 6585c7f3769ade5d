"""The Django admin cannot create an application of another grant type either, and the
API takes both kinds of bearer token (OIDC access token with ``api``, DRF token)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from ostal.directory.models import Person, Profile
from ostal.oidc.models import Client


@pytest.fixture
def superuser(db) -> Person:
    person = Person.objects.create_superuser("racine", "x", profile=Profile.GUEST)
    Person.objects.filter(pk=person.pk).update(state=Person.State.ACTIVE)
    person.refresh_from_db()
    return person


@pytest.mark.parametrize(
    "grant_type",
    [Client.GRANT_IMPLICIT, Client.GRANT_PASSWORD, Client.GRANT_CLIENT_CREDENTIALS],
)
def test_admin_refuses_other_grant_types(client, superuser, grant_type):
    """The operator's Django admin refuses to save a non-authorization-code application."""
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/admin/oidc/client/add/",
        {
            "name": "Détournée",
            "kind": "server",
            "client_type": "confidential",
            "authorization_grant_type": grant_type,
            "redirect_uris": "https://a.example/cb",
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "client_id": "detournee",
            "client_secret": "s3cret-s3cret",
            "hash_client_secret": "on",
            "algorithm": "RS256",
            "scopes": "openid",
            "registration_source": "manual",
            "is_active": "on",
            "resource": "[]",
        },
    )
    assert response.status_code == 200
    assert "code d&#x27;autorisation" in response.content.decode()
    assert not Client.objects.exists()


def test_both_bearer_kinds_open_the_api(mobile_flow, world):
    """An OIDC access token (scope api) and a DRF token both authenticate /api/v1/me/."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    drf = Token.objects.create(user=world.teacher)
    mobile_flow.http.logout()
    me_oidc = mobile_flow.http.get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )
    me_drf = mobile_flow.http.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {drf.key}")
    assert me_oidc.status_code == 200 and me_oidc.json()["username"] == "eleve"
    assert me_drf.status_code == 200 and me_drf.json()["username"] == "prof"
    wrong = mobile_flow.http.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer inconnu")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")
