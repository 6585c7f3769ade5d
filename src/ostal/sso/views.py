"""CAS endpoints under ``/cas/``: a login bridged to Ostal's own login, validation and proxy
views of django-cas-server (wrapped to log refusals), and a logout without open redirect.

``/cas/login`` never shows django-cas-server's login form. It:
1. refuses (403, French page, no redirect) a ``service`` that no enabled registry entry
   matches, so nothing is ever redirected to an unknown address;
2. sends an anonymous browser to ``accounts:login`` (``next`` = this CAS URL), or back to
   the service without a ticket when ``gateway`` is set;
3. sends a signed-in session that must still pass a step (second factor) to that step;
4. for ``renew``, ends the single sign-on session and asks for credentials again; the
   ticket then says ``isFromNewLogin``;
5. otherwise marks the session as django-cas-server expects (``username``,
   ``authenticated``, the ``cas_server`` ``User`` row) and lets its ``LoginView`` issue the
   ticket — through ``service_login`` below, which checks the registry's scope filter and
   logs ``TICKET_ISSUED``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from cas_server import views as cas_views
from cas_server.models import ServicePattern, ServicePatternException, ServiceTicket, Ticket
from cas_server.models import User as CasUser
from cas_server.utils import update_url
from django.contrib.auth import logout as django_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from lxml import etree

from ostal.accounts.gate import pending_step_url
from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.sso.auth import attributes_memo
from ostal.sso.models import ConnectedService
from ostal.sso.selectors import service_pattern_for_url

RENEW_MARKER = "cas_renew_requested_at"
RENEW_MARKER_TTL = 15 * 60
TICKET_PREFIX_LEN = 10


def _flag(value: str | None) -> bool:
    return bool(value) and value != "False"


def _refused(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    return render(request, "sso/refused.html", {"reason": reason}, status=status)


def _cas_login_url(service: str, renew: bool) -> str:
    params = {"service": service}
    if renew:
        params["renew"] = "true"
    return f"{reverse('sso:login')}?{urlencode(params)}"


class _BridgedLoginView(cas_views.LoginView):  # type: ignore[misc]
    """django-cas-server's login, after Ostal authenticated the session."""

    service_pattern: ServicePattern | None = None
    renewed_by_ostal = False

    def init_get(self, request: HttpRequest) -> None:
        super().init_get(request)
        # Ostal's bridge already handled ``renew`` and ``warn``.
        self.renew = False
        self.renewed = self.renewed_by_ostal
        self.warned = True

    def process_get(self) -> int:
        # No login ticket (LT) for a form that is never shown: the session stays small.
        return int(self.USER_AUTHENTICATED)

    def not_authenticated(self) -> HttpResponse:
        # Never django-cas-server's own form: the session is authenticated by construction.
        return redirect("accounts:login")

    def service_login(self) -> HttpResponse:
        request = self.request
        pattern = self.service_pattern
        assert pattern is not None
        try:
            pattern.check_user(self.user)
        except ServicePatternException:
            security_event_record(
                kind=SecurityEvent.Kind.TICKET_REFUSED,
                request=request,
                subject=request.user,
                username=request.user.get_username(),
                data={"service": self.service, "code": "UNAUTHORIZED_USER"},
            )
            if self.gateway:
                return HttpResponseRedirect(self.service)
            return _refused(
                request, _("Ce service n'est pas ouvert à votre compte ou à votre établissement.")
            )
        ticket = self.user.get_ticket(ServiceTicket, self.service, pattern, renew=self.renewed)
        security_event_record(
            kind=SecurityEvent.Kind.TICKET_ISSUED,
            request=request,
            actor=request.user,
            subject=request.user,
            username=request.user.get_username(),
            data={
                "service": self.service,
                "ticket_prefix": ticket.value[:TICKET_PREFIX_LEN],
                "renew": bool(self.renewed),
            },
        )
        return HttpResponseRedirect(update_url(self.service, {"ticket": ticket.value}))


