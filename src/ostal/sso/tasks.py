"""Background jobs of the CAS server: single-logout requests and the periodic purges."""

from __future__ import annotations

import logging

import requests
from cas_server.utils import logout_request
from django.conf import settings
from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

logger = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=30)
def cas_single_logout_send(targets: list[tuple[str, str]]) -> int:
    """POST a SAML ``LogoutRequest`` (``SessionIndex`` = the ticket) to each service.

    Returns how many services answered; failures are logged, never raised (a service that
    is down must not block the others, and the CAS session is already gone).
    """
    done = 0
    with requests.Session() as http:
        for url, ticket in targets:
            try:
                response = http.post(
                    url,
                    data={"logoutRequest": logout_request(ticket)},
                    timeout=settings.CAS_SLO_TIMEOUT,
                    allow_redirects=False,
                )
                done += 1 if response.status_code < 500 else 0
            except requests.RequestException as exc:
                logger.warning("CAS single logout to %s failed: %s", url, exc)
    return done


@db_periodic_task(crontab(minute="*/5"))
@lock_task("cas-clean-tickets")
def cas_clean_tickets_periodic() -> None:
    """Drop expired and used tickets; send the SLO of tickets past their timeout."""
    call_command("cas_clean_tickets")


@db_periodic_task(crontab(minute="7,37"))
@lock_task("cas-clean-sessions")
def cas_clean_sessions_periodic() -> None:
    """End the CAS sessions whose Django session is gone (expired, flushed)."""
    call_command("cas_clean_sessions")
