"""The SAML flow end to end: Django's test client as the browser, an in-process pysaml2
identity provider as EduConnect or an académie staff portal."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from saml2 import xmldsig
from saml2.response import IncorrectlySigned

from ostal.core.models import SecurityEvent
from ostal.directory.models import Person
from ostal.federation.config import acs_url, sp_entity_id
from ostal.federation.tests.conftest import educonnect_attributes

pytestmark = pytest.mark.django_db


def logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def refusals() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.FEDERATED_REFUSED))


def test_authn_request_is_signed_rsa_sha256(client, saml, fed_world):
    """The login redirect carries an AuthnRequest signed RSA-SHA256 that the IdP verifies."""
    response = saml.start(client, "educonnect")
    assert response.status_code == 302
    assert response["Location"].startswith(saml.educonnect.sso_url)
    seen = saml.educonnect.receive(response["Location"])
    assert seen.signed and seen.sigalg == xmldsig.SIG_RSA_SHA256
    assert seen.destination_acs == acs_url()
    # A tampered signature is refused by the IdP.
    query = parse_qs(urlparse(response["Location"]).query)
    query["RelayState"] = ["/autre/"]
    tampered = (
        response["Location"].split("?")[0] + "?" + urlencode({k: v[0] for k, v in query.items()})
    )
    with pytest.raises(IncorrectlySigned):
        saml.educonnect.receive(tampered)


def test_parent_logs_in_through_educonnect(client, saml, fed_world):
    """A parent known in one académie is logged in by EduConnect (signed, encrypted
    assertion with FrEduCtRefId) and sent to ``next``."""
    response = saml.login(
        client, educonnect_attributes("{AAF}11|x|P2001", "ECT-ENT2"), next="/etablissement/"
    )
    assert b"EncryptedAssertion" in base64.b64decode(saml.last_response)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/etablissement/"
    assert logged_in_as(client) == fed_world.parent.pk
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.FEDERATED_LOGIN)
    assert event.subject == fed_world.parent
    assert event.data == {"idp": "educonnect", "method": "FrEduCtRefId"}
    assert client.get("/").status_code == 200


def test_pupil_logs_in_through_educonnect(client, saml, fed_world):
    """A pupil's own FrEduCtRefId logs in the pupil's account."""
    response = saml.login(client, educonnect_attributes("{AAF}11|x|E1001", given="Alice"))
    assert response.status_code == 302
    assert logged_in_as(client) == fed_world.pupil.pk


def test_parent_in_two_academies_chooses_an_account(client, saml, fed_world):
    """A parent proved in both académies chooses among those two accounts only."""
    toulouse_parent = Person.objects.create(
        username="parent.tlse",
        profile="TUT",
        last_name="Durand",
        first_name="Diane",
        source=fed_world.sibling.source,
        external_id="P9001",
        state=Person.State.ACTIVE,
        charter_accepted_at=fed_world.parent.charter_accepted_at,
        charter_version=1,
    )
    response = saml.login(
        client,
        educonnect_attributes("{AAF}11|x|P2001", "{AAF}16|x|P9001"),
        next="/compte/",
    )
    assert response.status_code == 302
    assert response["Location"] == "/saml2/comptes/"
    assert logged_in_as(client) is None
    page = client.get("/saml2/comptes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Annuaire académique de Montpellier" in html
    assert "Annuaire académique de Toulouse" in html
    assert "Alice Durand" in html  # the Montpellier account's child
    # An account the assertion did not prove cannot be chosen.
    refused = client.post("/saml2/comptes/", {"account": fed_world.other_parent.pk})
    assert refused.status_code == 400
    assert "Choisissez l&#x27;un des comptes proposés." in refused.content.decode()
    assert logged_in_as(client) is None
    chosen = client.post("/saml2/comptes/", {"account": toulouse_parent.pk})
    assert chosen.status_code == 302
    assert chosen["Location"] == "/compte/"
    assert logged_in_as(client) == toulouse_parent.pk
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.FEDERATED_LOGIN)
    assert event.data["among"] == 2
    # The choice is spent.
    assert client.get("/saml2/comptes/").status_code == 400


def test_staff_logs_in_through_the_academie_portal_with_ctemail(client, saml, fed_world):
    """A Montpellier teacher's ctemail (any case) logs in their staff account."""
    response = saml.login(
        client,
        {"ctemail": ["Franck.Garcia@AC-Montpellier.fr"], "sn": ["Garcia"]},
        idp_key="agents-montpellier",
    )
    assert response.status_code == 302
    assert logged_in_as(client) == fed_world.teacher.pk
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.FEDERATED_LOGIN)
    assert event.data == {"idp": "agents-montpellier", "method": "academic_email"}


