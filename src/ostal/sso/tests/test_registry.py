"""The service registry: who manages what (matrix over the personas), pattern validation,
and the CAS rows kept in step with each entry."""

from __future__ import annotations

from typing import Any

import pytest
from cas_server.models import ServicePattern
from django.core.exceptions import ValidationError

from ostal.core.models import SecurityEvent
from ostal.directory import services as directory_services
from ostal.sso.models import ConnectedService
from ostal.sso.patterns import pattern_errors
from ostal.sso.services import connected_service_update
from ostal.sso.tests.conftest import register
from ostal.territory.models import Authority

pytestmark = pytest.mark.django_db

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
]


@pytest.fixture
def registry(world: Any) -> dict[str, ConnectedService]:
    return {
        "region": register(r"^https://region\.exemple\.fr/.*$", name="Régional"),
        "college": register(
            r"^https://college\.exemple\.fr/.*$",
            name="Du collège",
            scope=ConnectedService.Scope.SCHOOL,
            school=world.college,
        ),
        "lycee": register(
            r"^https://lycee\.exemple\.fr/.*$",
            name="Du lycée",
            scope=ConnectedService.Scope.SCHOOL,
            school=world.lycee,
        ),
    }


# Which services each persona sees on the list (None = 404).
VISIBLE = {
    "anonymous": None,
    "pupil": None,
    "parent": None,
    "other_parent": None,
    "teacher": None,
    "other_teacher": None,
    "admin": {"Du collège"},
    "other_admin": {"Du lycée"},
    "agent": None,  # a collectivité agent without the admin flag
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_matrix(client: Any, login: Any, world: Any, registry: Any, persona: str) -> None:
    """School admins see their school's services; others without a role get 404."""
    login(world.persona(persona))
    response = client.get("/cas/services/")
    expected = VISIBLE[persona]
    if persona == "anonymous":
        assert response.status_code == 302
        return
    if expected is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    names = {s.name for s in response.context["services"]}
    assert names == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_matrix(client: Any, login: Any, world: Any, registry: Any, persona: str) -> None:
    """Only the managers of a school's service may edit or disable it."""
    service = registry["college"]
    login(world.persona(persona))
    allowed = persona == "admin"
    edit = client.get(f"/cas/services/{service.pk}/")
    disable = client.post(f"/cas/services/{service.pk}/desactiver/")
    service.refresh_from_db()
    if persona == "anonymous":
        assert edit.status_code == 302 and service.enabled
    elif allowed:
        assert edit.status_code == 200 and disable.status_code == 302
        assert not service.enabled and service.service_pattern is None
    else:
        assert edit.status_code == 404 and disable.status_code == 404 and service.enabled


def test_region_admin_and_operator_manage_everything(
    client: Any, login: Any, world: Any, registry: Any
) -> None:
    """A region admin and the operator see every service, region-wide ones included."""
    region = Authority.objects.filter(kind=Authority.Kind.REGION).first()
    assert region is not None
    directory_services.authority_role_grant(person=world.agent, authority=region, is_admin=True)
    login(world.agent)
    assert {s.name for s in client.get("/cas/services/").context["services"]} == {
        "Régional",
        "Du collège",
        "Du lycée",
    }
    world.teacher.is_staff = True
    world.teacher.save()
    login(world.teacher)
    assert client.get(f"/cas/services/{registry['region'].pk}/").status_code == 200


def test_collectivite_admin_manages_its_schools(
    client: Any, login: Any, world: Any, registry: Any
) -> None:
    """A collectivité admin manages the services of its schools, not the others."""
    directory_services.authority_role_grant(
        person=world.agent, authority=world.college.responsible_authority, is_admin=True
    )
    login(world.agent)
    assert {s.name for s in client.get("/cas/services/").context["services"]} == {"Du collège"}
    assert client.get(f"/cas/services/{registry['lycee'].pk}/").status_code == 404


def test_school_admin_creates_a_service_for_their_school(
    client: Any, login: Any, world: Any
) -> None:
    """The collège's admin registers a service for the collège; the CAS rows follow."""
    login(world.admin)
    response = client.post(
        "/cas/services/nouveau/",
        {
            "name": "Pronote",
            "url_pattern": r"^https://0341111a\.index-education\.net/pronote/.*$",
            "scope": "school",
            "school": world.college.pk,
            "released_attributes": ["ENTPersonJointure", "nom"],
            "single_logout": "on",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    service = ConnectedService.objects.get(name="Pronote")
    pattern = service.service_pattern
    assert pattern is not None and pattern.single_log_out and not pattern.proxy
    assert sorted(pattern.attributs.values_list("name", flat=True)) == ["ENTPersonJointure", "nom"]
    assert list(pattern.filters.values_list("attribut", "pattern")) == [
        ("ostalScope", r"^uai:0341111A$")
    ]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SERVICE_CHANGED)
    assert event.actor == world.admin and event.data["action"] == "created"


def test_school_admin_cannot_create_for_other_school_or_region(
    client: Any, login: Any, world: Any
) -> None:
    """The collège's admin cannot open a service region-wide or to the lycée."""
    login(world.admin)
    for data in (
        {"scope": "region"},
        {"scope": "school", "school": world.lycee.pk},
        {"scope": "authority", "authority": world.college.responsible_authority.pk},
    ):
        response = client.post(
            "/cas/services/nouveau/",
            {"name": "X", "url_pattern": r"^https://x\.exemple\.fr/.*$", "enabled": "on", **data},
        )
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert not ConnectedService.objects.exists() and not ServicePattern.objects.exists()


def test_bad_pattern_is_explained_and_nothing_written(client: Any, login: Any, world: Any) -> None:
    """A catch-all pattern gets a French message and writes nothing."""
    login(world.admin)
    response = client.post(
        "/cas/services/nouveau/",
        {
            "name": "X",
            "url_pattern": r"^https://.*$",
            "scope": "school",
            "school": world.college.pk,
        },
    )
    assert response.status_code == 200
    assert "nom du serveur écrit en toutes lettres" in response.content.decode()
    assert not ConnectedService.objects.exists() and not ServicePattern.objects.exists()


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"^https://(.*$", "ne se compile pas"),
        (r"https://a\.fr/.*$", "ancrée"),
        (r"^https://a\.fr/.*", "ancrée"),
        (r"^https://.*$", "toutes lettres"),
        (r"^https://a.fr/.*$", "toutes lettres"),
        (r"^https://a\.fr.*$", "toutes lettres"),
        (r"^https://a\.fr/|.*$", "d'autres serveurs"),
        (r"^https://[a-z]+\.fr/.*$", "toutes lettres"),
        (r"^http://a\.fr/.*$", "https://"),
        ("", "Indiquez"),
    ],
)
def test_pattern_validation(pattern: str, message: str) -> None:
    """Patterns must compile, be anchored, name their https host literally, no catch-all."""
    errors = pattern_errors(pattern)
    assert errors and message in errors[0]


