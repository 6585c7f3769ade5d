"""Retention of connection logs: security events older than the retention period (one year
by default, ``OSTAL_SECURITY_EVENT_RETENTION_DAYS``) are purged."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ostal.core.models import SecurityEvent

logger = logging.getLogger(__name__)


def security_events_purge() -> int:
    """Delete the security events past retention; returns and logs how many."""
    cutoff = timezone.now() - timedelta(days=settings.SECURITY_EVENT_RETENTION_DAYS)
    deleted = SecurityEvent.objects.purge_before(cutoff)
    logger.info("security events purged: %d older than %s", deleted, cutoff.isoformat())
    return deleted
