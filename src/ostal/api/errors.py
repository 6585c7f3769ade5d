"""One error shape for the whole API.

``{"error": {"status": 404, "code": "not_found", "message": "…", "fields": {…}}}`` — the
message is French and meant for people; ``fields`` appears for validation errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    400: _("La requête est invalide."),
    401: _("Authentification requise."),
    403: _("Vous n'avez pas le droit d'effectuer cette action."),
    404: _("Ressource introuvable."),
    405: _("Méthode non autorisée."),
    429: _("Trop de requêtes : réessayez plus tard."),
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
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
