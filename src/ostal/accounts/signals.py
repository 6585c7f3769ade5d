"""Security events for logins, failures, lockouts and logouts; every interactive login
opens a tracked session (and may announce a new device), every logout closes it."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ostal.accounts.services.security import session_forget, session_track
from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN, request=request, subject=user, username=user.get_username()
    )
    if request is not None:
        session_track(request=request, person=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        security_event_record(
            kind=SecurityEvent.Kind.LOGOUT,
            request=request,
            subject=user,
            username=user.get_username(),
        )
    session = getattr(request, "session", None)
    if session is not None:
        session_forget(session_key=session.session_key)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    username = str(credentials.get("username", ""))
    subject = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, subject=subject, username=username
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None = None, **kw: Any) -> None:
    subject = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(
        kind=SecurityEvent.Kind.LOCKOUT, request=request, subject=subject, username=username or ""
    )
