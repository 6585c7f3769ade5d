from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ostal.web.navigation import services_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.OSTAL_SITE_NAME,
        "services": services_for(user),
        "ostal": getattr(request, "ostal", None),
    }
