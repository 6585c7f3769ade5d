"""Audience events: one per page view, recorded without a database write per request.

Rule (foundation issue §6): every authenticated page view produces an event (service,
school UAI, profile, pseudonymised user) for the usage statistics and the national
audience tag, but the request itself never writes to the database for it. Events are
kept in a small per-process buffer; when the buffer holds ``AUDIENCE_BUFFER_SIZE``
events or is older than ``AUDIENCE_FLUSH_SECONDS``, the whole batch is handed to a
background job that writes it with one ``bulk_create``.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: URL names that are not services (no audience event).
IGNORED_URL_NAMES = frozenset({"healthz", "schema"})

#: The services Ostal has, as the statistics count them: key (stored in each event and
#: exported to the national audience measure) → French label. The one registry: pages,
#: charts and the demo data use these keys only.
AUDIENCE_SERVICES: dict[str, str | Promise] = {
    "portail": _("Portail (accueil, établissement, classes)"),
    "messagerie": _("Messagerie"),
    "cahier-de-textes": _("Cahier de textes"),
    "emploi-du-temps": _("Emploi du temps"),
    "agenda": _("Agenda"),
    "compte": _("Compte et connexion"),
    "notifications": _("Notifications"),
    "pilotage": _("Pilotage"),
    "actualites": _("Actualités"),
    "annuaire": _("Imports de l'annuaire"),
    "connexion-services": _("Connexion aux services (CAS, SAML, OpenID)"),
    "api": _("API"),
}

#: Each URL namespace's service.
NAMESPACE_SERVICES: dict[str, str] = {
    "web": "portail",
    "messaging": "messagerie",
    "homework": "cahier-de-textes",
    "timetable": "emploi-du-temps",
    "agenda": "agenda",
    "accounts": "compte",
    "notifications": "notifications",
    "pilotage": "pilotage",
    "pilotage_api": "pilotage",
    "news": "actualites",
    "feed": "annuaire",
    "sso": "connexion-services",
    "federation": "connexion-services",
    "oauth2_provider": "connexion-services",
    "oidc": "connexion-services",
    "api": "api",
}


def service_label(key: str) -> str:
    """A service's French label; an unknown key (older data) is shown as it was stored."""
    label = AUDIENCE_SERVICES.get(key)
    return str(label) if label is not None else key


@dataclass(frozen=True, slots=True)
class PendingEvent:
    at: datetime
    service: str
    uai: str
    profile: str
    pseudonym: str

    def as_payload(self) -> dict[str, str]:
        return {
            "at": self.at.isoformat(),
            "service": self.service,
            "uai": self.uai,
            "profile": self.profile,
            "pseudonym": self.pseudonym,
        }


def pseudonymise(user_id: Any) -> str:
    """A stable, non-reversible identifier for a user in audience data (keyed HMAC)."""
    key = settings.AUDIENCE_PSEUDONYM_KEY.encode()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


class AudienceBuffer:
    """A thread-safe per-process buffer that hands batches to a flush callable."""

    def __init__(self, flush: Callable[[list[dict[str, str]]], None]) -> None:
        self._flush = flush
        self._events: list[PendingEvent] = []
        self._oldest = 0.0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._events)

    def add(self, event: PendingEvent) -> None:
        batch: list[PendingEvent] | None = None
        with self._lock:
            if not self._events:
                self._oldest = time.monotonic()
            self._events.append(event)
            full = len(self._events) >= settings.AUDIENCE_BUFFER_SIZE
            old = time.monotonic() - self._oldest >= settings.AUDIENCE_FLUSH_SECONDS
            if full or old:
                batch, self._events = self._events, []
        if batch:
            self._flush([e.as_payload() for e in batch])

    def discard(self) -> None:
        """Forget what is buffered (tests only)."""
        with self._lock:
            self._events = []

    def drain(self) -> None:
        """Hand whatever is buffered to the flush callable (at exit, in tests)."""
        with self._lock:
            batch, self._events = self._events, []
        if batch:
            self._flush([e.as_payload() for e in batch])


def _enqueue_batch(batch: list[dict[str, str]]) -> None:
    from ostal.core.tasks import audience_events_write

    try:
        audience_events_write(batch)
    except Exception:  # noqa: BLE001 - statistics must never break the page being served
        logger.exception("audience batch of %d events lost: job queue unavailable", len(batch))


buffer = AudienceBuffer(_enqueue_batch)


def _drain_at_exit() -> None:
    # A worker process that stops hands over what it still holds (not in tests, where
    # jobs run inline and the database is gone by then).
    if not settings.HUEY.get("immediate"):
        _safe_drain()


atexit.register(_drain_at_exit)


def _safe_drain() -> None:
    with contextlib.suppress(Exception):  # at interpreter exit, never raise
        buffer.drain()


def audience_events_bulk_write(*, batch: list[dict[str, str]]) -> int:
    """Write a batch of buffered events in one statement; returns how many were written."""
    from ostal.core.models import AudienceEvent

    rows = [
        AudienceEvent(
            at=datetime.fromisoformat(item["at"]),
            service=item["service"][:40],
            uai=item["uai"][:8],
            profile=item["profile"][:16],
            pseudonym=item["pseudonym"][:64],
        )
        for item in batch
    ]
    AudienceEvent.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def service_of(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    explicit = getattr(match.func, "audience_service", None)
    if explicit:
        return str(explicit)
    if match.url_name in IGNORED_URL_NAMES:
        return None
    return NAMESPACE_SERVICES.get((match.namespace or "").split(":")[0], "portail")


class AudienceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or response.status_code >= 400:
            return response
        service = service_of(request)
        if service is None:
            return response
        school = getattr(request, "active_school", None)
        buffer.add(
            PendingEvent(
                at=timezone.now(),
                service=service,
                uai=getattr(school, "uai", "") or "",
                profile=getattr(user, "profile", "") or "",
                pseudonym=pseudonymise(user.pk),
            )
        )
        return response
