"""Done-when of the CAS issue: the real ``python-cas`` client completes login → ticket →
validation with the SDET attributes against a running Ostal (CAS 1, 2, 3, SAML 1.1)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from cas import CASClient

from ostal.conftest import PASSWORD
from ostal.sso.tests.conftest import register

pytestmark = pytest.mark.django_db(transaction=True)

EXPECTED = {
    "ENTPersonJointure": "AAF-ELV-1",
    "ENTPersonProfils": "National_ELV",
    "ENTPersonStructRattach": "0341111A",
    "ENTEleveClasses": "0341111A$4B",
    "nom": "Durand",
    "prenom": "Alice",
    "dateNaissance": "04/03/2012",
    "codePostal": "34000",
    "categories": "Eleve",
}


def browser_login(client: CASClient, session: requests.Session, server: str) -> str:
    """What a browser does: CAS login → Ostal's form → credentials → back with a ticket."""
    response = session.get(client.get_login_url(), allow_redirects=True)
    assert "/comptes/connexion/" in response.url and response.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert token is not None
    response = session.post(
        response.url,
        data={"csrfmiddlewaretoken": token.group(1), "username": "eleve", "password": PASSWORD},
        headers={"Referer": response.url},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:300]
    response = session.get(urljoin(server, response.headers["Location"]), allow_redirects=False)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(client.service_url + "?ticket=")
    return parse_qs(urlsplit(location).query)["ticket"][0]


@pytest.mark.parametrize("version", [1, 2, 3, "CAS_2_SAML_1_0"])
def test_python_cas_client_login_and_validation(
    live_server: Any, people: Any, version: Any
) -> None:
    """python-cas logs in through Ostal's login and validates the ticket with SDET attributes."""
    service = f"{live_server.url}/retour-service/"
    register("^" + re.escape(service) + "$", name="Service local")
    server = f"{live_server.url}/cas/"
    client = CASClient(version=version, service_url=service, server_url=server)
    with requests.Session() as session:
        ticket = browser_login(client, session, live_server.url)
    user, attributes, _pgtiou = client.verify_ticket(ticket)
    assert user == "eleve"
    if version == 1:
        assert attributes is None
        return
    for name, value in EXPECTED.items():
        assert attributes[name] == value, name
    # Spent: a second validation fails.
    assert client.verify_ticket(ticket)[0] is None
