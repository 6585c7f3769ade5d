"""Login, logout, second factor, sessions and the security log (thin views: the rules live
in ``services.security``, ``mfa``, ``selectors`` and ``abilities``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from ostal.accounts import mfa
from ostal.accounts.abilities import may_read_security_log
from ostal.accounts.forms import (
    LoginForm,
    SecondFactorForm,
    SecurityLogFilterForm,
    TotpConfirmForm,
)
from ostal.accounts.gate import charter_outdated, charter_url, pending_step_url
from ostal.accounts.selectors import devices_of, security_events_visible_to, sessions_of
from ostal.accounts.services.security import session_revoke, sessions_revoke_others
from ostal.core.models import SecurityEvent
from ostal.core.params import parse_id
from ostal.core.security import client_address, security_event_record
from ostal.directory.models import Person
from ostal.web.redirects import local_path

LOG_PAGE_SIZE = 50
RECOVERY_SESSION_KEY = "_ostal_recovery_codes"


def safe_local_url(url: str | None) -> str:
    """``url`` if it is a path of this site, else ``""`` (no open redirect via ``next``)."""
    return local_path(url)


def _with_next(url: str, target: str) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode({'next': target})}" if target else url


# --- Login --------------------------------------------------------------------------------


def _address_key(group: str, request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _address_usage(request: HttpRequest, *, failures: bool, increment: bool) -> bool:
    """Has this address reached its limit (all login POSTs, or failed ones)?"""
    rate = (
        settings.OSTAL_LOGIN_FAILURES_PER_ADDRESS
        if failures
        else settings.OSTAL_LOGIN_RATE_PER_ADDRESS
    )
    usage = get_usage(
        request,
        group="ostal.login.failures" if failures else "ostal.login.posts",
        key=_address_key,
        rate=rate,
        increment=increment,
    )
    if usage is None:
        return False
    return bool(usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"])


def locked_response(request: HttpRequest) -> HttpResponse:
    """The same page as an axes lockout, whatever the reason and whether the account exists."""
    return render(request, "accounts/locked.html", status=429)


class _SiteNameMixin:
    """Django's auth views put the request's host (« 127.0.0.1:8000 ») in ``site_name``:
    the pages show the deployment's name (``OSTAL_SITE_NAME``) like every other page."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["site_name"] = settings.OSTAL_SITE_NAME
        return context


