"""A complete authorization-code + PKCE S256 flow, driven by oauthlib's client: consent,
code, token, an ID token verified against the JWKS, userinfo with the directory's claims,
and the API reached with the access token."""

from __future__ import annotations

import json
import time
from datetime import date
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone
from jwcrypto import jwk, jwt

from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.directory.identity import person_attributes, person_identifier
from ostal.oidc.tests.conftest import ISSUER, MOBILE_REDIRECT, Flow


def _verified_id_token(http, id_token: str, *, audience: str, nonce: str) -> dict:
    keys = jwk.JWKSet.from_json(http.get("/o/.well-known/jwks.json", secure=True).content)
    token = jwt.JWT(
        jwt=id_token,
        key=keys,
        check_claims={"iss": ISSUER, "aud": audience, "nonce": nonce, "exp": None},
    )
    return json.loads(token.claims)


def test_mobile_app_completes_the_pkce_flow_and_reaches_the_api(mobile_flow, world):
    """Consent → code → token → signed ID token → userinfo → /api/v1/me/, for the mobile app."""
    flow = mobile_flow
    page = flow.consent_page()
    assert page.status_code == 200
    assert "Autoriser « Ostal mobile »" in page.content.decode()
    response = flow.approve()
    assert response["Location"].startswith("fr.ostal.app:/callback?")
    assert f"iss={ISSUER.replace(':', '%3A').replace('/', '%2F')}" in response["Location"]
    code = flow.code_from(response)

    token_response = flow.token(code)
    assert token_response.status_code == 200, token_response.content
    tokens = flow.oauth.parse_request_body_response(token_response.content.decode())
    assert tokens["token_type"] == "Bearer" and tokens["refresh_token"]

    claims = _verified_id_token(
        flow.http, tokens["id_token"], audience=flow.app.client_id, nonce=flow.nonce
    )
    assert claims["sub"] == person_identifier(world.pupil)
    assert claims["exp"] > time.time()

    userinfo = flow.http.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", secure=True
    ).json()
    attributes = person_attributes(world.pupil)
    assert userinfo["sub"] == attributes["ENTPersonIdentifiant"][0]
    assert userinfo["family_name"] == "Durand" == attributes["ENTPersonNom"][0]
    assert userinfo["given_name"] == "Alice"
    assert userinfo["name"] == attributes["ENTPersonNomAffichage"][0]
    assert userinfo["preferred_username"] == "eleve"
    assert userinfo["ENTPersonProfils"] == attributes["ENTPersonProfils"]
    assert userinfo["ENTStructureUAI"] == ["0341111A"]
    assert userinfo["ENTEleveClasses"] == ["0341111A$4B"] == attributes["ENTEleveClasses"]
    assert "email" not in userinfo and "ENTEleveINE" not in userinfo
    # The ID token states the same facts as userinfo.
    assert {k: v for k, v in claims.items() if k in userinfo} == {
        k: v for k, v in userinfo.items() if k in claims
    }

    flow.http.logout()
    me = flow.http.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert me.status_code == 200 and me.json()["username"] == "eleve"

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_ISSUED)
    assert event.subject == world.pupil
    assert event.data["client_id"] == flow.app.client_id
    assert event.data["scopes"] == sorted(flow.scope.split())
    assert event.data["consent"] == "explicit"
    assert tokens["access_token"] not in json.dumps(event.data) and code not in json.dumps(
        event.data
    )


def test_partner_completes_the_flow_with_its_secret(partner_flow, world):
    """A confidential partner authenticates with its secret; its claims follow its scopes."""
    flow = partner_flow
    world.teacher.email = "franck.garcia@example.org"
    world.teacher.birth_date = date(1980, 5, 17)
    world.teacher.email_confirmed_at = timezone.now()
    world.teacher.save()
    code = flow.code_from(flow.approve())
    response = flow.token(code)
    assert response.status_code == 200, response.content
    tokens = response.json()
    claims = _verified_id_token(
        flow.http, tokens["id_token"], audience=flow.app.client_id, nonce=flow.nonce
    )
    assert claims["email"] == "franck.garcia@example.org" and claims["email_verified"] is True
    assert claims["birthdate"] == "1980-05-17"
    assert claims["ENTAuxEnsClasses"] == ["0341111A$4B"]
    # No ``api`` scope for this partner: its token does not open the API.
    flow.http.logout()
    me = flow.http.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert me.status_code == 401


