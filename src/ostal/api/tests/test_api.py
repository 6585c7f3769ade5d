"""The JSON API base: one error shape, session and bearer tokens, an OpenAPI schema."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from ostal.directory import services
from ostal.directory.models import Person


def test_me_tells_a_parent_about_each_child(login, world):
    """/api/v1/me/ lists a parent's children with their school and class."""
    response = login(world.parent).get("/api/v1/me/")
    assert response.status_code == 200
    data = response.json()
    assert data["national_profile"] == "National_TUT"
    assert {
        (c["first_name"], c["school"]["uai"], c["school_class"]["code"]) for c in data["children"]
    } == {
        ("Alice", "0341111A", "4B"),
        ("Bruno", "0122222B", "2NDE1"),
    }
    assert data["active_child"] == world.pupil.pk


def test_anonymous_calls_get_the_common_error_shape(client, db):
    """Unauthenticated calls get 401/403 with the common French error body."""
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    body = response.json()["error"]
    assert body["status"] == response.status_code and body["message"]


def test_unknown_api_urls_are_json_404(login, world):
    """Unknown API URLs answer 404."""
    assert login(world.pupil).get("/api/v1/nope/").status_code == 404


def test_a_bearer_token_authenticates(client, world):
    """``Authorization: Bearer <token>`` works for the mobile app."""
    token = Token.objects.create(user=world.teacher)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert response.status_code == 200 and response.json()["username"] == "prof"


def test_a_suspended_accounts_token_stops_working(client, world):
    """Suspending an account makes its tokens useless at once."""
    token = Token.objects.create(user=world.teacher)
    services.person_set_state(person=world.teacher, state=Person.State.SUSPENDED)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token.key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer", "Token abc"])
def test_a_forged_token_is_refused(client, world, header):
    """Made-up or malformed tokens are refused."""
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_the_openapi_schema_is_served(client, db):
    """/api/schema/ serves an OpenAPI 3 document that describes /api/v1/me/."""
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]


def test_an_accept_header_naming_no_json_type_is_a_documented_406(client, world):
    """A client asking only for a type the API cannot produce gets 406 in the common error
    shape, and every operation of the schema documents that answer (schemathesis sends such
    headers in its negative cases)."""
    token = Token.objects.create(user=world.teacher)
    response = client.get(
        "/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token.key}", HTTP_ACCEPT="text/x-nonsense"
    )
    assert response.status_code == 406
    assert response.json()["error"]["status"] == 406
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations and all("406" in op["responses"] for op in operations)
