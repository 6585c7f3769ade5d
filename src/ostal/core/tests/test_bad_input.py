"""Input a person can type never makes a 500 (issue 14, item 3 and 5): page numbers, dates
and ids out of range, NUL bytes, deeply nested JSON, a CAS 1 ticket of no known kind, an
API URL that matches nothing. Each answer is a clear 400/404: the French error page on
pages, the JSON error shape on the API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ostal.conftest import World
from ostal.core.models import SecurityEvent
from ostal.directory.models import Subject
from ostal.messaging.models import Message
from ostal.timetable.models import Course
from ostal.timetable.tests.conftest import make_course

HUGE = "9" * 20
OUT_OF_RANGE_DATES = ["9999-12-31", "0001-01-01", "2201-01-01"]


def error_of(response: Any) -> dict[str, Any]:
    """The body of an API error, checked against the one error shape."""
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert {"status", "code", "message"} <= set(body["error"])
    assert body["error"]["status"] == response.status_code
    return body["error"]


def french_page(response: Any, status: int) -> str:
    """The HTML error page, in French."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    return html


@pytest.fixture
def course(world: World) -> Course:
    maths = Subject.objects.get(code="061300")
    return make_course(world, weekday=1, start="08:00", end="09:00", subject=maths)


@pytest.mark.parametrize("path", ["/messagerie/", "/messagerie/envoyes/", "/messagerie/recherche/"])
def test_huge_page_number_on_a_mailbox_page_is_a_french_400(
    world: World, login: Any, path: str
) -> None:
    """A page number past the bound is a 400 page saying what is expected, not a 500."""
    response = login(world.teacher).get(path, {"page": HUGE, "q": "musee"})
    assert "Numéro de page invalide" in french_page(response, 400)
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/messages/", "/api/v1/messages/envoyes/", "/api/v1/messages/recherche/"]
)
def test_huge_page_number_on_the_api_is_a_json_400(world: World, bearer: Any, path: str) -> None:
    """The API answers a page past the bound with the JSON error shape naming ``page``."""
    response = bearer(world.teacher).get(path, {"page": HUGE, "q": "musee"})
    assert response.status_code == 400
    assert "page" in error_of(response)["fields"]
    assert not Message.objects.exists()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "²", "٣", "100001"])
def test_page_number_out_of_bounds_or_not_a_number_is_400(
    world: World, login: Any, value: str
) -> None:
    """Only ASCII numbers from 1 to the bound are page numbers; the rest is a 400."""
    assert login(world.pupil).get("/messagerie/", {"page": value}).status_code == 400
    assert login(world.pupil).get("/messagerie/", {"page": "2"}).status_code == 200


@pytest.mark.parametrize("value", OUT_OF_RANGE_DATES)
@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("pupil", "/emploi-du-temps/"),
        ("teacher", "/emploi-du-temps/jour/"),
        ("parent", "/emploi-du-temps/famille/"),
        ("admin", "/emploi-du-temps/cours/"),
        ("pupil", "/cahier-de-textes/classe/{class_4b}/charge/"),
    ],
)
def test_date_out_of_bounds_on_a_timetable_page_is_a_french_400(
    world: World, login: Any, course: Course, persona: str, path: str, value: str
) -> None:
    """A date outside 1900–2200 on a week, day, family, courses or work-load page is a 400
    page naming the expected format, not an ``OverflowError``."""
    url = path.format(class_4b=world.class_4b.pk)
    response = login(world.persona(persona)).get(url, {"date": value})
    assert "Date invalide" in french_page(response, 400)
    assert login(world.persona(persona)).get(url, {"date": "2026-11-23"}).status_code == 200


def test_date_out_of_bounds_on_the_week_api_is_a_json_400(world: World, bearer: Any) -> None:
    """``/api/v1/emploi-du-temps/semaine/?date=9999-12-31``: JSON 400 naming ``date``."""
    for value in OUT_OF_RANGE_DATES:
        response = bearer(world.pupil).get("/api/v1/emploi-du-temps/semaine/", {"date": value})
        assert response.status_code == 400
        assert "date" in error_of(response)["fields"]
    ok = bearer(world.pupil).get("/api/v1/emploi-du-temps/semaine/", {"date": "2026-11-23"})
    assert ok.status_code == 200 and ok.json()["monday"] == "2026-11-23"


@pytest.mark.parametrize("value", OUT_OF_RANGE_DATES)
def test_slot_page_with_a_date_out_of_bounds_is_404(
    world: World, login: Any, course: Course, value: str
) -> None:
    """``seance/<course>/<date>/`` with a date no school day can have: 404, no lesson."""
    response = login(world.teacher).get(f"/cahier-de-textes/seance/{course.pk}/{value}/")
    french_page(response, 404)
    assert not course.lessons.exists()  # type: ignore[attr-defined]


