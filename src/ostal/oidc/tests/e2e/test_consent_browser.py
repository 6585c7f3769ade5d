"""A pupil signs in to a partner application through Ostal in a real browser: login,
the French consent page (no serious accessibility violation), then back to the partner
with a code; the registry pages pass axe too."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from oauthlib.oauth2 import WebApplicationClient
from playwright.sync_api import Page, Route, expect

from ostal.conftest import PASSWORD
from ostal.directory.models import Person
from ostal.oidc.models import Client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CALLBACK = "https://partenaire.example/oidc/retour"


def _login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_pupil_consents_and_the_partner_gets_a_code(page: Page, live_server, world, axe_check):
    """Login → « Autoriser « Vie scolaire » ? » (axe-clean) → Autoriser → partner callback."""
    app = Client.objects.create(
        name="Vie scolaire",
        kind=Client.Kind.SERVER,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris=CALLBACK,
        scopes="openid profile ostal",
        algorithm=Client.RS256_ALGORITHM,
    )
    oauth = WebApplicationClient(app.client_id)
    verifier = oauth.create_code_verifier(64)
    uri = oauth.prepare_request_uri(
        "https://placeholder/o/authorize/",
        redirect_uri=CALLBACK,
        scope=["openid", "profile", "ostal"],
        state="etat-123",
        code_challenge=oauth.create_code_challenge(verifier, "S256"),
        code_challenge_method="S256",
    )
    authorize = f"{live_server.url}/o/authorize/?{urlsplit(uri).query}"
    landed: list[str] = []

    def partner(route: Route) -> None:
        landed.append(route.request.url)
        route.fulfill(status=200, body="partenaire", content_type="text/plain")

    page.route("https://partenaire.example/**", partner)
    _login(page, live_server, "eleve")
    page.goto(authorize)
    expect(page.get_by_role("heading", name="Autoriser « Vie scolaire » ?")).to_be_visible()
    expect(
        page.get_by_text("Connaître votre profil, vos établissements et vos classes")
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Autoriser").click()
    page.wait_for_url("https://partenaire.example/**")
    query = parse_qs(urlsplit(landed[0]).query)
    assert query["state"] == ["etat-123"] and query["code"][0]


def test_bad_request_page_and_registry_pass_axe(page: Page, live_server, world, axe_check):
    """The error page of a bad request, and the registry pages, have no serious violation."""
    Person.objects.filter(pk=world.admin.pk).update(is_staff=True)
    _login(page, live_server, "admin")
    page.goto(f"{live_server.url}/o/authorize/?response_type=code&client_id=inconnu")
    expect(page.get_by_role("heading", name="Connexion impossible")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/o/applications/nouvelle/")
    page.get_by_label("Nom de l'application").fill("Partenaire")
    page.get_by_label("Application serveur (client confidentiel)").check()
    page.get_by_label("Adresses de retour (une par ligne)").fill("http://pas-https.example/cb")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    page.get_by_label("Adresses de retour (une par ligne)").fill(CALLBACK)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Copiez ce secret maintenant")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="J'ai copié le secret").click()
    expect(page.get_by_role("heading", name="Partenaire")).to_be_visible()
    axe_check(page)
    page.goto(f"{live_server.url}/o/applications/")
    axe_check(page)
