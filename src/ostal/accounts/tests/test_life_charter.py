"""The charter of use is accepted once per version: a password login after a new version
asks again, then continues to ``next``; the page only ever continues to a local path."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ostal.conftest import PASSWORD
from ostal.directory.models import Person

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CHARTER = reverse("accounts:charter")


def test_a_new_charter_version_is_asked_at_the_next_password_login(client, world, settings):
    """Someone who accepted version 1 is asked for version 2 after their password, then lands on ``next``."""
    accepted = timezone.now()
    Person.objects.filter(pk=world.parent.pk).update(
        charter_accepted_at=accepted, charter_version=1
    )
    settings.OSTAL_CHARTER_VERSION = 2

    response = client.post(LOGIN, {"username": "parent", "password": PASSWORD, "next": "/compte/"})

    assert response.status_code == 302
    assert response["Location"] == "/comptes/charte/?next=%2Fcompte%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Accepter et continuer" in page.content.decode()
    accepted_page = client.post(CHARTER, {"accept": "on", "next": "/compte/"})
    assert accepted_page.status_code == 302 and accepted_page["Location"] == "/compte/"
    person = Person.objects.get(pk=world.parent.pk)
    assert person.charter_version == 2 and person.charter_accepted_at > accepted
    # Accepted: the page now only offers to continue, and the next login goes straight on.
    assert "Accepter et continuer" not in client.get(CHARTER).content.decode()
    client.logout()
    again = client.post(LOGIN, {"username": "parent", "password": PASSWORD, "next": "/compte/"})
    assert again["Location"] == "/compte/"


def test_the_current_version_accepted_at_activation_is_not_asked_again(client, world):
    """A password login of someone who accepted the charter in force goes straight to ``next``."""
    Person.objects.filter(pk=world.parent.pk).update(
        charter_accepted_at=timezone.now(), charter_version=1
    )
    response = client.post(LOGIN, {"username": "parent", "password": PASSWORD, "next": "/compte/"})
    assert response.status_code == 302 and response["Location"] == "/compte/"


def test_an_anonymous_visitor_cannot_accept(client, db):
    """Accepting needs a signed-in person: an anonymous POST goes to the login page."""
    response = client.post(CHARTER, {"accept": "on"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not Person.objects.filter(charter_accepted_at__isnull=False).exists()
