"""Benchmark: CAS ``p3/serviceValidate`` requests per second, as a ratio to a bare
authenticated view measured in the same run, both through Django's test client (the full
middleware stack, no network).

Prints (never asserts on time):
* service tickets issued per second through ``/cas/login`` (the bridge, for information);
* ``p3/serviceValidate`` validations per second (each ticket validated once, with the SDET
  attributes of the service's choice);
* requests per second of a trivial ``login_required`` view for a signed-in session;
* the ratio of the two.

Run: ``uv run --frozen pytest -m bench bench/test_bench_cas.py -s`` (SQLite by default,
PostgreSQL through ``DATABASE_URL``). ``OSTAL_BENCH_CAS_TICKETS`` sets N (default 500).
"""

from __future__ import annotations

import datetime
import os
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cas_server.models import ServiceTicket
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from ostal.conftest import territory, world  # noqa: F401  (fixtures)
from ostal.directory.models import Person
from ostal.sso.models import ConnectedService
from ostal.sso.services import connected_service_create
from ostal.urls import urlpatterns as ostal_urlpatterns

pytestmark = [pytest.mark.bench, pytest.mark.urls("bench.test_bench_cas")]

SERVICE = "https://vie-scolaire.exemple.fr/cas/retour"
N = int(os.environ.get("OSTAL_BENCH_CAS_TICKETS", "500"))


@login_required
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *ostal_urlpatterns]


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def test_cas_service_validate_throughput(world: Any, monkeypatch: Any) -> None:  # noqa: F811
    # Issuing N tickets may take longer than their 60 s validity on a loaded machine: the
    # bench measures validation, not expiry.
    monkeypatch.setattr(ServiceTicket, "VALIDITY", 3600)
    Person.objects.filter(pk=world.pupil.pk).update(
        external_id="AAF-1", birth_date=datetime.date(2012, 3, 4), postal_code="34000"
    )
    connected_service_create(
        actor=None,
        name="Vie scolaire",
        url_pattern=r"^https://vie-scolaire\.exemple\.fr/.*$",
        scope=ConnectedService.Scope.SCHOOL,
        school=world.college,
        released_attributes=[
            "ENTPersonJointure",
            "ENTPersonProfils",
            "ENTPersonStructRattach",
            "ENTEleveClasses",
            "nom",
            "prenom",
            "dateNaissance",
            "codePostal",
            "categories",
        ],
    )
    browser = Client()
    browser.force_login(world.pupil, backend="django.contrib.auth.backends.ModelBackend")
    login_url = "/cas/login?" + urlencode({"service": SERVICE})

    started = time.perf_counter()
    tickets = []
    for _ in range(N):
        response = browser.get(login_url)
        tickets.append(parse_qs(urlsplit(response["Location"]).query)["ticket"][0])
    issued = _rate(N, time.perf_counter() - started)

    service = Client()  # the service's back channel: no session
    for ticket in tickets[:5]:  # warm-up, not counted
        assert (
            b"authenticationSuccess"
            in service.get(
                "/cas/p3/serviceValidate", {"service": SERVICE, "ticket": ticket}
            ).content
        )
    started = time.perf_counter()
    for ticket in tickets[5:]:
        response = service.get("/cas/p3/serviceValidate", {"service": SERVICE, "ticket": ticket})
    validate_rate = _rate(N - 5, time.perf_counter() - started)
    assert b"<cas:ENTPersonJointure>AAF-1</cas:ENTPersonJointure>" in response.content

    for _ in range(5):
        assert browser.get("/bench/bare/").status_code == 200
    started = time.perf_counter()
    for _ in range(N - 5):
        browser.get("/bench/bare/")
    bare_rate = _rate(N - 5, time.perf_counter() - started)

    print(
        f"\nCAS bench ({connection.vendor}, N={N}, Django test client, full middleware):"
        f"\n  tickets issued via /cas/login   {issued:8.0f} /s"
        f"\n  p3/serviceValidate              {validate_rate:8.0f} /s"
        f"\n  bare login_required view        {bare_rate:8.0f} /s"
        f"\n  ratio serviceValidate / bare    {validate_rate / bare_rate:8.2f}"
    )
