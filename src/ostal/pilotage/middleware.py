"""The deployment gate: users of a school with no current deployment order see a clear page
instead of the services (issue 7 §3). Off with ``PILOTAGE_DEPLOYMENT_GATE=False``."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ostal.pilotage.deployment import school_is_open


class DeploymentGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PILOTAGE_DEPLOYMENT_GATE:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_staff
            or request.path.startswith(tuple(settings.PILOTAGE_GATE_EXEMPT_PREFIXES))
        ):
            return self.get_response(request)
        school = getattr(request, "ostal", None) and request.ostal.school  # type: ignore[attr-defined]
        if school is None or school_is_open(school):
            return self.get_response(request)
        response = render(request, "pilotage/not_deployed.html", {"school": school}, status=200)
        response["X-Ostal-Deployment"] = "closed"
        return response
