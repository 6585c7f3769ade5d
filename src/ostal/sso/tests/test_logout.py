"""Single logout: ending the Ostal session tells every service with SLO, in a job; the CAS
logout never redirects to an unknown address; the periodic purges run."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cas_server.models import ServiceTicket
from cas_server.models import User as CasUser

from ostal.sso.tests.conftest import register

pytestmark = pytest.mark.django_db


class _Recorder(BaseHTTPRequestHandler):
    received: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        type(self).received.append(parse_qs(self.rfile.read(length).decode()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def slo_server() -> Any:
    _Recorder.received = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_logout_posts_logout_request_to_service(
    client: Any, login: Any, people: Any, slo_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Logging out of Ostal POSTs a SAML LogoutRequest with the ticket to the service."""
    port = slo_server.server_address[1]
    service = f"http://127.0.0.1:{port}/app/"
    register(rf"^http://127\.0\.0\.1:{port}/.*$", single_logout=True)
    login(people.pupil)
    response = client.get("/cas/login?" + urlencode({"service": service}))
    ticket = parse_qs(urlsplit(response["Location"]).query)["ticket"][0]
    assert client.get("/cas/validate", {"service": service, "ticket": ticket}).content.startswith(
        b"yes"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post("/comptes/deconnexion/")
    assert len(callbacks) == 1  # the job is queued after commit, not run in the request
    assert len(_Recorder.received) == 1
    body = _Recorder.received[0]["logoutRequest"][0]
    assert (
        "samlp:LogoutRequest" in body
        and f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex>" in body
    )
    assert not CasUser.objects.exists() and not ServiceTicket.objects.exists()


def test_no_slo_for_services_without_it(
    client: Any, login: Any, people: Any, slo_server: Any
) -> None:
    """A service without single logout is not called; its CAS session still ends."""
    port = slo_server.server_address[1]
    service = f"http://127.0.0.1:{port}/app/"
    register(rf"^http://127\.0\.0\.1:{port}/.*$", single_logout=False)
    login(people.pupil)
    client.get("/cas/login?" + urlencode({"service": service}))
    client.post("/comptes/deconnexion/")
    assert _Recorder.received == [] and not CasUser.objects.exists()


def test_cas_logout_redirects_only_to_registered_services(
    client: Any, login: Any, people: Any, services: Any
) -> None:
    """/cas/logout ends the session and goes back only to a registered service."""
    login(people.pupil)
    client.get("/cas/login?" + urlencode({"service": "https://vie-scolaire.exemple.fr/x"}))
    response = client.get("/cas/logout", {"service": "https://vie-scolaire.exemple.fr/bye"})
    assert (
        response.status_code == 302
        and response["Location"] == "https://vie-scolaire.exemple.fr/bye"
    )
    assert "_auth_user_id" not in client.session and not CasUser.objects.exists()
    for key in ("service", "url"):
        response = client.get("/cas/logout", {key: "https://attaquant.invalid/"})
        assert response.status_code == 200 and "Location" not in response
        assert "Vous êtes déconnecté" in response.content.decode()


def test_periodic_purges_run(db: Any) -> None:
    """The huey periodic tasks run django-cas-server's cleaning commands."""
    from ostal.sso.tasks import cas_clean_sessions_periodic, cas_clean_tickets_periodic

    CasUser.objects.create(username="fantome", session_key="absent")
    cas_clean_tickets_periodic.call_local()
    cas_clean_sessions_periodic.call_local()
    assert not CasUser.objects.filter(username="fantome").exists()


def test_all_sessions_of_a_person_end_with_single_logout(
    client: Any, login: Any, people: Any, slo_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Ending a person's CAS sessions by login (credentials revoked) also sends the SLO."""
    from ostal.sso.services import cas_sessions_end

    port = slo_server.server_address[1]
    service = f"http://127.0.0.1:{port}/app/"
    register(rf"^http://127\.0\.0\.1:{port}/.*$", single_logout=True)
    login(people.pupil)
    client.get("/cas/login?" + urlencode({"service": service}))
    with django_capture_on_commit_callbacks(execute=True):
        assert cas_sessions_end(username="eleve") == 1
    assert len(_Recorder.received) == 1 and not CasUser.objects.exists()
    assert cas_sessions_end() == 0
