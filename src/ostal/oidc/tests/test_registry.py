"""The client registry pages: region admins and the operator register, list and disable
applications and rotate secrets (shown once, stored hashed); everyone else gets 404. Bad
input gets a French message and writes nothing."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.hashers import check_password

from ostal.core.models import SecurityEvent
from ostal.directory import services as directory_services
from ostal.directory.models import Person, Profile
from ostal.oidc.models import Client
from ostal.territory.models import Authority

PERSONAS = [
    "anonymous",
    "pupil",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "admin",
    "other_admin",
    "agent",
    "region_admin",
    "operator",
]
MANAGERS = {"region_admin", "operator"}


@pytest.fixture
def people(world):
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    region_admin = Person.objects.create_user(
        "admin.region", "x", last_name="Région", profile=Profile.AUTHORITY_STAFF
    )
    directory_services.authority_role_grant(person=region_admin, authority=region, is_admin=True)
    operator = Person.objects.create_user(
        "exploitant", "x", last_name="Exploitant", profile=Profile.GUEST, is_staff=True
    )
    for person in (region_admin, operator):
        Person.objects.filter(pk=person.pk).update(state=Person.State.ACTIVE)
    extra = {"region_admin": region_admin, "operator": operator}

    def get(name: str) -> Person | None:
        return extra[name] if name in extra else world.persona(name)

    return get


@pytest.fixture
def registered(db) -> Client:
    return Client.objects.create(
        name="Partenaire",
        kind=Client.Kind.SERVER,
        client_type=Client.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://partenaire.example/cb",
        client_secret="ancien-secret",
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_registry_pages_matrix(login, people, registered, persona):
    """Only region admins and the operator see the registry; for the others it does not exist."""
    http = login(people(persona))
    pages = ["/o/applications/", "/o/applications/nouvelle/", f"/o/applications/{registered.pk}/"]
    for url in pages:
        response = http.get(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif persona in MANAGERS:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
    for url in (
        f"/o/applications/{registered.pk}/secret/",
        f"/o/applications/{registered.pk}/desactiver/",
    ):
        response = http.post(url)
        if persona in MANAGERS:
            assert response.status_code in (200, 302)
        else:
            assert response.status_code in (302, 404)
    registered.refresh_from_db()
    assert registered.is_active is (persona not in MANAGERS)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SERVICE_CHANGED).exists() is (
        persona in MANAGERS
    )


def test_region_admin_registers_a_partner_and_sees_its_secret_once(login, people):
    """A confidential app's secret is shown once, stored hashed, and the event logged."""
    admin = people("region_admin")
    response = login(admin).post(
        "/o/applications/nouvelle/",
        {
            "name": "Vie scolaire",
            "kind": "server",
            "redirect_uris": "https://vs.example/oidc/cb\nhttps://vs.example/oidc/cb2",
            "scopes": ["openid", "profile", "ostal"],
            "first_party": "on",  # not the region admin's call: ignored
        },
    )
    assert response.status_code == 200
    client = Client.objects.get(name="Vie scolaire")
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    assert client.client_secret != secret and check_password(secret, client.client_secret)
    assert client.client_type == Client.CLIENT_CONFIDENTIAL
    assert client.authorization_grant_type == Client.GRANT_AUTHORIZATION_CODE
    assert client.redirect_uri_list() == [
        "https://vs.example/oidc/cb",
        "https://vs.example/oidc/cb2",
    ]
    assert client.scope_list == ["openid", "profile", "ostal"]
    assert client.first_party is False and client.created_by == admin
    assert client.algorithm == Client.RS256_ALGORITHM
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SERVICE_CHANGED)
    assert event.actor == admin and event.data["action"] == "created"
    assert secret not in str(event.data)
    detail = login(admin).get(f"/o/applications/{client.pk}/").content.decode()
    assert secret not in detail


