"""Writing security events: one function, used by every app (rule: everything that
matters for account safety leaves a trace an admin can read)."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from ostal.core.models import SecurityEvent


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address, read through the trusted proxies as axes reads it
    (``OSTAL_PROXY_COUNT``), so the log and the lockout agree on who tried."""
    if request is None:
        return None
    return get_client_ip_address(request) or None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    subject: Any = None,
    username: str = "",
    data: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event to the security log."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else ""
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        subject=subject if getattr(subject, "pk", None) else None,
        username=username[:150],
        ip_address=client_address(request),
        user_agent=user_agent,
        data=data or {},
    )
