from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ostal.web.navigation import services_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's shell reads. The names are the shell's own (``menu_services``, not
    ``services``) so that a page's context cannot replace the menu by reusing one."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.OSTAL_SITE_NAME,
        "menu_services": services_for(user),
        "ostal": getattr(request, "ostal", None),
    }
