"""The /cas/login bridge: Ostal's login authenticates, only registered services get tickets,
nothing is ever redirected to an unknown address."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cas_server.models import ServiceTicket
from cas_server.models import User as CasUser

from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.directory.models import Person
from ostal.sso.models import ConnectedService
from ostal.sso.tests.conftest import SERVICE, register

pytestmark = pytest.mark.django_db


def login_url(service: str = SERVICE, **extra: str) -> str:
    return "/cas/login?" + urlencode({"service": service, **extra})


def ticket_of(response: Any) -> str:
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(SERVICE)
    return parse_qs(urlsplit(location).query)["ticket"][0]


def test_anonymous_is_sent_to_ostal_login_with_next(client: Any, services: Any) -> None:
    """An anonymous browser goes to Ostal's login, which returns to /cas/login afterwards."""
    response = client.get(login_url())
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/comptes/connexion/"
    assert parse_qs(location.query)["next"] == [login_url()]
    assert not ServiceTicket.objects.exists()


def test_login_then_ticket_through_ostal_login(client: Any, people: Any, services: Any) -> None:
    """Posting credentials to Ostal's login comes back to /cas/login, which issues a ticket."""
    response = client.post(
        "/comptes/connexion/?" + urlencode({"next": login_url()}),
        {"username": "eleve", "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == login_url()
    ticket = ticket_of(client.get(response["Location"]))
    stored = ServiceTicket.objects.get(value=ticket)
    assert stored.user.username == "eleve" and stored.service == SERVICE
    assert client.session["authenticated"] is True and client.session["username"] == "eleve"
    assert CasUser.objects.filter(username="eleve", session_key=client.session.session_key).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TICKET_ISSUED)
    assert event.data["service"] == SERVICE
    assert event.data["ticket_prefix"] == ticket[:10] and ticket not in str(event.data)


def test_unregistered_service_gets_no_ticket_and_no_redirect(
    client: Any, login: Any, people: Any, services: Any
) -> None:
    """A service absent from the registry: a French 403 page, no redirect, no ticket."""
    login(people.pupil)
    for service in (
        "https://attaquant.invalid/",
        "https://vie-scolaire.exemple.fr.attaquant.invalid/",
        "http://vie-scolaire.exemple.fr/cas/retour",
        "//attaquant.invalid/",
    ):
        response = client.get(login_url(service))
        assert response.status_code == 403
        assert "Location" not in response
        assert (
            "pas connu de l" in response.content.decode()
            and 'role="alert"' in response.content.decode()
        )
    assert not ServiceTicket.objects.exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TICKET_REFUSED).count() == 4


def test_anonymous_unregistered_service_is_refused_before_login(client: Any, services: Any) -> None:
    """Even anonymous, an unknown service is refused before any redirect to the login."""
    response = client.get(login_url("https://attaquant.invalid/"))
    assert response.status_code == 403 and "Location" not in response


