"""Proxy tickets (CAS 2/3): a service allowed to proxy receives a PGT on its callback, gets
proxy tickets for services that accept them, and those validate on proxyValidate."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cas_server.models import ProxyGrantingTicket

from ostal.sso.tests.conftest import register

pytestmark = pytest.mark.django_db
PORTAL = "https://portail.exemple.fr/app/"
BACKEND = "https://ressources.exemple.fr/api/"


class _Callback(BaseHTTPRequestHandler):
    received: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).received.append(parse_qs(urlsplit(self.path).query))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def callback_server() -> Any:
    _Callback.received = []
    server = HTTPServer(("127.0.0.1", 0), _Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_proxy_ticket_flow(client: Any, login: Any, people: Any, callback_server: Any) -> None:
    """Service ticket + pgtUrl → PGT on the callback → proxy ticket → proxyValidate."""
    port = callback_server.server_address[1]
    pgt_url = f"http://127.0.0.1:{port}/pgt"
    register(r"^https://portail\.exemple\.fr/.*$", name="Portail")
    register(rf"^http://127\.0\.0\.1:{port}/.*$", name="Rappel", proxy_callback=True)
    register(r"^https://ressources\.exemple\.fr/.*$", name="Ressources", accepts_proxy_tickets=True)
    login(people.pupil)
    response = client.get("/cas/login?" + urlencode({"service": PORTAL}))
    ticket = parse_qs(urlsplit(response["Location"]).query)["ticket"][0]
    content = client.get(
        "/cas/p3/serviceValidate", {"service": PORTAL, "ticket": ticket, "pgtUrl": pgt_url}
    ).content.decode()
    assert "<cas:proxyGrantingTicket>PGTIOU-" in content
    assert len(_Callback.received) == 1
    pgt = _Callback.received[0]["pgtId"][0]
    assert content.count(_Callback.received[0]["pgtIou"][0]) == 1
    assert ProxyGrantingTicket.objects.filter(value=pgt, user__username="eleve").exists()
    proxied = client.get("/cas/proxy", {"pgt": pgt, "targetService": BACKEND}).content.decode()
    assert "<cas:proxySuccess>" in proxied
    pt = proxied.split("<cas:proxyTicket>")[1].split("</cas:proxyTicket>")[0]
    assert pt.startswith("PT-")
    validated = client.get("/cas/p3/proxyValidate", {"service": BACKEND, "ticket": pt}).content
    assert b"<cas:user>eleve</cas:user>" in validated
    assert f"<cas:proxy>{pgt_url}</cas:proxy>".encode() in validated
    # serviceValidate refuses proxy tickets (CAS 3.0 §2.5).
    second = client.get("/cas/proxy", {"pgt": pgt, "targetService": BACKEND}).content.decode()
    pt2 = second.split("<cas:proxyTicket>")[1].split("</cas:proxyTicket>")[0]
    refused = client.get("/cas/p3/serviceValidate", {"service": BACKEND, "ticket": pt2}).content
    assert b'code="INVALID_TICKET"' in refused


def test_proxy_refused_without_permission(
    client: Any, login: Any, people: Any, callback_server: Any
) -> None:
    """No PGT for a callback not allowed to proxy; no PT for a service not accepting them."""
    port = callback_server.server_address[1]
    register(r"^https://portail\.exemple\.fr/.*$", name="Portail")
    register(rf"^http://127\.0\.0\.1:{port}/.*$", name="Rappel", proxy_callback=False)
    register(r"^https://ressources\.exemple\.fr/.*$", name="Ressources")
    login(people.pupil)
    response = client.get("/cas/login?" + urlencode({"service": PORTAL}))
    ticket = parse_qs(urlsplit(response["Location"]).query)["ticket"][0]
    content = client.get(
        "/cas/p3/serviceValidate",
        {"service": PORTAL, "ticket": ticket, "pgtUrl": f"http://127.0.0.1:{port}/pgt"},
    ).content
    assert b'code="INVALID_PROXY_CALLBACK"' in content and _Callback.received == []
    refused = client.get("/cas/proxy", {"pgt": "PGT-inconnu", "targetService": BACKEND}).content
    assert b'code="UNAUTHORIZED_SERVICE"' in refused
    missing = client.get("/cas/proxy", {"pgt": "PGT-inconnu"}).content
    assert b'code="INVALID_REQUEST"' in missing