@pytest.mark.parametrize("field", ["since", "until"])
def test_security_log_dates_out_of_bounds_are_form_errors(
    world: World, login: Any, field: str
) -> None:
    """The security log's ``since``/``until`` outside 1900–2200: the form says so, the log
    shows unfiltered (no ``OverflowError``)."""
    response = login(world.admin).get("/comptes/journal/", {field: "9999-12-31"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == ["La date doit être comprise entre 1900 et 2200."]


@pytest.mark.parametrize("target", [f"p:{HUGE}", "p:²", "p:٣", f"c:{HUGE}", "p:0", "p:-1", "p:1e9"])
def test_compose_with_an_impossible_recipient_id_is_not_a_500(
    world: World, login: Any, target: str
) -> None:
    """``/messagerie/ecrire/?a=p:<huge>`` (or a non-ASCII digit): the form opens without that
    recipient and says it is unknown; nothing is written."""
    response = login(world.teacher).get("/messagerie/ecrire/", {"a": target})
    assert response.status_code == 200
    assert target not in response.context["form"].initial.get("targets", [])
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/messages/destinataires/", {"q": "ab\x00cd"}),
        ("/api/v1/messages/recherche/", {"q": "ab\x00cd"}),
        ("/api/v1/messages/", {"page\x00": "1"}),
    ],
)
def test_nul_byte_in_an_api_query_is_a_json_400(
    world: World, bearer: Any, path: str, params: dict[str, str]
) -> None:
    """A NUL byte in a query string is refused at the edge (PostgreSQL would raise
    ``DataError``), in the JSON error shape."""
    response = bearer(world.teacher).get(path, params)
    assert response.status_code == 400
    assert error_of(response)["fields"]


def test_nul_byte_in_a_page_query_or_form_is_a_french_400(world: World, login: Any) -> None:
    """NUL in a page's query string or a posted form: the French 400 page, nothing sent."""
    client = login(world.teacher)
    french_page(client.get("/messagerie/recherche/", {"q": "a\x00b"}), 400)
    response = client.post(
        "/messagerie/ecrire/",
        {"targets": f"p:{world.pupil.pk}", "subject": "Sortie\x00", "body": "x", "action": "send"},
    )
    assert "Caractère nul interdit" in french_page(response, 400)
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "body", ['{"subject": "a\\u0000b"}', '{"subject": "a\\\\\\u0000"}', '["\\u0000"]']
)
def test_nul_escape_in_a_json_string_is_a_json_400(world: World, bearer: Any, body: str) -> None:
    """A ``\\u0000`` escape in a JSON string is refused at the edge; nothing is saved."""
    response = bearer(world.teacher).post(
        "/api/v1/messages/brouillons/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"body": ["Caractère nul interdit dans « body »."]}
    assert not Message.objects.exists()


def test_escaped_backslash_before_u0000_text_is_not_a_nul(world: World, bearer: Any) -> None:
    """``"\\\\u0000"`` is a backslash then the text u0000, not a NUL: it is accepted."""
    response = bearer(world.teacher).post(
        "/api/v1/messages/brouillons/",
        data='{"subject": "a\\\\u0000", "body": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Message.objects.get().subject == "a\\u0000"


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_a_json_400(world: World, bearer: Any, depth: int) -> None:
    """JSON nested deeper than 32 levels is a 400 in the error shape, not a
    ``RecursionError``; nothing is saved."""
    body = '{"subject": ' + "[" * depth + "]" * depth + "}"
    response = bearer(world.teacher).post(
        "/api/v1/messages/brouillons/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "body": ["Le JSON envoyé est imbriqué sur plus de 32 niveaux."]
    }
    assert not Message.objects.exists()


def test_anonymous_cas1_validate_of_an_unknown_ticket_kind_says_no(client: Any, db: Any) -> None:
    """Anonymous ``/cas/validate?ticket=foo``: the CAS 1 refusal ``no\\n\\n``, logged once."""
    response = client.get("/cas/validate", {"service": "https://cantine.example/", "ticket": "foo"})
    assert response.status_code == 200
    assert response.content == b"no\n\n"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.TICKET_REFUSED)
    assert event.data["endpoint"] == "validate" and event.data["ticket_prefix"] == "foo"


@pytest.mark.parametrize("method", ["get", "delete", "post"])
def test_api_url_that_matches_nothing_is_a_json_404(world: World, bearer: Any, method: str) -> None:
    """``DELETE /api/v1/me/sessions/abc`` (and any /api/ URL that matches nothing) answers
    the JSON error shape, not the HTML 404 page; no session is touched."""
    client = bearer(world.teacher)
    response = getattr(client, method)("/api/v1/me/sessions/abc")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert getattr(client, method)("/api/v2/nothing/").status_code == 404
    from ostal.accounts.models import TrackedSession

    assert not TrackedSession.objects.exists()


def test_page_bounds_and_dates_stay_wide_enough_for_school_use(world: World, login: Any) -> None:
    """Dates in 1900–2200 and the next weeks of today are all served (bounds are wide)."""
    today = timezone.localdate()
    client = login(world.pupil)
    for day in (date(1900, 1, 1), date(2200, 12, 31), today + timedelta(weeks=52)):
        assert client.get("/emploi-du-temps/", {"date": day.isoformat()}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", f"/api/v1/messages/{HUGE}/ranger/"),
        ("get", f"/api/v1/messages/{HUGE}/"),
        ("get", f"/messagerie/message/{HUGE}/"),
        ("get", f"/cahier-de-textes/classe/{HUGE}/charge/"),
    ],
)
def test_id_in_a_path_past_a_64_bit_key_is_404(
    world: World, bearer: Any, method: str, path: str
) -> None:
    """An id in a URL that no 64-bit key can hold is a 404 (the URL does not match), not
    an integer overflow in the database; nothing is moved."""
    client = bearer(world.teacher)
    client.force_login(world.teacher, backend="django.contrib.auth.backends.ModelBackend")
    response = getattr(client, method)(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert error_of(response)["code"] == "not_found"
    assert not Message.objects.exists()
