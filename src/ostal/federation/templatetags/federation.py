"""``{% federation_choices next as choices %}``: the federated buttons of the login page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from ostal.federation.redirects import after_login_path
from ostal.federation.registry import EDUCONNECT, identity_providers

register = template.Library()


@register.simple_tag
def federation_choices(next_path: Any = "") -> dict[str, Any]:
    """The EduConnect providers and the (local-only) ``next`` to pass on."""
    return {
        "educonnect": [p for p in identity_providers() if p.kind == EDUCONNECT],
        "next_query": urlencode({"next": after_login_path(str(next_path or ""))}),
    }
