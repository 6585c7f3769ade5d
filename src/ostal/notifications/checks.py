"""Deploy check ``ostal.W030``: the links of the digest mails need the ENT's public https
address (``OSTAL_PUBLIC_URL``), since a background job has no request to take it from."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def public_url_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if str(settings.OSTAL_PUBLIC_URL).startswith("https://"):
        return []
    return [
        Warning(
            "OSTAL_PUBLIC_URL doit être l'adresse publique https de l'ENT : les liens des "
            "courriels de notification (récapitulatif des messages) en dépendent.",
            hint="Par exemple OSTAL_PUBLIC_URL=https://ent.example.fr (docs/notifications.md).",
            id="ostal.W030",
        )
    ]