@never_cache
@require_GET
def cas_login(request: HttpRequest) -> HttpResponse:
    service = request.GET.get("service", "")
    gateway = _flag(request.GET.get("gateway"))
    renew = _flag(request.GET.get("renew"))
    if not service:
        if request.user.is_authenticated:
            return redirect("web:home")
        return redirect("accounts:login")
    pattern = service_pattern_for_url(service)
    if pattern is None:
        security_event_record(
            kind=SecurityEvent.Kind.TICKET_REFUSED,
            request=request,
            username=request.user.get_username() if request.user.is_authenticated else "",
            data={"service": service[:500], "code": "INVALID_SERVICE"},
        )
        return _refused(
            request,
            _(
                "Le service qui vous a envoyé ici n'est pas connu de l'ENT : aucun accès ne lui est "
                "donné."
            ),
        )
    if renew and gateway:
        # CAS 3.0 §2.1.1 leaves both together undefined: renew needs credentials, which a
        # gateway request must not ask for, so go back without a ticket.
        return HttpResponseRedirect(service)

    renewed = False
    if renew:
        marker = request.session.get(RENEW_MARKER)
        fresh = isinstance(marker, int | float) and time.time() - marker < RENEW_MARKER_TTL
        if request.user.is_authenticated and fresh:
            # This session was anonymous when renew was asked: it has just logged in.
            del request.session[RENEW_MARKER]
            renewed = True
        else:
            if request.user.is_authenticated:
                django_logout(request)  # ends the SSO session (single logout included)
            request.session[RENEW_MARKER] = time.time()
            return _to_login(service, renew=True)

    if not request.user.is_authenticated:
        if gateway:
            return HttpResponseRedirect(service)
        return _to_login(service, renew=False)

    step = pending_step_url(request)
    if step is not None:
        if gateway:
            return HttpResponseRedirect(service)
        return redirect(step)

    if _flag(request.GET.get("warn")) and not renewed:
        # CAS 3.0 §2.1.1: with ``warn``, single sign-on must not be transparent.
        if gateway:
            return HttpResponseRedirect(service)
        connected = ConnectedService.objects.filter(service_pattern=pattern).first()
        return render(
            request,
            "sso/warn.html",
            {
                "service_name": connected.name if connected else service,
                "continue_url": _cas_login_url(service, renew=False),
            },
        )

    person = request.user
    session = request.session
    if session.session_key is None:
        session.save()
    for key, value in (
        ("username", person.get_username()),
        ("authenticated", True),
        ("warn", False),
    ):
        if session.get(key) != value:  # write the session only when something changes
            session[key] = value
    cas_user, created = CasUser.objects.get_or_create(
        username=person.get_username(), session_key=session.session_key
    )
    if created or renewed:
        cas_user.last_login = getattr(person, "last_login", None) or timezone.now()
        if renewed:
            cas_user.last_login = timezone.now()
        cas_user.save()
    view = _BridgedLoginView.as_view(service_pattern=pattern, renewed_by_ostal=renewed)
    with attributes_memo():
        response: HttpResponse = view(request)
    return response


def _to_login(service: str, *, renew: bool) -> HttpResponse:
    login = reverse("accounts:login")
    return HttpResponseRedirect(f"{login}?{urlencode({'next': _cas_login_url(service, renew)})}")


@never_cache
@require_GET
def cas_logout(request: HttpRequest) -> HttpResponse:
    """CAS logout: end the Ostal session (single logout follows), then go back to the
    ``service`` (CAS 3) or ``url`` (CAS 2) only if the registry knows it."""
    if request.user.is_authenticated:
        django_logout(request)
    target = request.GET.get("service") or request.GET.get("url") or ""
    if target and service_pattern_for_url(target) is not None:
        return HttpResponseRedirect(target)
    return render(request, "sso/logged_out.html")


# --- Validation (service-to-server calls) -------------------------------------------------

