"""The shell's messaging bits: the freeze banner and the unread counter (cached: no query
on most pages; see ``selectors.unread_count_cached`` and ``freeze_banner``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ostal.messaging.selectors import freeze_banner, unread_count_cached


def messaging(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "profile"):
        return {}
    context = getattr(request, "ostal", None)
    schools = context.schools if context is not None else []
    return {
        "messaging_freeze": freeze_banner(schools),
        "messaging_unread": unread_count_cached(user=user),
    }
