"""The OpenAPI schema documents every answer (rule: a client reading ``/api/schema/`` knows
each status an operation may return, and errors have one shape, ``api/errors.py``).

A drf-spectacular postprocessing hook adds, to each operation that does not declare them,
the error answers every API call can give: 400 (a value refused: query parameter, body,
NUL byte at the edge), 401 (no or bad credentials), 403 (not allowed, or a second factor
still owed), 404 (missing or not visible: both are the same answer), and 415 for an
operation that reads a body (a content type it cannot parse).
"""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}

DESCRIPTIONS = {
    "400": "Requête invalide (paramètre, corps ou caractère refusé).",
    "401": "Authentification requise.",
    "403": "Action non autorisée.",
    "404": "Ressource introuvable (ou non visible).",
    "406": "L'en-tête Accept ne demande aucun type que l'API sait produire (JSON).",
    "415": "Type de contenu non pris en charge.",
}

ERROR_BODY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {}},
    },
    "required": ["status", "code", "message"],
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"error": {"$ref": "#/components/schemas/ErrorBody"}},
    "required": ["error"],
}

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def document_errors(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the error answers of every operation, in the one error shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ERROR_BODY_SCHEMA)
    schemas.setdefault("Error", ERROR_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            # 406: content negotiation refuses an Accept header that names no JSON type.
            statuses = ["400", "401", "403", "404", "406"]
            if "requestBody" in operation:
                statuses.append("415")
            for status in statuses:
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return result
