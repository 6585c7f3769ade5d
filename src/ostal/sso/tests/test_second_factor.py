"""CAS and a session that still owes its second factor (ADR 0009, CAS 3.0 §2.1.1): a
``gateway`` request goes back to the service without a ticket (it never shows a page),
and ``/cas/logout`` ends the session."""

from __future__ import annotations

from importlib import import_module
from typing import Any
from urllib.parse import urlencode

import pytest
from cas_server.models import ServiceTicket
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.sso.tests.conftest import SERVICE

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:mfa_setup")


@pytest.fixture
def owing(settings: Any, world: Any, services: Any) -> Client:
    """A school admin logged in with their password, their second factor still owed."""
    cache.clear()
    settings.OSTAL_MFA_ENFORCED = True
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT="Firefox/140.0")
    response = client.post(
        reverse("accounts:login"), {"username": world.admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == SETUP
    assert client.session["_auth_user_id"] == str(world.admin.pk)
    return client


def test_gateway_with_a_second_factor_owed_goes_back_without_a_ticket(owing: Client) -> None:
    """``gateway=true`` while the second factor is owed: back to the service, no ticket, no page."""
    response = owing.get("/cas/login?" + urlencode({"service": SERVICE, "gateway": "true"}))

    assert response.status_code == 302 and response["Location"] == SERVICE
    assert not ServiceTicket.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TICKET_ISSUED).exists()
    # Still owed: without gateway, the TOTP step is asked as before.
    asked = owing.get("/cas/login?" + urlencode({"service": SERVICE}))
    assert asked.status_code == 302 and asked["Location"].startswith(f"{SETUP}?next=")
    assert not ServiceTicket.objects.exists()


def test_cas_logout_ends_a_session_that_owes_its_second_factor(owing: Client) -> None:
    """``/cas/logout`` ends the session even before the second factor; the step page then asks to log in."""
    session_key = owing.session.session_key

    response = owing.get("/cas/logout?" + urlencode({"service": SERVICE}))

    assert response.status_code == 302 and response["Location"] == SERVICE
    assert "_auth_user_id" not in owing.session
    assert not import_module(django_settings.SESSION_ENGINE).SessionStore().exists(session_key)
    step = owing.get(SETUP)
    assert step.status_code == 302 and step["Location"].startswith(reverse("accounts:login"))
