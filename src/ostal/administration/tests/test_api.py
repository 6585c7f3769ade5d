"""API of the admin console: the same scope as the pages (404 outside it)."""

from __future__ import annotations

import pytest

from ostal.administration import selectors
from ostal.core.models import SecurityEvent


def accounts_url(school_id: int) -> str:
    return f"/api/v1/administration/schools/{school_id}/accounts"


def unlock_url(school_id: int, person_id: int) -> str:
    return f"/api/v1/administration/schools/{school_id}/accounts/{person_id}/unlock"


def test_the_admin_lists_and_filters_their_school_s_accounts(bearer, locked):
    world = locked
    client = bearer(world.admin)
    body = client.get(accounts_url(world.college.pk)).json()
    logins = {row["username"] for row in body["results"]}
    assert {"eleve", "autre.eleve", "parent", "prof", "admin"} <= logins
    assert "frere" not in logins and body["count"] == len(logins)
    body = client.get(accounts_url(world.college.pk), {"state": "locked"}).json()
    assert [row["username"] for row in body["results"]] == ["eleve"]
    assert body["results"][0]["locked"] is True


def test_a_bad_state_is_a_400_in_french(bearer, world):
    response = bearer(world.admin).get(accounts_url(world.college.pk), {"state": "x"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert "state" in error["fields"]


def test_unlock_by_api_is_logged(bearer, locked):
    world = locked
    response = bearer(world.admin).post(unlock_url(world.college.pk, world.pupil.pk))
    assert response.status_code == 200
    assert response.json()["account"]["locked"] is False
    assert not selectors.is_locked(world.pupil)
    assert SecurityEvent.objects.filter(
        kind="account_changed", actor=world.admin, subject=world.pupil, data__action="unlock"
    ).exists()


@pytest.mark.parametrize(
    ("school", "person"), [("college", "sibling"), ("lycee", "sibling"), ("lycee", "pupil")]
)
def test_out_of_scope_is_404(bearer, locked, school, person):
    world = locked
    client = bearer(world.admin)
    school_id = getattr(world, school).pk
    response = client.post(unlock_url(school_id, getattr(world, person).pk))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    if school == "lycee":
        assert client.get(accounts_url(school_id)).status_code == 404
    assert selectors.is_locked(world.sibling)
    assert not SecurityEvent.objects.filter(actor=world.admin).exists()


@pytest.mark.parametrize("persona", ["teacher", "parent", "other_admin", "agent"])
def test_others_get_404(bearer, world, persona):
    response = bearer(world.persona(persona)).get(accounts_url(world.college.pk))
    assert response.status_code == 404


def test_anonymous_gets_401(client, world):
    assert client.get(accounts_url(world.college.pk)).status_code == 401
