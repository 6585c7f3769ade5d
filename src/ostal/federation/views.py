"""Federated login pages: start (``/saml2/login/<idp>/``), assertion consumer (``acs/``),
account choice, the "where are you from" page and the SP metadata.

The SAML protocol is djangosaml2's (its views are subclassed, not copied); Ostal adds:
identity providers named by registry key, local-path-only redirects (``next`` and
``RelayState``), the mapping to existing accounts (``FederationBackend``), the choice
among several proved accounts, French pages for every refusal, and the security log.

djangosaml2 keeps the outstanding requests in its own session cookie (SameSite=None, so
that the identity provider's cross-site POST to the ACS carries it); its middleware is
applied to these views only (``saml_session``), not to the whole site.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from djangosaml2 import views as saml_views
from djangosaml2.middleware import SamlSessionMiddleware
from saml2.config import SPConfig

from ostal.accounts.gate import charter_owed, charter_url
from ostal.directory.models import Person
from ostal.federation.config import entity_id_of, entity_ids, sp_config
from ostal.federation.keys import FederationUnavailable
from ostal.federation.redirects import after_login_path
from ostal.federation.registry import (
    AGENTS,
    EDUCONNECT,
    IdentityProvider,
    identity_providers,
    provider_get,
)
from ostal.federation.selectors import accounts_for_assertion
from ostal.federation.services import federated_login, federated_refusal_record

logger = logging.getLogger(__name__)

saml_session = decorator_from_middleware(SamlSessionMiddleware)

# The accounts an assertion proved, waiting for the person's choice (main session).
PENDING_KEY = "ostal_federation_pending"
PENDING_SECONDS = 600


class NoAccount(PermissionDenied):
    """The assertion is valid but proves no Ostal account that may log in."""

    def __init__(self, provider: IdentityProvider) -> None:
        super().__init__(provider.key)
        self.provider = provider


def unavailable(request: HttpRequest, provider: IdentityProvider | None) -> HttpResponse:
    return render(request, "federation/unavailable.html", {"provider": provider}, status=503)


def next_after_login(person: Person, path: str) -> str:
    """Where to go once logged in: the charter first if it was never accepted (or an
    older version was), which then continues to ``path``."""
    if charter_owed(person):
        try:
            return charter_url(path)
        except NoReverseMatch:  # account-life pages not installed
            pass
    return path


class FederatedLoginView(saml_views.LoginView):
    """Send the browser to the identity provider with a signed AuthnRequest."""

    post_binding_form_template = "federation/post_binding_form.html"
    _conf: SPConfig | None = None

    def get_sp_config(self, request: HttpRequest) -> SPConfig:
        return self._conf if self._conf is not None else sp_config(request)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = provider_get(kwargs["idp"])
        if provider is None:
            raise Http404
        if not provider.is_available:
            return unavailable(request, provider)
        try:
            self._conf = sp_config(request)
            entity_id = entity_id_of(self._conf, provider)
        except FederationUnavailable:
            logger.exception("SAML configuration unusable")
            return unavailable(request, provider)
        if entity_id is None:
            return unavailable(request, provider)
        wanted = request.GET.get("next") or request.GET.get("RelayState")
        query = QueryDict(mutable=True)
        query["idp"] = entity_id
        query["next"] = after_login_path(wanted, secure=request.is_secure())
        # Only these two reach djangosaml2 (no ``scoping``/``idphint`` from the URL).
        request.GET = query  # type: ignore[assignment]  # djangosaml2 reads request.GET
        self.provider = provider
        response: HttpResponse = super().get(request)
        return response


class FederatedAcsView(saml_views.AssertionConsumerServiceView):
    """Receive the identity provider's response; log in, ask to choose, or refuse."""

    _conf: SPConfig | None = None
    _redirect: str = ""

    def get_sp_config(self, request: HttpRequest) -> SPConfig:
        return self._conf if self._conf is not None else sp_config(request)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self._conf = sp_config(request)
            self._entities = entity_ids(self._conf)
        except FederationUnavailable:
            logger.exception("SAML configuration unusable")
            return unavailable(request, None)
        response: HttpResponse = super().post(request)
        return response

    def handle_acs_failure(
        self,
        request: HttpRequest,
        exception: Exception | None = None,
        status: int = 403,
        **kwargs: Any,
    ) -> HttpResponse:
        provider = exception.provider if isinstance(exception, NoAccount) else None
        reason = "no_account" if provider is not None else type(exception).__name__
        federated_refusal_record(
            request=request, reason=reason, provider=provider, detail=str(exception or "")
        )
        return render(
            request,
            "federation/refused.html",
            {"provider": provider, "no_account": provider is not None},
            status=403,
        )

    def authenticate_user(
        self,
        request: HttpRequest,
        session_info: dict[str, Any],
        attribute_mapping: Any,
        create_unknown_user: Any,
        assertion_info: Any,
    ) -> Person | None:
        provider = self._entities.get(session_info["issuer"])
        if provider is None:  # metadata trusted but not in the registry: refuse
            raise PermissionDenied("unregistered identity provider")
        attributes = {
            str(name): [str(v) for v in values] for name, values in session_info["ava"].items()
        }
        candidates = accounts_for_assertion(provider=provider, attributes=attributes)
        if not candidates:
            raise NoAccount(provider)
        path = after_login_path(request.POST.get("RelayState"), secure=request.is_secure())
        if len(candidates) > 1:
            request.session[PENDING_KEY] = {
                "idp": provider.key,
                "attributes": attributes,
                "accounts": [p.pk for p in candidates],
                "next": path,
                "at": time.time(),
            }
            self._redirect = reverse("federation:account_choice")
            return None
        person = auth.authenticate(
            request, federated_idp=provider.key, federated_attributes=attributes
        )
        if not isinstance(person, Person):
            raise NoAccount(provider)
        federated_login(request=request, person=person, provider=provider)
        saml_views._set_subject_id(request.saml_session, session_info["name_id"])  # type: ignore[attr-defined]
        self._redirect = next_after_login(person, path)
        return person

    def custom_redirect(self, user: Any, relay_state: str, session_info: Any) -> str:
        # Always ours: djangosaml2's own RelayState check would accept absolute URLs.
        return self._redirect or after_login_path(None)