def test_staff_portal_does_not_log_in_another_academie_staff(client, saml, fed_world):
    """The Montpellier portal cannot log in a Toulouse teacher, even with their e-mail."""
    response = saml.login(
        client, {"mail": ["gilles.henry@ac-toulouse.fr"]}, idp_key="agents-montpellier"
    )
    assert response.status_code == 403
    assert logged_in_as(client) is None
    assert "Aucun compte Ostal ne correspond" in response.content.decode()


def test_unknown_person_is_refused_with_a_clear_page(client, saml, fed_world):
    """An assertion for nobody in Ostal shows the French page and logs FEDERATED_REFUSED."""
    response = saml.login(client, educonnect_attributes("{AAF}11|x|NOBODY", "{AAF}01|x|P2001"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Aucun compte Ostal ne correspond à votre identité ÉduConnect" in html
    assert 'role="alert"' in html
    assert logged_in_as(client) is None
    [event] = refusals()
    assert event.data["reason"] == "no_account" and event.data["idp"] == "educonnect"
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.FEDERATED_LOGIN).exists()


def test_unsigned_response_is_refused(client, saml, fed_world):
    """A response whose assertion and response are not signed logs nobody in."""
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"), signed=False)
    assert response.status_code == 403
    assert "pas pu être vérifiée" in response.content.decode()
    assert logged_in_as(client) is None
    assert len(refusals()) == 1


def test_response_signed_by_another_key_is_refused(client, saml, fed_world):
    """A response claiming to be EduConnect but signed with another key is refused."""
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"), signer=saml.rogue)
    assert response.status_code == 403
    assert logged_in_as(client) is None
    assert refusals()[0].data["reason"] != "no_account"


def test_replayed_response_is_refused(client, saml, fed_world):
    """The same response posted a second time (its request is no longer outstanding)
    logs nobody in."""
    first = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"))
    assert first.status_code == 302
    client.logout()
    replay = client.post("/saml2/acs/", {"SAMLResponse": saml.last_response, "RelayState": "/"})
    assert replay.status_code == 403
    assert logged_in_as(client) is None
    assert len(refusals()) == 1


def test_unsolicited_response_is_refused(client, saml, fed_world):
    """A response to no request of this browser (IdP-initiated or stolen) is refused."""
    forged = saml.educonnect.response(
        in_response_to=None,
        acs=acs_url(),
        sp_entity_id=sp_entity_id(),
        attributes=educonnect_attributes("{AAF}11|x|P2001"),
    )
    response = client.post("/saml2/acs/", {"SAMLResponse": forged})
    assert response.status_code == 403
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    "relay_state",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http://testserver/x"],
)
def test_external_relay_state_does_not_redirect_outside(client, saml, fed_world, relay_state):
    """A RelayState that is not a local path sends the person home, not elsewhere."""
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"), relay_state=relay_state)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == fed_world.parent.pk


def test_external_next_is_not_passed_to_the_identity_provider(client, saml, fed_world):
    """``next=`` pointing outside becomes ``/`` in the RelayState sent to the IdP."""
    response = saml.start(client, "educonnect", next="https://evil.example/")
    seen = saml.educonnect.receive(response["Location"])
    assert seen.relay_state == "/"


def test_never_activated_account_is_activated_then_sent_to_the_charter(client, saml, fed_world):
    """A first federated login activates a never-activated account (its letter code is
    cleared) and sends the person to the charter first."""
    Person.objects.filter(pk=fed_world.other_parent.pk).update(
        state=Person.State.TO_ACTIVATE, activation_code="ABCD1234", charter_accepted_at=None
    )
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2002"), next="/compte/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/charte/?next=%2Fcompte%2F"
    person = Person.objects.get(pk=fed_world.other_parent.pk)
    assert person.state == Person.State.ACTIVE and person.activation_code == ""
    assert logged_in_as(client) == person.pk
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ACTIVATED, subject=person, data__method="federation"
    ).exists()


@pytest.mark.parametrize("state", [Person.State.SUSPENDED, Person.State.DETACHED])
def test_suspended_or_detached_account_is_refused(client, saml, fed_world, state):
    """A suspended or detached account cannot log in through EduConnect."""
    Person.objects.filter(pk=fed_world.parent.pk).update(state=state)
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"))
    assert response.status_code == 403
    assert logged_in_as(client) is None
    assert Person.objects.get(pk=fed_world.parent.pk).state == state


def test_educonnect_cannot_log_in_a_teacher(client, saml, fed_world):
    """EduConnect proves pupils and parents only: a teacher's jointure is refused."""
    response = saml.login(client, educonnect_attributes("{AAF}11|x|T4001"))
    assert response.status_code == 403
    assert logged_in_as(client) is None
