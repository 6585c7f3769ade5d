"""Single logout: when an Ostal session ends, the services it signed into are told."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out

from ostal.sso.services import cas_sessions_end


def on_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    if session_key:
        cas_sessions_end(session_key=session_key)


def connect() -> None:
    user_logged_out.connect(on_logged_out, dispatch_uid="ostal.sso.single_logout")
