"""The session gate (rules: a session that still owes a second factor reaches nothing but
the second-factor pages; a session closed remotely ends at its next request).

* Every request of a tracked session refreshes its "last seen" at most once every
  ``OSTAL_SESSION_TOUCH_MINUTES``; if the tracked row is gone (closed from another device),
  the session is flushed before the view runs.
* A session that owes a step (``gate.pending_step_url``) is redirected to it with a safe
  local ``next``; JSON API calls get a 403 in the API error shape instead; htmx requests
  an ``HX-Redirect``. Exempt: the step pages themselves, logout (Ostal's and CAS's: a
  session that owes a step can always be ended), the activation and charter pages, a CAS
  ``gateway`` request (the CAS view sends it back to the service without a ticket, CAS 3.0
  §2.1.1: a gateway request never shows a page), health checks and static files.
* A new device cookie chosen at login is set on the response (HttpOnly, SameSite=Lax).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from ostal.accounts.gate import pending_step_url
from ostal.accounts.services.security import NEW_DEVICE_COOKIE_ATTR, session_touch

EXEMPT_VIEWS = frozenset(
    {
        "accounts:mfa_setup",
        "accounts:mfa_verify",
        "accounts:login",
        "accounts:logout",
        "accounts:activate",
        "accounts:activate_finish",
        "accounts:charter",
        "sso:logout",
        "healthz",
        "web:accessibility",
        # the RGPD pages beside the accessibility statement (ostal.administration)
        "rgpd:index",
        "rgpd:processing",
        "rgpd:legal",
        "rgpd:cookies",
    }
)
#: Views exempt only for a CAS ``gateway`` request (the view answers it itself).
GATEWAY_VIEWS = frozenset({"sso:login"})


def is_gateway_request(request: HttpRequest) -> bool:
    """A CAS login with ``gateway`` set (any value but empty or ``False``, as the CAS
    view reads it)."""
    value = request.GET.get("gateway")
    return bool(value) and value != "False"


def safe_next(request: HttpRequest) -> str:
    """Where to go back after the step: this page, if it is a local GET."""
    if request.method != "GET":
        return ""
    target = request.get_full_path()
    return target if target.startswith("/") and not target.startswith("//") else ""


class SessionGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not session_touch(request=request):
            request.session.flush()
            request.user = AnonymousUser()
        response = self.get_response(request)
        cookie = getattr(request, NEW_DEVICE_COOKIE_ATTR, None)
        if cookie:
            response.set_cookie(
                settings.OSTAL_DEVICE_COOKIE_NAME,
                cookie,
                max_age=settings.OSTAL_DEVICE_COOKIE_DAYS * 86400,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if match is not None and match.view_name in GATEWAY_VIEWS and is_gateway_request(request):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        step = pending_step_url(request)
        if step is None:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "error": {
                        "status": 403,
                        "code": "second_factor_required",
                        "message": _("Validez d'abord la double authentification de votre compte."),
                    }
                },
                status=403,
            )
        target = step
        back = safe_next(request)
        if back:
            target = f"{step}?{urlencode({'next': back})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
