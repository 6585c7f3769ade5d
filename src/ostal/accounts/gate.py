"""Is a signed-in session complete? The one question every door asks before trusting it.

A password (or a federated login) opens a Django session; some accounts must then still
pass a step (the second factor for admins, see ``docs/permissions.md``) before the session
may be used — for pages, for CAS tickets and for OIDC authorizations alike.
"""

from __future__ import annotations

from django.http import HttpRequest


def pending_step_url(request: HttpRequest) -> str | None:
    """The URL of the step this session must still complete, or ``None`` when complete."""
    return None
