"""The preferences page and its JSON API: sign-in required, defaults per profile, the
confirmed-address notice, saving, and French refusals that change nothing."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

import pytest

from ostal.conftest import World
from ostal.notifications.models import NotificationPreference
from ostal.notifications.tests.conftest import confirm

PAGE = "/compte/notifications/"
API = "/api/v1/me/notifications"


def _post(client: Any, **data: str) -> Any:
    form = {"email_digest": "daily", "daily_hour": "18", "quiet_start": "", "quiet_end": ""}
    form.update(data)
    return client.post(PAGE, form)


def test_the_page_and_the_api_require_sign_in(client: Any, world: World) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")
    assert client.get(API).status_code == 401
    assert (
        client.put(API, {"email_digest": "off"}, content_type="application/json").status_code == 401
    )


def test_the_page_shows_the_defaults_and_asks_for_a_confirmed_address(
    login: Any, world: World
) -> None:
    page = login(world.parent).get(PAGE).content.decode()
    assert "<h1>Mes notifications</h1>" in page
    checked = re.findall(r'<input type="radio" name="email_digest" value="(\w+)"[^>]*checked', page)
    assert checked == ["daily"]
    assert "aucun courriel ne vous sera envoyé" in page
    assert 'href="/comptes/courriel/"' in page
    assert "jamais leur contenu" in page
    assert 'value="20:00"' in page and 'value="07:00"' in page


def test_a_confirmed_address_is_named(login: Any, world: World) -> None:
    parent = confirm(world.parent, "diane@example.org")
    page = login(parent).get(PAGE).content.decode()
    assert "Les courriels sont envoyés à diane@example.org (adresse confirmée)." in page


def test_saving_quiet_hours_across_midnight(login: Any, world: World) -> None:
    client = login(world.teacher)
    response = _post(client, email_digest="hourly", quiet_start="22:30", quiet_end="06:45")
    assert response.status_code == 302 and response["Location"] == PAGE
    row = NotificationPreference.objects.get(person=world.teacher)
    assert (row.email_digest, row.daily_hour) == ("hourly", 18)
    assert (row.quiet_start, row.quiet_end) == (time(22, 30), time(6, 45))
    assert "Vos préférences de notification sont enregistrées." in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email_digest": "weekly"}, "Fréquence inconnue"),
        ({"quiet_start": "25:99", "quiet_end": "07:00"}, "Début des heures de silence invalide"),
        ({"quiet_start": "22:00", "quiet_end": "7h"}, "Fin des heures de silence invalide"),
        ({"quiet_start": "22:00"}, "Indiquez le début et la fin des heures de silence"),
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "doit être différente de leur début"),
        ({"daily_hour": "24"}, "nombre entier de 0 à 23"),
    ],
)
def test_the_page_refuses_bad_input_in_french(
    login: Any, world: World, data: dict[str, str], message: str
) -> None:
    response = _post(login(world.teacher), **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and message in page
    assert not NotificationPreference.objects.filter(person=world.teacher).exists()


def test_api_gives_the_defaults_of_the_profile(bearer: Any, world: World) -> None:
    body = bearer(world.pupil).get(API).json()
    assert body["email_digest"] == "off" and body["is_default"] is True
    assert body["email_deliverable"] is False
    parent = confirm(world.parent, "diane@example.org")
    body = bearer(parent).get(API).json()
    assert body == {
        "email_digest": "daily",
        "daily_hour": 18,
        "quiet_start": "20:00",
        "quiet_end": "07:00",
        "is_default": True,
        "email": "diane@example.org",
        "email_confirmed": True,
        "email_deliverable": True,
    }


def test_api_put_saves_and_keeps_what_is_left_out(bearer: Any, world: World) -> None:
    client = bearer(world.parent)
    response = client.put(
        API,
        {"email_digest": "hourly", "quiet_start": "21:00", "quiet_end": "06:30"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["email_digest"] == "hourly" and response.json()["daily_hour"] == 18
    response = client.put(
        API, {"email_digest": "daily", "daily_hour": 7}, content_type="application/json"
    )
    body = response.json()
    assert (body["email_digest"], body["daily_hour"]) == ("daily", 7)
    assert (body["quiet_start"], body["quiet_end"]) == ("21:00", "06:30")
    response = client.put(
        API,
        {"email_digest": "daily", "quiet_start": None, "quiet_end": None},
        content_type="application/json",
    )
    assert response.json()["quiet_start"] is None and response.json()["is_default"] is False


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email_digest": "weekly"}, "email_digest", "Fréquence inconnue"),
        ({}, "email_digest", "Choisissez la fréquence"),
        ({"email_digest": "daily", "daily_hour": 31}, "daily_hour", "0 à 23"),
        ({"email_digest": "daily", "daily_hour": True}, "daily_hour", "0 à 23"),
        (
            {"email_digest": "daily", "quiet_start": "9 pm", "quiet_end": "07:00"},
            "quiet_start",
            "format HH:MM",
        ),
        (
            {"email_digest": "daily", "quiet_start": "21:00", "quiet_end": None},
            "quiet_end",
            "ou laissez les deux vides",
        ),
    ],
)
def test_api_refuses_bad_input_in_french(
    bearer: Any, world: World, data: dict[str, Any], field: str, message: str
) -> None:
    response = bearer(world.parent).put(API, data, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "La requête est invalide."
    assert any(message in text for text in error["fields"][field])
    assert not NotificationPreference.objects.filter(person=world.parent).exists()


def test_api_refuses_a_body_that_is_not_an_object(bearer: Any, world: World) -> None:
    response = bearer(world.parent).put(API, ["daily"], content_type="application/json")
    assert response.status_code == 400
    assert "email_digest" in response.json()["error"]["fields"]["non_field"][0]


def test_the_account_page_and_the_inbox_link_to_the_preferences(login: Any, world: World) -> None:
    client = login(world.parent)
    assert f'href="{PAGE}"' in client.get("/compte/").content.decode()
    assert f'href="{PAGE}"' in client.get("/messagerie/").content.decode()