@pytest.mark.parametrize(
    "pattern",
    [
        r"^https://a\.fr/.*$",
        r"^https://pronote\.exemple\.fr(/.*)?$",
        r"^https://ent\.exemple\.fr:8443/cas/retour$",
        r"^http://localhost:8000/.*$",
    ],
)
def test_good_patterns(pattern: str) -> None:
    """Ordinary anchored https patterns (and localhost in embedded mode) pass."""
    assert pattern_errors(pattern) == []


def test_http_localhost_refused_in_production(settings: Any) -> None:
    """Outside embedded mode, even localhost must be https."""
    settings.PRODUCTION = True
    assert pattern_errors(r"^http://localhost:8000/.*$")


def test_update_keeps_cas_rows_in_step(world: Any, registry: Any) -> None:
    """Changing attributes, flags and pattern rewrites the CAS rows; unknown names refused."""
    service = registry["region"]
    connected_service_update(
        service=service,
        actor=None,
        released_attributes=["prenom", "nom"],
        accepts_proxy_tickets=True,
        url_pattern=r"^https://region2\.exemple\.fr/.*$",
    )
    pattern = ServicePattern.objects.get(pk=service.service_pattern_id)
    assert pattern.pattern == r"^https://region2\.exemple\.fr/.*$" and pattern.proxy
    assert sorted(pattern.attributs.values_list("name", flat=True)) == ["nom", "prenom"]
    with pytest.raises(ValidationError):
        connected_service_update(service=service, actor=None, released_attributes=["ostalScope"])
    assert sorted(pattern.attributs.values_list("name", flat=True)) == ["nom", "prenom"]
    connected_service_update(service=service, actor=None, enabled=False)
    assert not ServicePattern.objects.filter(pk=pattern.pk).exists()
    connected_service_update(service=service, actor=None, enabled=True)
    service.refresh_from_db()
    assert service.service_pattern is not None
