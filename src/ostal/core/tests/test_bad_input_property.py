"""Property (issue 14): whatever page numbers, dates, ids and strings a person sends — NUL
bytes, huge or negative numbers, non-ASCII digits, dates far in the past or future, deeply
nested JSON — to the list pages, the forms and the JSON API, the answer is never a 5xx.

Bounded: a few dozen examples per family, no deadline, no example database, so the whole
file stays well under a minute on SQLite."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ostal.conftest import World
from ostal.directory.models import Subject
from ostal.messaging.models import Message
from ostal.timetable.tests.conftest import make_course

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PERSONAS = ["pupil", "parent", "teacher", "admin"]

# Values people (or scripts) put in URLs and forms; each family is a known trap.
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "-1", "9" * 20, "9" * 400, "1e9", "²", "٣", " 1", "0x10", ""]),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-W48-1", "20261123"]),
)
nul_text = st.text(max_size=12).map(lambda s: s[:6] + "\x00" + s[6:])
texts = st.one_of(st.text(max_size=30), nul_text)
ids = st.one_of(
    numbers,
    st.sampled_from(["p:", "c:", "g:", "e:"]).flatmap(lambda kind: numbers.map(lambda n: kind + n)),
)
any_value = st.one_of(numbers, dates, texts, ids)

GET_PAGES = [
    "/messagerie/",
    "/messagerie/envoyes/",
    "/messagerie/brouillons/",
    "/messagerie/corbeille/",
    "/messagerie/recherche/",
    "/messagerie/ecrire/",
    "/messagerie/regles/",
    "/messagerie/gel/",
    "/emploi-du-temps/",
    "/emploi-du-temps/jour/",
    "/emploi-du-temps/famille/",
    "/emploi-du-temps/cours/",
    "/cahier-de-textes/",
    "/cahier-de-textes/classe/{class_4b}/",
    "/cahier-de-textes/classe/{class_4b}/charge/",
    "/comptes/journal/",
    "/api/v1/messages/",
    "/api/v1/messages/envoyes/",
    "/api/v1/messages/corbeille/",
    "/api/v1/messages/brouillons/",
    "/api/v1/messages/recherche/",
    "/api/v1/messages/destinataires/",
    "/api/v1/emploi-du-temps/semaine/",
    "/api/v1/cahier-de-textes/classe/{class_4b}/seances/",
    "/api/v1/pilotage/statistics/",
]
PARAMS = [
    "page", "date", "q", "de", "a", "eleve", "since", "until", "kind", "username",
    "brouillon", "repondre", "repondre_tous", "transferer", "ecole", "jours",
]  # fmt: skip

FORM_POSTS: dict[str, list[str]] = {
    "/messagerie/ecrire/": [
        "targets", "subject", "body", "about_pupil", "draft_id", "reply_to", "query", "action",
    ],
    "/messagerie/dossiers/": ["name"],
    "/messagerie/gel/": ["scope", "reason", "action", "freeze"],
    "/emploi-du-temps/cours/{course}/modifier/": ["day", "kind", "replacement_teacher", "room"],
    "/cahier-de-textes/seance/{course}/2026-11-23/": [
        "title", "content", "audience", "visible_from", "homework_due", "homework_minutes",
    ],
}  # fmt: skip
ACTIONS = st.sampled_from(["search", "send", "save", "add", "unfreeze", "freeze", ""])

JSON_POSTS = [
    ("post", "/api/v1/messages/brouillons/"),
    ("post", "/api/v1/messages/envoyer/"),
    ("post", "/api/v1/messages/dossiers/"),
    ("post", "/api/v1/cahier-de-textes/seances/"),
    ("put", "/api/v1/me/notifications"),
]
JSON_KEYS = [
    "recipients", "subject", "body", "about_pupil", "name", "audience", "date", "title",
    "course", "visible_from", "homework", "due_date", "email_digest",
]  # fmt: skip


def deep(depth: int) -> str:
    """A JSON text nested ``depth`` levels deep (too deep for ``json.dumps`` to write)."""
    return '{"subject": ' + "[" * depth + "]" * depth + "}"


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), any_value, st.integers(-(10**30), 10**30)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(), inner)),
    max_leaves=8,
)


@pytest.fixture
def clients(world: World) -> dict[str, Client]:
    maths = Subject.objects.get(code="061300")
    make_course(world, weekday=1, start="08:00", end="09:00", subject=maths)
    result = {}
    for name in PERSONAS:
        client = Client()
        client.force_login(world.persona(name), backend="django.contrib.auth.backends.ModelBackend")
        result[name] = client
    return result


def no_nul_stored() -> bool:
    """No message subject or body holds a NUL byte (checked in Python: SQLite's LIKE stops
    at a NUL)."""
    return all("\x00" not in m.subject + m.body for m in Message.objects.all())


def _url(world: World, template: str) -> str:
    from ostal.timetable.models import Course

    course = Course.objects.order_by("pk").first()
    return template.format(class_4b=world.class_4b.pk, course=course.pk if course else 0)


def test_list_pages_and_api_never_answer_5xx(world: World, clients: dict[str, Client]) -> None:
    """Any query string on a list page or API list is a 2xx/3xx/4xx, never a 5xx."""

    @BOUNDED
    @given(
        persona=st.sampled_from(PERSONAS),
        path=st.sampled_from(GET_PAGES),
        params=st.dictionaries(st.sampled_from(PARAMS), any_value, max_size=3),
    )
    def check(persona: str, path: str, params: dict[str, str]) -> None:
        response = clients[persona].get(_url(world, path), params)
        assert response.status_code < 500, (persona, path, params)

    check()
    assert no_nul_stored()


def test_forms_never_answer_5xx(world: World, clients: dict[str, Client]) -> None:
    """Any posted form values (NUL, huge ids, far dates) are a page or a 4xx, never a 5xx;
    no NUL byte is ever stored."""

    @BOUNDED
    @given(
        persona=st.sampled_from(PERSONAS),
        path=st.sampled_from(list(FORM_POSTS)),
        data=st.data(),
    )
    def check(persona: str, path: str, data: st.DataObject) -> None:
        fields = data.draw(
            st.dictionaries(st.sampled_from(FORM_POSTS[path]), any_value, max_size=4)
        )
        if "action" in FORM_POSTS[path]:
            fields["action"] = data.draw(ACTIONS)
        response = clients[persona].post(_url(world, path), fields)
        assert response.status_code < 500, (persona, path, fields)

    check()
    assert no_nul_stored()


def test_json_bodies_never_answer_5xx(world: World, clients: dict[str, Client]) -> None:
    """Any JSON body (odd values, NUL escapes, nesting past the limit) sent to the API is a
    2xx or a 4xx in the error shape, never a 5xx."""

    @BOUNDED
    @given(
        persona=st.sampled_from(PERSONAS),
        endpoint=st.sampled_from(JSON_POSTS),
        raw=st.one_of(
            st.dictionaries(st.sampled_from(JSON_KEYS), json_values, max_size=4).map(json.dumps),
            st.integers(min_value=30, max_value=5000).map(deep),
            json_values.map(json.dumps),
        ),
    )
    def check(persona: str, endpoint: tuple[str, str], raw: str) -> None:
        method, path = endpoint
        response = getattr(clients[persona], method)(path, raw, content_type="application/json")
        assert response.status_code < 500, (persona, path, raw[:200])
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}

    check()
    assert no_nul_stored()