def test_operator_registers_the_first_party_mobile_app(login, people):
    """The operator registers a public mobile app with a private scheme, marked first-party."""
    response = login(people("operator")).post(
        "/o/applications/nouvelle/",
        {
            "name": "Ostal mobile",
            "kind": "mobile",
            "redirect_uris": "fr.ostal.app:/callback http://127.0.0.1/callback",
            "scopes": ["openid", "profile", "api"],
            "first_party": "on",
        },
    )
    client = Client.objects.get(name="Ostal mobile")
    assert response.status_code == 302 and response["Location"] == f"/o/applications/{client.pk}/"
    assert client.client_type == Client.CLIENT_PUBLIC and client.client_secret == ""
    assert client.first_party is True
    assert client.get_allowed_schemes() == ["https", "http", "fr.ostal.app"]


@pytest.mark.parametrize(
    ("kind", "uris", "message"),
    [
        ("server", "http://vs.example/cb", "n'accepte que des adresses https"),
        ("server", "fr.ostal.app:/callback", "n'accepte que des adresses https"),
        ("mobile", "http://vs.example/cb", "adresse de bouclage"),
        ("mobile", "http://localhost/cb", "adresse de bouclage"),
        ("mobile", "myapp:/callback", "schéma non accepté"),
        ("mobile", "javascript:/alert(1)", "schéma non accepté"),
        ("server", "https://*.example/cb", "jokers"),
        ("server", "https://vs.example/cb#x", "fragment"),
        ("server", "   ", "Ce champ est obligatoire"),
    ],
)
def test_bad_redirect_uris_are_refused_in_french(login, people, kind, uris, message):
    """A redirect URI outside the rules is refused with a French message; nothing is saved."""
    response = login(people("region_admin")).post(
        "/o/applications/nouvelle/",
        {"name": "App", "kind": kind, "redirect_uris": uris, "scopes": ["openid"]},
    )
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert message in body and 'role="alert"' in body
    assert not Client.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SERVICE_CHANGED).exists()


def test_openid_scope_is_required(login, people):
    """An application without the openid scope is refused."""
    response = login(people("operator")).post(
        "/o/applications/nouvelle/",
        {
            "name": "App",
            "kind": "server",
            "redirect_uris": "https://a.example/cb",
            "scopes": ["profile"],
        },
    )
    assert "La portée openid est obligatoire" in response.content.decode()
    assert not Client.objects.exists()


def test_the_form_offers_no_other_grant_type(login, people):
    """The registry form has no way to ask for implicit, password or client credentials."""
    response = login(people("operator")).post(
        "/o/applications/nouvelle/",
        {
            "name": "App",
            "kind": "server",
            "redirect_uris": "https://a.example/cb",
            "scopes": ["openid"],
            "authorization_grant_type": "password",
            "client_type": "public",
        },
    )
    client = Client.objects.get()
    assert response.status_code == 200
    assert client.authorization_grant_type == Client.GRANT_AUTHORIZATION_CODE
    assert client.client_type == Client.CLIENT_CONFIDENTIAL


def test_rotating_the_secret_retires_the_old_one(login, people, registered):
    """A new secret works and the old one stops at once."""
    response = login(people("operator")).post(f"/o/applications/{registered.pk}/secret/")
    secret = response.context["secret"]
    registered.refresh_from_db()
    assert check_password(secret, registered.client_secret)
    assert not check_password("ancien-secret", registered.client_secret)
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.SERVICE_CHANGED).data["action"] == (
        "secret_rotated"
    )


def test_list_shows_every_application(login, people, registered, django_assert_max_num_queries):
    """The list shows each application, its type and state, in a bounded number of queries."""
    Client.objects.create(
        name="Mobile",
        kind=Client.Kind.MOBILE,
        client_type=Client.CLIENT_PUBLIC,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris="fr.ostal.app:/cb",
        is_active=False,
    )
    http = login(people("operator"))
    with django_assert_max_num_queries(12):
        body = http.get("/o/applications/").content.decode()
    assert "Partenaire" in body and "Mobile" in body and "désactivée" in body
