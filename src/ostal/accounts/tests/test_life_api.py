"""Account life in the JSON API (mobile app): same rules and messages as the pages, in the
common error shape."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.authtoken.models import Token

from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent

PASSWORD_URL = "/api/v1/me/password"
EMAIL_URL = "/api/v1/me/email"
NEW = "Jardin-des-plantes-7"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def bearer(client, person):
    token = Token.objects.create(user=person)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.key}"
    return client


@pytest.mark.parametrize(("method", "url"), [("post", PASSWORD_URL), ("put", EMAIL_URL)])
def test_anonymous_calls_are_refused(client, db, method, url):
    """Without a token: 401 in the common shape, nothing changes."""
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_password_change_by_api_revokes_every_token(client, world):
    """The new password is set and every token, the caller's included, is revoked."""
    bearer(client, world.parent)
    response = client.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password": NEW},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["tokens_revoked"] is True
    world.parent.refresh_from_db()
    assert world.parent.check_password(NEW)
    assert not Token.objects.filter(user=world.parent).exists()
    assert SecurityEvent.objects.filter(kind="password_changed", subject=world.parent).exists()
    assert client.get("/api/v1/me/").status_code == 401


def test_api_password_errors_name_the_fields_in_french(client, world):
    """Wrong current password and a too-weak new one: 400 with French field messages."""
    bearer(client, world.teacher)
    response = client.post(
        PASSWORD_URL,
        {"old_password": "faux", "new_password": "tramwaygrenat"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "incorrect" in error["fields"]["old_password"][0]
    assert any("sortes de caract" in m for m in error["fields"]["new_password"])
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)


def test_the_code_is_refused_as_a_password_by_api_too(client, world):
    """The API refuses the person's code as a password, like the page."""
    world.parent.activation_code = "ABCDE23456"
    world.parent.save()
    bearer(client, world.parent)
    response = client.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password": "abcde-23456-Jardin"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "code d'activation" in response.json()["error"]["fields"]["new_password"][0]


@override_settings(OSTAL_PASSWORD_CHECK_RATE="2/h")
def test_api_password_checks_are_rate_limited(client, world):
    """After 2 tries, the API answers 429 in the common shape."""
    bearer(client, world.parent)
    for _ in range(2):
        client.post(
            PASSWORD_URL,
            {"old_password": "x", "new_password": NEW},
            content_type="application/json",
        )
    response = client.post(
        PASSWORD_URL,
        {"old_password": PASSWORD, "new_password": NEW},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_an_email_change_by_api_is_unconfirmed_and_mailed(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """PUT my e-mail → 202, unconfirmed, a confirmation link mailed; GET tells the state."""
    bearer(client, world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.put(
            EMAIL_URL,
            {"email": "diane@example.org", "password": PASSWORD},
            content_type="application/json",
        )
    assert response.status_code == 202
    assert response.json() == {"email": "diane@example.org", "confirmed": False}
    assert [m.to for m in mailoutbox] == [["diane@example.org"]]
    assert client.get(EMAIL_URL).json() == {"email": "diane@example.org", "confirmed": False}


def test_an_api_email_change_needs_the_password(client, world):
    """A wrong password: 400 naming the ``password`` field; the address is unchanged."""
    bearer(client, world.parent)
    response = client.put(
        EMAIL_URL, {"email": "x@example.org", "password": "faux"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    world.parent.refresh_from_db()
    assert world.parent.email == ""


def test_an_invalid_email_is_refused_by_api(client, world):
    """A malformed address: 400 with the French message on ``email``."""
    bearer(client, world.parent)
    response = client.put(
        EMAIL_URL,
        {"email": "pas-une-adresse", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "adresse électronique valide" in response.json()["error"]["fields"]["email"][0]
