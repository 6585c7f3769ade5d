"""Ticket validation as the CAS specification says: reused, expired, forged or foreign
tickets are refused with the right code; only the chosen attributes are released."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.utils import timezone

from ostal.core.models import SecurityEvent
from ostal.sso.tests.conftest import OTHER_SERVICE, SERVICE

pytestmark = pytest.mark.django_db


def issue(client: Any, service: str = SERVICE) -> str:
    response = client.get("/cas/login?" + urlencode({"service": service}))
    assert response.status_code == 302, response.content[:300]
    return parse_qs(urlsplit(response["Location"]).query)["ticket"][0]


@pytest.fixture
def signed_in(client: Any, login: Any, people: Any, services: Any) -> Any:
    login(people.pupil)
    return client


def validate(
    client: Any, ticket: str, service: str = SERVICE, path: str = "p3/serviceValidate"
) -> bytes:
    response = client.get(f"/cas/{path}", {"service": service, "ticket": ticket})
    assert response.status_code == 200
    return bytes(response.content)


def test_valid_ticket_releases_the_chosen_attributes(signed_in: Any) -> None:
    """A fresh ticket validates once, with the SDET attributes chosen for the service."""
    content = validate(signed_in, issue(signed_in)).decode()
    assert "<cas:user>eleve</cas:user>" in content
    for expected in (
        "<cas:ENTPersonJointure>AAF-ELV-1</cas:ENTPersonJointure>",
        "<cas:ENTPersonProfils>National_ELV</cas:ENTPersonProfils>",
        "<cas:ENTPersonStructRattach>0341111A</cas:ENTPersonStructRattach>",
        "<cas:ENTEleveClasses>0341111A$4B</cas:ENTEleveClasses>",
        "<cas:nom>Durand</cas:nom>",
        "<cas:prenom>Alice</cas:prenom>",
        "<cas:dateNaissance>04/03/2012</cas:dateNaissance>",
        "<cas:codePostal>34000</cas:codePostal>",
        "<cas:categories>Eleve</cas:categories>",
    ):
        assert expected in content
    assert "ostalScope" not in content and "ENTPersonMail" not in content


def test_only_chosen_attributes_are_released(signed_in: Any) -> None:
    """The second service chose only ``nom``: it gets nothing else."""
    content = validate(signed_in, issue(signed_in, OTHER_SERVICE), OTHER_SERVICE).decode()
    assert "<cas:nom>Durand</cas:nom>" in content
    for absent in ("ENTPersonJointure", "prenom", "dateNaissance", "ENTEleveClasses", "ostalScope"):
        assert absent not in content


def test_reused_ticket_is_invalid(signed_in: Any) -> None:
    """A ticket validates once; the second attempt is INVALID_TICKET (and logged)."""
    ticket = issue(signed_in)
    assert b"authenticationSuccess" in validate(signed_in, ticket)
    assert b'code="INVALID_TICKET"' in validate(signed_in, ticket)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TICKET_REFUSED)
    assert event.data["code"] == "INVALID_TICKET" and event.data["ticket_prefix"] == ticket[:10]
    assert ticket not in str(event.data)


def test_ticket_of_another_service_is_invalid_service(signed_in: Any) -> None:
    """A ticket issued for service A presented by service B: INVALID_SERVICE, and it is spent."""
    ticket = issue(signed_in)
    assert b'code="INVALID_SERVICE"' in validate(signed_in, ticket, OTHER_SERVICE)
    assert b'code="INVALID_TICKET"' in validate(signed_in, ticket)


@pytest.mark.parametrize("forged", ["ST-forged0000000000", "PGT-abc", "nimportequoi", "ST-"])
def test_forged_ticket_is_invalid(signed_in: Any, forged: str) -> None:
    """An unknown or malformed ticket: INVALID_TICKET."""
    assert b'code="INVALID_TICKET"' in validate(signed_in, forged)


def test_expired_ticket_is_invalid(signed_in: Any) -> None:
    """A ticket presented after its 60 s validity: INVALID_TICKET."""
    ticket = issue(signed_in)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert b'code="INVALID_TICKET"' in validate(signed_in, ticket)


@pytest.mark.parametrize(
    "params", [{}, {"service": SERVICE}, {"ticket": "ST-x"}, {"service": "", "ticket": ""}]
)
def test_missing_parameters_are_invalid_request(signed_in: Any, params: dict[str, str]) -> None:
    """Validation without service or ticket: INVALID_REQUEST."""
    response = signed_in.get("/cas/serviceValidate", params)
    assert b'code="INVALID_REQUEST"' in response.content


def test_cas1_validate(signed_in: Any) -> None:
    """CAS 1 ``/validate``: yes + user once, then no."""
    ticket = issue(signed_in)
    assert validate(signed_in, ticket, path="validate") == b"yes\neleve\n"
    assert validate(signed_in, ticket, path="validate") == b"no\n\n"


def test_cas2_service_validate(signed_in: Any) -> None:
    """CAS 2 ``/serviceValidate`` works too, with attributes."""
    content = validate(signed_in, issue(signed_in), path="serviceValidate")
    assert b"<cas:user>eleve</cas:user>" in content and b"ENTPersonJointure" in content


def test_saml_validate_bad_body_is_a_saml_error(signed_in: Any) -> None:
    """SAML 1.1 validation with a body that is not XML: a SAML error, not a crash."""
    response = signed_in.post(
        "/cas/samlValidate?TARGET=" + SERVICE, data=b"pas du xml", content_type="text/xml"
    )
    assert response.status_code == 200 and b"VersionMismatch" in response.content


def test_service_ticket_refused_on_proxy_validate_for_proxy_ticket_only(signed_in: Any) -> None:
    """``proxyValidate`` accepts service tickets too (CAS 2), ``serviceValidate`` no proxy
    tickets: a PT presented to serviceValidate is INVALID_TICKET."""
    assert b"authenticationSuccess" in validate(signed_in, issue(signed_in), path="proxyValidate")
    assert b'code="INVALID_TICKET"' in validate(signed_in, "PT-123", path="serviceValidate")