def test_next_open_redirect_attempts_are_refused(client: Any, people: Any, services: Any) -> None:
    """``next=`` through the CAS wrapper cannot lead out: the wrapper ignores it, and Ostal's
    login only returns to /cas/login, which refuses unknown services."""
    client.force_login(people.pupil, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(login_url(next="https://attaquant.invalid/"))
    assert response["Location"].startswith(SERVICE + "?ticket=")
    client.logout()
    evil = login_url("https://attaquant.invalid/")
    response = client.post(
        "/comptes/connexion/?" + urlencode({"next": evil}),
        {"username": "eleve", "password": PASSWORD},
    )
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert followed.status_code in (200, 403) and "attaquant" not in followed.get("Location", "")
    response = client.post(
        "/comptes/connexion/?" + urlencode({"next": "https://attaquant.invalid/"}),
        {"username": "eleve", "password": PASSWORD},
    )
    assert "attaquant" not in response.get("Location", "")


def test_gateway_anonymous_goes_back_without_ticket(client: Any, services: Any) -> None:
    """``gateway=true`` without a session: back to the service, no ticket, no login asked."""
    response = client.get(login_url(gateway="true"))
    assert response.status_code == 302 and response["Location"] == SERVICE


def test_gateway_signed_in_gets_ticket(client: Any, login: Any, people: Any, services: Any) -> None:
    """``gateway=true`` with a session: a ticket, transparently."""
    login(people.pupil)
    assert ticket_of(client.get(login_url(gateway="true"))).startswith("ST-")


def test_renew_asks_for_credentials_again(
    client: Any, login: Any, people: Any, services: Any
) -> None:
    """``renew=true`` bypasses single sign-on: credentials again, then a ticket marked new."""
    login(people.pupil)
    response = client.get(login_url(renew="true"))
    assert urlsplit(response["Location"]).path == "/comptes/connexion/"
    assert "_auth_user_id" not in client.session
    back = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    response = client.post(
        "/comptes/connexion/?" + urlencode({"next": back}),
        {"username": "eleve", "password": PASSWORD},
    )
    ticket = ticket_of(client.get(response["Location"]))
    assert ServiceTicket.objects.get(value=ticket).renew is True
    validation = client.get(
        "/cas/p3/serviceValidate", {"service": SERVICE, "ticket": ticket, "renew": "true"}
    )
    assert b"<cas:isFromNewLogin>true</cas:isFromNewLogin>" in validation.content


def test_pending_second_factor_gets_no_ticket(
    client: Any, login: Any, people: Any, services: Any, monkeypatch: Any
) -> None:
    """A session that must still pass a step is sent there, and no ticket is issued."""
    monkeypatch.setattr("ostal.sso.views.pending_step_url", lambda request: "/comptes/mfa/")
    login(people.pupil)
    response = client.get(login_url())
    assert response.status_code == 302 and response["Location"] == "/comptes/mfa/"
    assert not ServiceTicket.objects.exists()


@pytest.mark.parametrize("state", [Person.State.DETACHED, Person.State.SUSPENDED])
def test_inactive_account_gets_no_ticket(
    client: Any, login: Any, people: Any, services: Any, state: str
) -> None:
    """A detached or suspended account gets no ticket, even with an old session."""
    login(people.pupil)
    Person.objects.filter(pk=people.pupil.pk).update(state=state)
    response = client.get(login_url())
    assert urlsplit(response["Location"]).path == "/comptes/connexion/"
    assert not ServiceTicket.objects.exists()


def test_school_scoped_service_refuses_other_school(
    client: Any, login: Any, people: Any, db: Any
) -> None:
    """A service opened to the collège gives tickets to its pupil, not to the lycée's."""
    register(
        r"^https://vie-scolaire\.exemple\.fr/.*$",
        scope=ConnectedService.Scope.SCHOOL,
        school=people.college,
    )
    login(people.pupil)
    assert ticket_of(client.get(login_url()))
    client.logout()
    login(people.sibling)
    response = client.get(login_url())
    assert response.status_code == 403 and "Location" not in response
    assert ServiceTicket.objects.filter(user__username="frere").count() == 0


def test_authority_scoped_service_follows_the_authority(
    client: Any, login: Any, people: Any, db: Any
) -> None:
    """A service opened to the collège's département: its pupil yes, the lycée's pupil no."""
    register(
        r"^https://vie-scolaire\.exemple\.fr/.*$",
        scope=ConnectedService.Scope.AUTHORITY,
        authority=people.college.responsible_authority,
    )
    login(people.pupil)
    assert ticket_of(client.get(login_url()))
    client.logout()
    login(people.sibling)
    assert client.get(login_url()).status_code == 403


def test_disabled_service_gets_nothing(client: Any, login: Any, people: Any, services: Any) -> None:
    """Disabling a service removes its CAS pattern: no ticket, no redirect."""
    from ostal.sso.services import connected_service_disable

    connected_service_disable(service=services[0], actor=None)
    login(people.pupil)
    response = client.get(login_url())
    assert response.status_code == 403 and "Location" not in response


def test_service_with_control_characters_is_refused(
    client: Any, login: Any, people: Any, services: Any
) -> None:
    """A registered address followed by a newline (``$`` matches before it) is refused."""
    login(people.pupil)
    response = client.get(login_url(SERVICE + "\n"))
    assert response.status_code == 403 and not ServiceTicket.objects.exists()


def test_proxy_ticket_refused_once_the_account_is_detached(
    client: Any, login: Any, people: Any, services: Any
) -> None:
    """A person detached after login gets no more tickets, not even through a proxy."""
    from cas_server.models import ProxyGrantingTicket, ServicePattern

    login(people.pupil)
    ticket_of(client.get(login_url()))
    cas_user = CasUser.objects.get(username="eleve")
    pattern = ServicePattern.objects.get(pk=services[1].service_pattern_id)
    pattern.proxy = True
    pattern.save()
    pgt = ProxyGrantingTicket.objects.create(
        user=cas_user, service=SERVICE, service_pattern=services[0].service_pattern
    )
    Person.objects.filter(pk=people.pupil.pk).update(state=Person.State.DETACHED)
    response = client.get(
        "/cas/proxy", {"pgt": pgt.value, "targetService": "https://autre.exemple.fr/app/"}
    )
    assert b'code="UNAUTHORIZED_USER"' in response.content


def test_warn_prompts_before_issuing(client: Any, login: Any, people: Any, services: Any) -> None:
    """``warn=true``: the person is asked first (no ticket yet); continuing issues one."""
    login(people.pupil)
    response = client.get(login_url(warn="true"))
    assert response.status_code == 200 and not ServiceTicket.objects.exists()
    page = response.content.decode()
    assert "Vie scolaire" in page
    assert ticket_of(client.get(response.context["continue_url"]))
    gateway = client.get(login_url(warn="true", gateway="true"))
    assert gateway.status_code == 302 and gateway["Location"] == SERVICE
