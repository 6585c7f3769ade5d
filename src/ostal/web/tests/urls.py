"""A test-only URLconf: the site's URLs plus two pages that measure the shell (issue 24).

* ``/_banc/vide/``: the empty authenticated view, the benchmarks' floor — the same
  middleware as every page, but no template: the session and the user, two queries;
* ``/_banc/coquille/``: the shell alone — ``base.html`` with nothing in it, so its queries
  minus the floor's are the shell's (menu, switchers, unread counter, freeze banner,
  deployment gate).

Used by ``web/tests/test_shell_queries.py`` and the page benchmarks under ``bench/``
(``@pytest.mark.urls("ostal.web.tests.urls")``); never mounted in the site.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ostal import urls as site_urls


@login_required
def empty(request: HttpRequest) -> HttpResponse:
    # The audience event is recorded without a school: reading the active school is the
    # shell's work, which the floor leaves out.
    request.active_school = None  # type: ignore[attr-defined]
    return HttpResponse(f"{request.user.pk}", content_type="text/plain")


@login_required
def shell_only(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


urlpatterns = [
    path("_banc/vide/", empty, name="bench_empty"),
    path("_banc/coquille/", shell_only, name="bench_shell"),
    *site_urls.urlpatterns,
]

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = getattr(site_urls, "handler500", "django.views.defaults.server_error")