class FederatedMetadataView(saml_views.MetadataView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request, *args, **kwargs)
        except FederationUnavailable:
            logger.exception("SAML configuration unusable")
            return HttpResponse(
                _("Métadonnées SAML indisponibles."), status=503, content_type="text/plain"
            )
        return response


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


def _accounts(ids: list[int]) -> list[Person]:
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids)
        .select_related("source")
        .prefetch_related("affiliations__school", "children_links__pupil__affiliations__school")
    }
    return [people[pk] for pk in ids if pk in people]


@require_http_methods(["GET", "POST"])
def account_choice(request: HttpRequest) -> HttpResponse:
    """Several accounts proved by one assertion: the person picks one of them."""
    pending = _pending(request)
    if pending is None:
        return render(request, "federation/choice_expired.html", status=400)
    provider = provider_get(str(pending["idp"]))
    if provider is None:
        request.session.pop(PENDING_KEY, None)
        raise Http404
    ids = [int(pk) for pk in pending["accounts"]]
    error = ""
    if request.method == "POST":
        try:
            chosen = int(request.POST.get("account", ""))
        except ValueError:
            chosen = 0
        if chosen in ids:
            person = auth.authenticate(
                request,
                federated_idp=provider.key,
                federated_attributes=pending["attributes"],
                federated_choice=chosen,
            )
            request.session.pop(PENDING_KEY, None)
            if not isinstance(person, Person):
                federated_refusal_record(request=request, reason="no_account", provider=provider)
                return render(
                    request,
                    "federation/refused.html",
                    {"provider": provider, "no_account": True},
                    status=403,
                )
            federated_login(request=request, person=person, provider=provider, among=len(ids))
            return HttpResponseRedirect(next_after_login(person, str(pending["next"])))
        error = _("Choisissez l'un des comptes proposés.")
    return render(
        request,
        "federation/account_choice.html",
        {"provider": provider, "accounts": _accounts(ids), "error": error},
        status=400 if error else 200,
    )


@require_GET
def wayf(request: HttpRequest) -> HttpResponse:
    """« D'où venez-vous ? »: the way in, by profile and académie."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    providers = identity_providers()
    next_path = after_login_path(request.GET.get("next"), secure=request.is_secure())
    return render(
        request,
        "federation/wayf.html",
        {
            "educonnect": [p for p in providers if p.kind == EDUCONNECT],
            "agents": [p for p in providers if p.kind == AGENTS],
            "next": next_path,
            "next_query": urlencode({"next": next_path}),
        },
    )


login_start = cast(Callable[..., HttpResponse], saml_session(FederatedLoginView.as_view()))
assertion_consumer = cast(Callable[..., HttpResponse], saml_session(FederatedAcsView.as_view()))
metadata = FederatedMetadataView.as_view(config_loader_path="ostal.federation.config.sp_config")