class LoginView(_SiteNameMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        too_many = _address_usage(request, failures=False, increment=True)
        if too_many or _address_usage(request, failures=True, increment=False):
            security_event_record(
                kind=SecurityEvent.Kind.LOCKOUT,
                request=request,
                username=str(request.POST.get("username", ""))[:150],
                data={"limit": "address"},
            )
            return locked_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        _address_usage(self.request, failures=True, increment=True)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        target = self.get_redirect_url()
        if charter_outdated(form.get_user()):
            # A newer charter than the one accepted: accepted first, then ``next``.
            target = charter_url(target or reverse(settings.LOGIN_REDIRECT_URL))
            response = HttpResponseRedirect(target)
        step = pending_step_url(self.request)
        if step is not None:
            return HttpResponseRedirect(_with_next(step, target))
        return response

    def get_redirect_url(self) -> str:
        # Django already refuses foreign hosts; also refuse scheme-relative tricks and
        # anything that is not a local path (no open redirect through ``next=``).
        return safe_local_url(super().get_redirect_url())


class LogoutView(_SiteNameMixin, auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


# --- Second factor ------------------------------------------------------------------------


def _next_or_home(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return safe_local_url(target) or reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_or_home(request))
    step = mfa.mfa_step_for(request.user)
    if step == "setup":
        next_url = safe_local_url(request.GET.get("next"))
        return redirect(_with_next(reverse("accounts:mfa_setup"), next_url))
    if step is None:
        return redirect(_next_or_home(request))
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = mfa.mfa_verify(request=request, token=form.cleaned_data["code"])
        if outcome == "ok":
            return redirect(_next_or_home(request))
        if outcome == "wait":
            status = 429
            form.add_error(
                "code",
                _("Code refusé : attendez quelques secondes puis saisissez le code affiché."),
            )
        elif outcome == "throttled":
            status = 429
            form.add_error(
                "code", _("Trop de codes erronés : attendez quelques minutes avant de réessayer.")
            )
        else:
            form.add_error("code", _("Code incorrect ou expiré. Réessayez avec un nouveau code."))
    context = {
        "form": form,
        "next": safe_local_url(request.GET.get("next") or request.POST.get("next")),
    }
    return render(request, "accounts/security/mfa_verify.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    state = mfa.mfa_state(person)
    if not state.offered:
        raise Http404
    next_url = safe_local_url(request.GET.get("next") or request.POST.get("next"))
    if state.enabled:
        if not request.user.is_verified():  # type: ignore[union-attr]
            return redirect(_with_next(reverse("accounts:mfa_verify"), request.get_full_path()))
        if request.method == "POST" and request.POST.get("action") == "disable":
            if mfa.mfa_disable(request=request, person=person):
                messages.success(request, _("La double authentification est désactivée."))
                return redirect("web:account")
            messages.error(
                request, _("La double authentification est obligatoire pour votre compte.")
            )
        return render(request, "accounts/security/mfa_status.html", {"state": state})
    device = mfa.mfa_setup_start(person=person)
    form = TotpConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if mfa._failures(request, increment=False):
            status = 429
            form.add_error(
                "code", _("Trop de codes erronés : attendez quelques minutes avant de réessayer.")
            )
        else:
            code = "".join(form.cleaned_data["code"].split())
            codes = mfa.mfa_setup_confirm(request=request, person=person, device=device, token=code)
            if codes is not None:
                request.session[RECOVERY_SESSION_KEY] = codes
                return redirect(_with_next(reverse("accounts:mfa_recovery_codes"), next_url))
            mfa._failures(request, increment=True)
            security_event_record(
                kind=SecurityEvent.Kind.MFA_FAILED,
                request=request,
                subject=person,
                username=person.username,
                data={"step": "setup"},
            )
            form.add_error(
                "code",
                _(
                    "Ce code ne correspond pas. Vérifiez l'heure du téléphone et saisissez le code affiché."
                ),
            )
    context = {
        "state": state,
        "form": form,
        "qr": mfa.totp_qr_data_uri(device),
        "secret": mfa.totp_secret(device),
        "next": next_url,
    }
    return render(request, "accounts/security/mfa_setup.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    state = mfa.mfa_state(person)
    if not state.enabled:
        raise Http404
    if not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_with_next(reverse("accounts:mfa_verify"), request.get_full_path()))
    if request.method == "POST":
        request.session[RECOVERY_SESSION_KEY] = mfa.recovery_codes_regenerate(
            request=request, person=person
        )
        return redirect("accounts:mfa_recovery_codes")
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    context = {
        "codes": codes,
        "state": state,
        "next": safe_local_url(request.GET.get("next")) or reverse("web:account"),
    }
    return render(request, "accounts/security/mfa_recovery_codes.html", context)


# --- Sessions -----------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    if request.method == "POST":
        if request.POST.get("action") == "revoke_others":
            count = sessions_revoke_others(person=person, request=request)
            messages.success(
                request,
                ngettext(
                    "%(count)d autre session fermée.", "%(count)d autres sessions fermées.", count
                )
                % {"count": count}
                if count
                else _("Aucune autre session n'était ouverte."),
            )
        else:
            session_id = parse_id(request.POST.get("session")) or -1
            current = sessions_of(person=person).filter(
                session_key=request.session.session_key or ""
            )
            if current.filter(pk=session_id).exists():
                messages.error(
                    request, _("Pour fermer la session en cours, utilisez « Se déconnecter ».")
                )
            elif session_revoke(person=person, session_id=session_id, request=request):
                messages.success(request, _("La session a été fermée."))
            else:
                messages.error(request, _("Cette session n'existe plus."))
        return redirect("accounts:sessions")
    context = {
        "sessions": sessions_of(person=person),
        "devices": devices_of(person=person),
        "current_key": request.session.session_key,
    }
    return render(request, "accounts/security/sessions.html", context)


# --- Security log -------------------------------------------------------------------------


@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    if not may_read_security_log(request.user):
        raise Http404
    form = SecurityLogFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = security_events_visible_to(viewer=request.user, **filters)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "accounts/security/log.html", context)
