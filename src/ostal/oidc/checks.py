"""Deployment check of the OIDC provider (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def oidc_signing_key(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """In production the ID-token signing key is a managed secret, not a generated file."""
    if settings.PRODUCTION and settings.OSTAL_OIDC_ENABLED and not settings.OSTAL_OIDC_KEY_FILE:
        return [
            Warning(
                "Production profile without OSTAL_OIDC_KEY_FILE: OpenID Connect is off "
                "(no ID token, discovery or JWKS).",
                hint=(
                    "Create an RSA key (openssl genpkey -algorithm RSA -pkeyopt "
                    "rsa_keygen_bits:3072 -out oidc.pem) and set OSTAL_OIDC_KEY_FILE, "
                    "or set OSTAL_OIDC_ENABLED=false."
                ),
                id="ostal.W011",
            )
        ]
    return []