_CODE = re.compile(rb'code="([A-Z_]+)"')


def _cas1_failed(response: HttpResponse) -> str | None:
    return "INVALID_TICKET" if response.content.startswith(b"no") else None


def _cas2_failed(response: HttpResponse) -> str | None:
    content = response.content
    if b"authenticationFailure" not in content and b"proxyFailure" not in content:
        return None
    found = _CODE.search(content)
    return found.group(1).decode() if found else "INVALID_REQUEST"


def _saml_failed(response: HttpResponse) -> str | None:
    content = response.content
    if b':Success"' in content:
        return None
    found = re.search(rb'StatusCode Value="samlp:([A-Za-z]+)"', content)
    return found.group(1).decode() if found else "AuthnFailed"


def _logging_refusals(
    inner: Callable[..., HttpResponse],
    endpoint: str,
    failed: Callable[[HttpResponse], str | None],
    ticket_param: str = "ticket",
    service_param: str = "service",
) -> Callable[[HttpRequest], HttpResponse]:
    """Wrap a django-cas-server validation view: one ``TICKET_REFUSED`` insert per failure,
    nothing added on success (the hot path)."""

    @csrf_exempt
    @never_cache
    def view(request: HttpRequest) -> HttpResponse:
        try:
            response = inner(request)
        except etree.XMLSyntaxError:
            # samlValidate with a body that is not XML: a SAML error, not a server error.
            response = cas_views.SamlValidateError("VersionMismatch").render(request)
        code = failed(response) if response.status_code == 200 else "INVALID_REQUEST"
        if code is not None:
            ticket = request.GET.get(ticket_param, "")
            security_event_record(
                kind=SecurityEvent.Kind.TICKET_REFUSED,
                request=request,
                data={
                    "endpoint": endpoint,
                    "code": code,
                    "service": request.GET.get(service_param, "")[:500],
                    "ticket_prefix": ticket[:TICKET_PREFIX_LEN],
                },
            )
        return response

    return view


def _proxy_view() -> Callable[..., HttpResponse]:
    inner = cas_views.Proxy.as_view()

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with attributes_memo():
            response: HttpResponse = inner(request, *args, **kwargs)
        return response

    return view


def _cas1_validate() -> Callable[..., HttpResponse]:
    """CAS 1 ``/validate``: ``yes\n<user>\n`` or, for any refusal, ``no\n\n`` as the protocol
    writes it — including a ticket that is not a service ticket at all (``ticket=foo``,
    which django-cas-server lets escape as ``Ticket.DoesNotExist``)."""
    inner = cas_views.Validate.as_view()

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = inner(request, *args, **kwargs)
        except Ticket.DoesNotExist:
            response = HttpResponse(b"no\n", content_type="text/plain; charset=utf-8")
        if response.content == b"no\n":
            response.content = b"no\n\n"
        return response

    return view


validate = _logging_refusals(_cas1_validate(), "validate", _cas1_failed)
service_validate = _logging_refusals(
    cas_views.ValidateService.as_view(allow_proxy_ticket=False), "serviceValidate", _cas2_failed
)
proxy_validate = _logging_refusals(
    cas_views.ValidateService.as_view(allow_proxy_ticket=True), "proxyValidate", _cas2_failed
)
p3_service_validate = _logging_refusals(
    cas_views.ValidateService.as_view(allow_proxy_ticket=False),
    "p3/serviceValidate",
    _cas2_failed,
)
p3_proxy_validate = _logging_refusals(
    cas_views.ValidateService.as_view(allow_proxy_ticket=True), "p3/proxyValidate", _cas2_failed
)
proxy = _logging_refusals(
    _proxy_view(), "proxy", _cas2_failed, ticket_param="pgt", service_param="targetService"
)
saml_validate = _logging_refusals(
    cas_views.SamlValidate.as_view(), "samlValidate", _saml_failed, service_param="TARGET"
)
