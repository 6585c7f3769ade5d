"""One error shape for the whole API.

``{"error": {"status": 404, "code": "not_found", "message": "…", "fields": {…}}}`` — the
message is French and meant for people; ``fields`` appears for validation errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ostal.api.parsers import BodyParseError
from ostal.core.params import BadParameter

MESSAGES = {
    400: _("La requête est invalide."),
    401: _("Authentification requise."),
    403: _("Vous n'avez pas le droit d'effectuer cette action."),
    404: _("Ressource introuvable."),
    405: _("Méthode non autorisée."),
    429: _("Trop de requêtes : réessayez plus tard."),
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, BadParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    elif isinstance(exc, BodyParseError):
        exc = exceptions.ValidationError({"body": [str(exc.detail)]})
    elif isinstance(exc, BadRequest):
        exc = exceptions.ParseError()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    code = getattr(exc, "default_code", "error")
    body: dict[str, Any] = {"status": status, "code": code}
    if isinstance(exc, exceptions.ValidationError):
        body["message"] = str(MESSAGES[400])
        body["fields"] = (
            response.data if isinstance(response.data, dict) else {"non_field": response.data}
        )
    else:
        body["message"] = str(MESSAGES.get(status, getattr(exc, "detail", _("Erreur."))))
    response.data = {"error": body}
    return response


def is_api_request(request: HttpRequest) -> bool:
    """Requests under ``/api/`` are answered in the JSON error shape, never an HTML page."""
    return request.path_info.startswith("/api/")


def error_response(
    status: int, *, fields: dict[str, list[str]] | None = None, code: str | None = None
) -> JsonResponse:
    """The JSON error shape outside DRF views (URL not found, request refused at the edge)."""
    codes = {400: "invalid", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}
    body: dict[str, Any] = {
        "status": status,
        "code": code or codes.get(status, "error"),
        "message": str(MESSAGES.get(status, _("Erreur."))),
    }
    if fields is not None:
        body["fields"] = fields
    return JsonResponse({"error": body}, status=status)