def test_unconfirmed_email_is_not_released(partner_flow, world):
    """An e-mail address the person never confirmed is neither in userinfo nor verified."""
    flow = partner_flow
    world.teacher.email = "pas.confirme@example.org"
    world.teacher.save()
    tokens = flow.token(flow.code_from(flow.approve())).json()
    userinfo = flow.http.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", secure=True
    ).json()
    assert "email" not in userinfo and "email_verified" not in userinfo


def test_claims_follow_the_granted_scopes(mobile_flow, world):
    """With ``openid`` only, userinfo says who, nothing more."""
    mobile_flow.scope = "openid"
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    userinfo = mobile_flow.http.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", secure=True
    ).json()
    assert userinfo == {"sub": person_identifier(world.pupil)}


def test_refresh_token_gives_a_new_access_token(mobile_flow):
    """The refresh grant works (and is the only other grant)."""
    tokens = mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).json()
    response = mobile_flow.http.post(
        "/o/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": mobile_flow.app.client_id,
        },
        secure=True,
    )
    assert response.status_code == 200, response.content
    assert response.json()["access_token"] != tokens["access_token"]


def test_first_party_app_skips_the_consent_page(mobile_flow, mobile_app):
    """An application marked first-party gets its code without a consent page."""
    mobile_app.skip_authorization = True
    mobile_app.save()
    response = mobile_flow.consent_page()
    code = mobile_flow.code_from(response)
    assert mobile_flow.token(code).status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TOKEN_ISSUED)
    assert event.data["consent"] == "first_party"


def test_an_earlier_consent_can_be_remembered(mobile_flow):
    """With ``approval_prompt=auto`` and a live token for the same scopes, no page again."""
    assert mobile_flow.token(mobile_flow.code_from(mobile_flow.approve())).status_code == 200
    response = mobile_flow.consent_page(approval_prompt="auto")
    assert mobile_flow.code_from(response)
    consents = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_ISSUED).order_by("pk")
    assert [e.data["consent"] for e in consents] == ["explicit", "remembered"]


def test_refusing_consent_returns_access_denied_and_no_code(mobile_flow):
    """« Refuser » sends the app back with ``access_denied``, no code, no event."""
    response = mobile_flow.approve(allow=False)
    assert response.status_code == 302
    assert "error=access_denied" in response["Location"] and "code=" not in response["Location"]
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TOKEN_ISSUED).exists()


def test_anonymous_authorize_goes_to_login_and_comes_back(client, mobile_app, world):
    """An anonymous visitor is sent to the login page with a local ``next``, then back."""
    flow = Flow(http=client, app=mobile_app, redirect_uri=MOBILE_REDIRECT)
    path = flow.authorize_path()
    response = client.get(path, secure=True)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/comptes/connexion/?next=")
    next_url = parse_qs(urlsplit(location).query)["next"][0]
    assert next_url == path
    login = client.post(location, {"username": "eleve", "password": PASSWORD}, secure=True)
    assert login.status_code == 302 and login["Location"] == path


def test_consent_page_lets_its_form_lead_back_to_the_client(mobile_flow, partner_flow):
    """The consent page's CSP form-action admits the registered redirect target only."""
    mobile_csp = mobile_flow.consent_page()["Content-Security-Policy"]
    assert "form-action 'self' fr.ostal.app:" in mobile_csp
    partner_csp = partner_flow.consent_page()["Content-Security-Policy"]
    assert "form-action 'self' https://partenaire.example" in partner_csp
    other = partner_flow.http.get("/o/applications/")["Content-Security-Policy"]
    assert "partenaire" not in other


def test_discovery_and_jwks_describe_the_provider(client, db):
    """Discovery advertises code + S256 only and points at the JWKS, which holds the key."""
    data = client.get("/o/.well-known/openid-configuration", secure=True).json()
    assert data["issuer"] == ISSUER
    assert data["response_types_supported"] == ["code"]
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert data["userinfo_endpoint"] == f"{ISSUER}/userinfo/"
    assert data["authorization_endpoint"] == f"{ISSUER}/authorize/"
    assert {"openid", "profile", "email", "ostal", "api"} <= set(data["scopes_supported"])
    assert {"sub", "birthdate", "ENTPersonProfils"} <= set(data["claims_supported"])
    keys = client.get(data["jwks_uri"].replace("https://testserver", ""), secure=True).json()
    assert keys["keys"][0]["kty"] == "RSA" and keys["keys"][0]["alg"] == "RS256"
    assert "d" not in keys["keys"][0]  # the public half only
    metadata = client.get("/o/.well-known/oauth-authorization-server", secure=True).json()
    assert set(metadata["grant_types_supported"]) == {"authorization_code", "refresh_token"}
