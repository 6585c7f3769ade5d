"""The OIDC provider's own pages on top of django-oauth-toolkit: the consent page (French,
accessible; skipped for first-party applications), and token introspection limited to the
calling application's own tokens."""

from __future__ import annotations

import calendar
import hashlib
import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.scopes import get_scopes_backend
from oauth2_provider.views import AuthorizationView as DotAuthorizationView
from oauth2_provider.views import ConnectDiscoveryInfoView as DotDiscoveryView
from oauth2_provider.views import UserInfoView as DotUserInfoView
from oauthlib.common import Request as OauthlibRequest

from ostal.accounts.gate import pending_step_url
from ostal.directory.identity import person_identifier
from ostal.oidc.models import Client
from ostal.oidc.services import authorization_grant_record


def csp_source(uri: str) -> str:
    """The CSP source matching ``uri``: its origin, or ``scheme:`` for a private-use one."""
    parts = urlsplit(uri)
    if not parts.netloc:
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


@method_decorator(never_cache, name="dispatch")
class AuthorizationView(DotAuthorizationView):
    """``/o/authorize/``: DOT's authorization endpoint with Ostal's consent page.

    Anonymous people are sent to ``accounts:login`` with ``next`` = this local path; a
    session that must still pass a step (second factor) is sent there first. An invalid
    client or a redirect URI that is not registered gets an error page here, never a
    redirect.
    """

    template_name = "oidc/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The session gate middleware already does this; the authorization endpoint asks
        # again itself, so no code is ever issued to a session that owes a second factor.
        if request.user.is_authenticated and (step := pending_step_url(request)):
            if request.method == "GET":
                step = f"{step}?{urlencode({'next': request.get_full_path()})}"
            return redirect(step)
        return super().dispatch(request, *args, **kwargs)

    def error_response(self, error: Any, application: Any, **kwargs: Any) -> HttpResponse:
        # DOT redirects errors found before it knew the application with the global
        # schemes (https): a mobile app's private-use scheme would then crash the
        # redirect. Errors that redirect at all come after oauthlib validated the client
        # and its registered redirect URI, so the client's own schemes apply.
        if application is None and (client_id := error.oauthlib_error.client_id):
            application = Client.objects.filter(client_id=client_id).first()
        return super().error_response(error, application, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        described = get_scopes_backend().get_all_scopes()
        context["scope_items"] = [
            (scope, described.get(scope, scope)) for scope in context.get("scopes") or []
        ]
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if not context.get("error") and (uri := context.get("redirect_uri")):
            # The consent form posts here and is answered by a redirect to the client;
            # browsers hold that redirect to the CSP form-action list, so the (validated,
            # registered) redirect URI's origin joins it on this page only.
            response._csp_update = {"form-action": [csp_source(uri)]}  # type: ignore[attr-defined]
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        # The hidden fields come back from the browser: an unknown client gets the error
        # page (DOT would look it up with .get() and fail).
        if not Client.objects.filter(client_id=form.cleaned_data["client_id"]).exists():
            return self.render_to_response(
                {"error": {"error": "invalid_client", "description": ""}}, status=400
            )
        return super().form_valid(form)

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict[str, Any], allow: bool
    ) -> Any:
        result = super().create_authorization_response(request, scopes, credentials, allow)
        # Reached only when a code was issued (a refusal or an error raises).
        client = Client.objects.get(client_id=credentials["client_id"])
        authorization_grant_record(
            person=request.user,  # type: ignore[arg-type]
            client=client,
            scopes=scopes.split() if isinstance(scopes, str) else list(scopes),
            consent=(
                "first_party"
                if client.first_party
                else ("explicit" if request.method == "POST" else "remembered")
            ),
            request=request,
        )
        return result


class UserInfoView(DotUserInfoView):
    """``/o/userinfo/``; the access token travels in the header (or a POST body), never in
    the URL (RFC 9700 §4.3.2: DOT enforces it for resources but not here)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "access_token" in request.GET:
            response = JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "Access tokens are not accepted in the URL.",
                },
                status=400,
            )
            response["WWW-Authenticate"] = 'Bearer error="invalid_request"'
            return response
        return super().dispatch(request, *args, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class IntrospectView(View):
    """RFC 7662 introspection for confidential clients, about *their own* tokens only
    (DOT's view answers any authenticated client about any token)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        core = get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OauthlibRequest(uri, method, body, headers)
        validator = core.server.request_validator
        if not validator.authenticate_client(oauth_request) or oauth_request.client is None:
            response = JsonResponse(
                {"error": "invalid_client", "error_description": _("Client non authentifié.")},
                status=401,
            )
            response["WWW-Authenticate"] = 'Basic realm="oidc"'
            return response
        value = request.POST.get("token")
        if not value:
            return JsonResponse({"error": "invalid_request"}, status=400)
        token = (
            get_access_token_model()
            .objects.select_related("user", "application")
            .filter(
                token_checksum=hashlib.sha256(value.encode("utf-8")).hexdigest(),
                application=oauth_request.client,
            )
            .first()
        )
        if token is None or not token.is_valid() or not getattr(token.user, "is_active", False):
            return JsonResponse({"active": False})
        return JsonResponse(
            {
                "active": True,
                "scope": token.scope,
                "client_id": token.application.client_id,
                "exp": int(calendar.timegm(token.expires.utctimetuple())),
                "sub": person_identifier(token.user),
                "token_type": "Bearer",
            }
        )


class DiscoveryView(DotDiscoveryView):
    """OpenID Connect discovery, stating only the ID-token algorithm Ostal signs with:
    RS256, the one every client is registered with (DOT also lists HS256, which would
    sign with a client's secret and is never used here)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["id_token_signing_alg_values_supported"] = [Client.RS256_ALGORITHM]
        cors = response.get("Access-Control-Allow-Origin")
        replaced = JsonResponse(data)
        if cors:
            replaced["Access-Control-Allow-Origin"] = cors
        return replaced
