"""Benchmark: password logins per second per core with the deployed (tuned argon2) hasher,
as a ratio to a bare authenticated view measured in the same run.

Prints (never asserts on time):
* the hasher's cost alone (ms per ``check_password``);
* full logins/s: a POST to the login page through Django's test client and the whole
  middleware stack (axes, rate limits, session, tracked session, device, security event),
  from a browser already known (device cookie);
* requests/s of a bare ``login_required`` view returning a few bytes, same stack, same run;
* the ratio of the two.

The test process is single-threaded, so the figures are per core. Run:
``uv run --frozen pytest -m bench bench/test_bench_login.py -s`` (SQLite or PostgreSQL
through ``DATABASE_URL``). ``OSTAL_BENCH_LOGINS`` sets the number of logins (default 100).
"""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from ostal.directory.models import Person, Profile

PASSWORD = "correct horse battery staple"  # noqa: S105
UA = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@login_required
def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping), path("", include("ostal.urls"))]


@pytest.mark.bench
@pytest.mark.urls(__name__)
def test_bench_logins_per_second(db, settings):
    """Logins/s with the tuned argon2, and the ratio to a bare authenticated view."""
    import ostal.settings as real

    settings.PASSWORD_HASHERS = real.PASSWORD_HASHERS
    settings.OSTAL_LOGIN_RATE_PER_ADDRESS = "1000000/m"
    settings.OSTAL_LOGIN_FAILURES_PER_ADDRESS = "1000000/m"
    logins = int(os.environ.get("OSTAL_BENCH_LOGINS", "100"))
    person = Person.objects.create_user(
        "bench.user", PASSWORD, profile=Profile.TEACHER, last_name="Bench"
    )
    assert person.password.startswith("argon2$argon2id$v=19$m=47104,t=2,p=1$")

    # The hash alone.
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        assert person.check_password(PASSWORD)
    hash_ms = (time.perf_counter() - start) / rounds * 1000

    # Full logins from a known browser (first login sets the device cookie).
    login_url = reverse("accounts:login")
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=UA)
    assert (
        first.post(login_url, {"username": "bench.user", "password": PASSWORD}).status_code == 302
    )
    device_cookie = first.cookies[django_settings.OSTAL_DEVICE_COOKIE_NAME].value
    start = time.perf_counter()
    for _ in range(logins):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=UA)
        client.cookies[django_settings.OSTAL_DEVICE_COOKIE_NAME] = device_cookie
        response = client.post(login_url, {"username": "bench.user", "password": PASSWORD})
        assert response.status_code == 302
    login_s = (time.perf_counter() - start) / logins

    # A bare authenticated view, same stack, same run.
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=UA)
    assert (
        client.post(login_url, {"username": "bench.user", "password": PASSWORD}).status_code == 302
    )
    views = logins * 10
    client.get("/bench/ping/")
    start = time.perf_counter()
    for _ in range(views):
        assert client.get("/bench/ping/").status_code == 200
    view_s = (time.perf_counter() - start) / views

    print(
        f"\nargon2id m=47104 KiB t=2 p=1: {hash_ms:.1f} ms per check_password\n"
        f"full login POST: {1 / login_s:.1f} logins/s per core ({login_s * 1000:.1f} ms)\n"
        f"bare authenticated view: {1 / view_s:.1f} requests/s per core "
        f"({view_s * 1000:.2f} ms)\n"
        f"ratio login / bare view time: {login_s / view_s:.1f} "
        f"(a login costs as much as {login_s / view_s:.0f} page views; "
        f"the hash is {hash_ms / (login_s * 1000):.0%} of a login)"
    )
