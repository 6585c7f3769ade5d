"""Is a signed-in session complete? The one question every door asks before trusting it.

A password (or a federated login) opens a Django session; some accounts must then still
pass a step (the second factor for admins, see ``docs/accounts-security.md``) before the
session may be used — for pages, for CAS tickets and for OIDC authorizations alike.

The answer for sessions that owe nothing is cached in the session for
``OSTAL_SESSION_TOUCH_MINUTES`` (so pupils' pages cost no query); a session that owes a
step is checked on every request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from ostal.accounts.mfa import mfa_step_for

GATE_KEY = "_ostal_gate_ok"
STEP_URL_NAMES = {"setup": "accounts:mfa_setup", "verify": "accounts:mfa_verify"}


def charter_owed(person: object) -> bool:
    """Must ``person`` (still) accept the charter of use? Never accepted, or an older
    version than the one in force (``OSTAL_CHARTER_VERSION``)."""
    return getattr(person, "charter_accepted_at", None) is None or (
        getattr(person, "charter_version", 0) < settings.OSTAL_CHARTER_VERSION
    )


def charter_outdated(person: object) -> bool:
    """Did ``person`` accept an older charter than the one in force? (A password login
    asks them again; an account that never accepted any was opened without activation —
    an operator's — or accepts it at its first federated login.)"""
    return (
        getattr(person, "charter_accepted_at", None) is not None
        and getattr(person, "charter_version", 0) < settings.OSTAL_CHARTER_VERSION
    )


def charter_url(target: str) -> str:
    """The charter page, continuing to ``target`` (a local path) once accepted."""
    from urllib.parse import urlencode

    url = reverse("accounts:charter")
    return f"{url}?{urlencode({'next': target})}" if target else url


def pending_step_url(request: HttpRequest) -> str | None:
    """The URL of the step this session must still complete, or ``None`` when complete."""
    if not settings.OSTAL_MFA_ENFORCED:
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    session = getattr(request, "session", None)
    cached = session.get(GATE_KEY) if session is not None else None
    ttl = settings.OSTAL_SESSION_TOUCH_MINUTES * 60
    if cached and cached[0] == user.pk and time.time() - cached[1] < ttl:
        return None
    step = mfa_step_for(user)
    if step is None:
        if session is not None:
            session[GATE_KEY] = [user.pk, int(time.time())]
        return None
    if session is not None:
        session.pop(GATE_KEY, None)
    return reverse(STEP_URL_NAMES[step])
