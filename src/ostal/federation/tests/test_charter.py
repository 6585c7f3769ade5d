"""The charter after a federated login (docs/federation.md step 6): accepted once on
``/comptes/charte/`` (date and version recorded), then the person lands on ``next``; the
next logins go straight to ``next``; a new charter version asks again."""

from __future__ import annotations

import pytest
from django.test import override_settings

from ostal.directory.models import Person
from ostal.federation.tests.conftest import educonnect_attributes

pytestmark = pytest.mark.django_db

CHARTER = "/comptes/charte/"


def logged_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def accept(client, location: str):
    """What a person does on the charter page: read it, tick the box, submit."""
    page = client.get(location)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="accept"' in content and "Accepter et continuer" in content
    next_url = page.context["next_url"]
    return client.post(CHARTER, {"accept": "on", "next": next_url})


def test_first_federated_login_activates_then_the_charter_is_accepted_once(client, saml, fed_world):
    """An account activated by its first ÉduConnect login accepts the charter once and lands on ``next``; its next login goes straight there."""
    Person.objects.filter(pk=fed_world.other_parent.pk).update(
        state=Person.State.TO_ACTIVATE, activation_code="ABCD1234", charter_accepted_at=None
    )
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2002"), next="/compte/")
    assert response["Location"] == "/comptes/charte/?next=%2Fcompte%2F"

    accepted = accept(client, response["Location"])

    assert accepted.status_code == 302 and accepted["Location"] == "/compte/"
    person = Person.objects.get(pk=fed_world.other_parent.pk)
    assert person.state == Person.State.ACTIVE
    assert person.charter_accepted_at is not None and person.charter_version == 1
    assert client.get("/compte/").status_code == 200
    # The next federated login lands on the page asked for.
    client.logout()
    again = saml.login(client, educonnect_attributes("{AAF}11|x|P2002"), next="/compte/")
    assert again.status_code == 302 and again["Location"] == "/compte/"
    assert logged_in_as(client) == person.pk
    assert Person.objects.get(pk=person.pk).charter_accepted_at == person.charter_accepted_at


def test_an_active_account_that_never_accepted_accepts_at_its_federated_login(
    client, saml, fed_world
):
    """An active account with no charter accepted is asked at its ÉduConnect login; unticked, nothing is recorded; ticked, it lands on ``next``."""
    Person.objects.filter(pk=fed_world.parent.pk).update(charter_accepted_at=None)
    response = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"), next="/etablissement/")
    assert response["Location"] == "/comptes/charte/?next=%2Fetablissement%2F"

    refused = client.post(CHARTER, {"next": "/etablissement/"})
    assert refused.status_code == 400
    assert "acceptez la charte" in refused.content.decode()
    assert Person.objects.get(pk=fed_world.parent.pk).charter_accepted_at is None

    accepted = accept(client, response["Location"])
    assert accepted["Location"] == "/etablissement/"
    assert Person.objects.get(pk=fed_world.parent.pk).charter_accepted_at is not None


def test_a_new_charter_version_asks_again(client, saml, fed_world):
    """When the charter in force is a newer version than the one accepted, the next login asks again, and records the new version."""
    with override_settings(OSTAL_CHARTER_VERSION=2):
        response = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"), next="/compte/")
        assert response["Location"] == "/comptes/charte/?next=%2Fcompte%2F"
        accepted = accept(client, response["Location"])
        assert accepted["Location"] == "/compte/"
        person = Person.objects.get(pk=fed_world.parent.pk)
        assert person.charter_version == 2
        client.logout()
        again = saml.login(client, educonnect_attributes("{AAF}11|x|P2001"), next="/compte/")
        assert again["Location"] == "/compte/"


def test_an_external_next_is_not_followed_after_the_charter(client, login, fed_world):
    """The charter continues only to a local path: an outside ``next`` goes home instead."""
    Person.objects.filter(pk=fed_world.parent.pk).update(charter_accepted_at=None)
    login(Person.objects.get(pk=fed_world.parent.pk))
    response = client.post(CHARTER, {"accept": "on", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Person.objects.get(pk=fed_world.parent.pk).charter_version == 1
