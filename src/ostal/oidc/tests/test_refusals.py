"""What the provider refuses: every flow but authorization code + PKCE S256, unregistered
redirect URIs (an error page, never a redirect), reused codes, wrong verifiers, disabled
or forged applications, inactive accounts, and ID tokens used as API keys."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from ostal.core.models import SecurityEvent
from ostal.directory import services as directory_services
from ostal.directory.models import Person
from ostal.oidc.models import Client
from ostal.oidc.tests.conftest import MOBILE_REDIRECT, PARTNER_SECRET, Flow


def _query(response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response["Location"]).query)


def _no_code_issued() -> bool:
    return not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_ISSUED).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": None, "code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"code_challenge_method": None},  # RFC 7636 reads a missing method as "plain"
    ],
    ids=["no-challenge", "plain", "no-method"],
)
def test_authorization_without_s256_pkce_is_refused(mobile_flow, overrides):
    """No code_challenge, or a plain one, gets ``invalid_request`` back and no consent page."""
    response = mobile_flow.consent_page(**overrides)
    assert response.status_code == 302
    query = _query(response)
    assert query["error"] == ["invalid_request"] and "code" not in query
    assert _no_code_issued()


def test_wrong_verifier_is_refused(mobile_flow):
    """A code exchanged with another verifier gets ``invalid_grant``."""
    code = mobile_flow.code_from(mobile_flow.approve())
    other = mobile_flow.oauth.create_code_verifier(64)
    response = mobile_flow.token(code, verifier=other)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


def test_missing_verifier_is_refused(mobile_flow):
    """A code exchanged without its verifier is refused."""
    code = mobile_flow.code_from(mobile_flow.approve())
    response = mobile_flow.http.post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": MOBILE_REDIRECT,
            "client_id": mobile_flow.app.client_id,
        },
        secure=True,
    )
    assert response.status_code == 400 and "access_token" not in response.json()


def test_a_code_works_once(mobile_flow):
    """A reused code gets ``invalid_grant``."""
    code = mobile_flow.code_from(mobile_flow.approve())
    assert mobile_flow.token(code).status_code == 200
    again = mobile_flow.token(code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("response_type", ["token", "id_token", "id_token token", "code id_token"])
def test_implicit_and_hybrid_response_types_are_refused(mobile_flow, response_type):
    """Implicit and hybrid response types never return a token."""
    path = mobile_flow.authorize_path().replace("response_type=code", "")
    response = mobile_flow.http.get(
        f"{path}&response_type={response_type.replace(' ', '+')}", secure=True
    )
    location = response.get("Location", "")
    assert "access_token" not in location and "id_token=" not in location
    assert "code=" not in location
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert _query(response)["error"][0] in {"unsupported_response_type", "invalid_request"}
    assert _no_code_issued()


@pytest.mark.parametrize(
    "data",
    [
        {"grant_type": "password", "username": "eleve", "password": "x"},
        {"grant_type": "client_credentials"},
        {"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": "x"},
    ],
    ids=["password", "client-credentials", "device"],
)
def test_other_grants_are_refused(client, partner_app, data):
    """Password, client-credentials and device grants do not exist here."""
    response = client.post(
        "/o/token/",
        data,
        secure=True,
        HTTP_AUTHORIZATION=_basic(partner_app.client_id, PARTNER_SECRET),
    )
    assert response.status_code in (400, 404)
    assert "access_token" not in response.content.decode()


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://attaquant.example/vol",
        "fr.ostal.app:/callback?extra=1",
        "fr.ostal.app:/callback/autre",
        "fr.ostal.evil:/callback",
        "fr.ostal.app:/callback#frag",
    ],
)
def test_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(mobile_flow, redirect_uri):
    """A redirect URI that is not registered exactly: French error page, no Location."""
    response = mobile_flow.http.get(
        mobile_flow.authorize_path(redirect_uri=redirect_uri), secure=True
    )
    assert response.status_code == 400
    assert "Location" not in response
    body = response.content.decode()
    assert "Connexion impossible" in body and 'role="alert"' in body
    assert _no_code_issued()


def test_unknown_client_gets_an_error_page(login, world):
    """An unknown client_id gets the error page, never a redirect."""
    response = login(world.pupil).get(
        "/o/authorize/?response_type=code&client_id=inconnu&redirect_uri=https://x.example/"
        "&code_challenge=abc&code_challenge_method=S256",
        secure=True,
    )
    assert response.status_code == 400 and "Location" not in response


def test_tampered_consent_form_is_refused(mobile_flow):
    """A consent POST naming an unknown client or another redirect URI issues nothing."""
    page = mobile_flow.consent_page()
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data["allow"] = "on"
    unknown = mobile_flow.http.post("/o/authorize/", {**data, "client_id": "x"}, secure=True)
    assert unknown.status_code == 400 and "Location" not in unknown
    elsewhere = mobile_flow.http.post(
        "/o/authorize/", {**data, "redirect_uri": "https://attaquant.example/"}, secure=True
    )
    assert "attaquant" not in elsewhere.get("Location", "")
    assert elsewhere.status_code == 400
    assert _no_code_issued()


def test_disabled_application_is_refused_everywhere(mobile_flow, mobile_app, world):
    """Disabling an app stops new sign-ins and kills the tokens it holds."""
    from ostal.oidc.services import client_disable

    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    operator = Person.objects.create_user("exploitant", "x", last_name="Op", is_staff=True)
    client_disable(client=mobile_app, actor=operator)
    assert mobile_flow.consent_page().status_code == 400
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}
    assert mobile_flow.http.get("/o/userinfo/", secure=True, **bearer).status_code == 401
    mobile_flow.http.logout()
    assert mobile_flow.http.get("/api/v1/me/", **bearer).status_code == 401


def test_disabled_application_keeps_no_power_even_with_tokens_left(mobile_flow, mobile_app):
    """A token of an app switched off in the database (not through the service) is refused."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    Client.objects.filter(pk=mobile_app.pk).update(is_active=False)
    mobile_flow.http.logout()
    response = mobile_flow.http.get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "grant_type",
    [
        Client.GRANT_IMPLICIT,
        Client.GRANT_PASSWORD,
        Client.GRANT_CLIENT_CREDENTIALS,
        Client.GRANT_OPENID_HYBRID,
    ],
)
def test_forged_application_of_another_type_is_unusable(login, world, grant_type):
    """An application row of another grant type, forged in the database, can do nothing."""
    forged = Client.objects.create(
        name="Forgée",
        kind=Client.Kind.SERVER,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant_type,
        redirect_uris="https://forge.example/cb",
        scopes="openid profile api",
        algorithm=Client.RS256_ALGORITHM,
        client_secret="forged-secret",
    )
    http = login(world.pupil)
    flow = Flow(http=http, app=forged, redirect_uri="https://forge.example/cb")
    for response_type in ("code", "token"):
        path = flow.authorize_path().replace("response_type=code", f"response_type={response_type}")
        response = http.get(path, secure=True)
        assert response.status_code == 400 and "Location" not in response
    basic = _basic(forged.client_id, "forged-secret")
    for data in (
        {"grant_type": "password", "username": "eleve", "password": "x"},
        {"grant_type": "client_credentials"},
    ):
        response = http.post("/o/token/", data, secure=True, HTTP_AUTHORIZATION=basic)
        assert response.status_code in (400, 401) and "access_token" not in response.json()
    with pytest.raises(ValidationError, match="code d'autorisation"):
        forged.full_clean()


