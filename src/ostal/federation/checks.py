"""Deploy check ``ostal.W010``: federated login needs its key pair, certificate and URL.

Embedded mode generates a self-signed pair on first use; production must be given the
pair whose certificate the identity providers know (docs/federation.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def saml_sp_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for name in ("OSTAL_SAML_KEY_FILE", "OSTAL_SAML_CERT_FILE"):
        path = Path(getattr(settings, name))
        if not path.is_file():
            problems.append(
                Warning(
                    f"{name} ({path}) n'existe pas : la connexion ÉduConnect et par les "
                    "portails académiques est indisponible.",
                    hint="Fournissez la clé et le certificat du fournisseur de service SAML "
                    "(docs/federation.md).",
                    id="ostal.W010",
                )
            )
    if not str(settings.OSTAL_SAML_BASE_URL).startswith("https://"):
        problems.append(
            Warning(
                "OSTAL_SAML_BASE_URL doit être l'adresse publique https de l'ENT "
                "(identifiant SAML du fournisseur de service).",
                id="ostal.W010",
            )
        )
    return problems
