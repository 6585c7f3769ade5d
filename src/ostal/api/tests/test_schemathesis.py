"""The API keeps the promises of its OpenAPI schema (issue 14, item 5): schemathesis reads
``/api/schema/``, generates valid and invalid calls for every operation and fails on any
5xx or any status the schema does not document.

Bounded: a few examples per operation and mode, through the WSGI app in the test's own
database transaction (no live server), authenticated with a bearer token, so the run takes
well under 90 s on SQLite and runs on PostgreSQL too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from ostal.conftest import World
from ostal.directory.models import Subject
from ostal.timetable.tests.conftest import make_course

EXAMPLES_PER_MODE = 4
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The WSGI app, keeping the test's database connection across requests (as Django's
    test client does: the handler would close it at each request's end, which ends the
    test's transaction on PostgreSQL)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["teacher", "parent", "pupil"])
def test_every_api_operation_answers_documented_statuses_and_no_5xx(
    world: World, bearer: Any, wsgi_app: Any, persona: str
) -> None:
    """Every operation of ``/api/schema/``, called with generated valid and invalid data by
    a teacher's, a parent's or a pupil's bearer token, answers only statuses its schema
    documents, never a 5xx."""
    maths = Subject.objects.get(code="061300")
    make_course(world, weekday=1, start="08:00", end="09:00", subject=maths)
    authorization = bearer(world.persona(persona)).defaults["HTTP_AUTHORIZATION"]
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 50
    called: list[str] = []

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_MODE,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                case.call_and_validate(headers={"Authorization": authorization}, checks=CHECKS)
                called.append(case.operation.label)

            check()

    assert {op.label for op in operations} <= set(called)