def test_inactive_accounts_tokens_are_refused(mobile_flow, world):
    """Suspending the account makes its access and refresh tokens useless at once."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    directory_services.person_set_state(person=world.pupil, state=Person.State.SUSPENDED)
    mobile_flow.http.logout()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}
    assert mobile_flow.http.get("/api/v1/me/", **bearer).status_code == 401
    assert mobile_flow.http.get("/o/userinfo/", secure=True, **bearer).status_code == 401
    refresh = mobile_flow.http.post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": mobile_flow.app.client_id,
        },
        secure=True,
    )
    assert refresh.status_code == 400 and "access_token" not in refresh.json()


def test_an_id_token_is_not_an_api_key(mobile_flow):
    """The ID token, though signed by Ostal, does not authenticate API calls."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    mobile_flow.http.logout()
    response = mobile_flow.http.get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['id_token']}"
    )
    assert response.status_code == 401


def test_access_token_in_the_query_string_is_refused(mobile_flow):
    """Access tokens travel in the Authorization header only (RFC 9700 §4.3.2)."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    response = mobile_flow.http.get(
        f"/o/userinfo/?access_token={tokens['access_token']}", secure=True
    )
    assert response.status_code in (400, 401)


def test_introspection_answers_only_about_the_callers_own_tokens(partner_flow, mobile_flow, client):
    """A partner introspects its own tokens; another app's token reads as inactive."""
    own = partner_flow.token(partner_flow.code_from(partner_flow.approve())).json()
    other = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    basic = _basic(partner_flow.app.client_id, PARTNER_SECRET)
    mine = client.post(
        "/o/introspect/", {"token": own["access_token"]}, secure=True, HTTP_AUTHORIZATION=basic
    ).json()
    assert mine["active"] is True and mine["client_id"] == partner_flow.app.client_id
    theirs = client.post(
        "/o/introspect/", {"token": other["access_token"]}, secure=True, HTTP_AUTHORIZATION=basic
    ).json()
    assert theirs == {"active": False}
    anonymous = client.post("/o/introspect/", {"token": own["access_token"]}, secure=True)
    assert anonymous.status_code == 401


def test_revocation_kills_the_access_token(mobile_flow):
    """A revoked access token no longer opens userinfo."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    response = mobile_flow.http.post(
        "/o/revoke_token/",
        {"token": tokens["access_token"], "client_id": mobile_flow.app.client_id},
        secure=True,
    )
    assert response.status_code == 200
    userinfo = mobile_flow.http.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", secure=True
    )
    assert userinfo.status_code == 401


def test_a_session_owing_a_second_factor_gets_no_code(mobile_flow, monkeypatch):
    """While the session still owes its second factor, /o/authorize/ sends it there."""
    monkeypatch.setattr("ostal.oidc.views.pending_step_url", lambda request: "/comptes/mfa/")
    response = mobile_flow.consent_page()
    assert response.status_code == 302 and response["Location"].startswith("/comptes/mfa/?next=")
    posted = mobile_flow.http.post("/o/authorize/", {"allow": "on"}, secure=True)
    assert posted.status_code == 302 and posted["Location"] == "/comptes/mfa/"
    assert _no_code_issued()
