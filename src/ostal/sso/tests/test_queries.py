"""Query budgets of the hot paths: issuing a ticket and validating it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.sso.tests.conftest import SERVICE

pytestmark = pytest.mark.django_db


def test_query_counts(client: Any, login: Any, people: Any, services: Any) -> None:
    """Issuing and validating a ticket stay within a fixed number of queries."""
    login(people.pupil)
    url = "/cas/login?" + urlencode({"service": SERVICE})
    client.get(url)
    with CaptureQueriesContext(connection) as issued:
        response = client.get(url)
    ticket = parse_qs(urlsplit(response["Location"]).query)["ticket"][0]
    service = type(client)()
    with CaptureQueriesContext(connection) as validated:
        service.get("/cas/p3/serviceValidate", {"service": SERVICE, "ticket": ticket})
    # Measured: 17 (session, registry, person, CAS user ×2, filter, attributes ×4, ticket
    # insert + update, user update, TICKET_ISSUED, shell). Validation: 4 (ticket select +
    # update, pattern, CAS user), no write beyond django-cas-server's own.
    assert len(issued.captured_queries) <= 20, issued.captured_queries
    assert len(validated.captured_queries) <= 5, validated.captured_queries
