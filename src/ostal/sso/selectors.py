"""Reads of the CAS registry: scoped to the manager, and the service matching a URL."""

from __future__ import annotations

import re
from typing import Any

from cas_server.models import ServicePattern
from django.db.models import Q, QuerySet

from ostal.sso.abilities import registry_scope_of, scope_covers
from ostal.sso.models import ConnectedService


def services_managed_by(user: Any) -> QuerySet[ConnectedService]:
    """The services ``user`` may see and edit on the registry pages."""
    scope = registry_scope_of(user)
    services = ConnectedService.objects.select_related("authority", "school").order_by("name")
    if scope.everything:
        return services
    if scope.empty:
        return services.none()
    return services.filter(
        Q(scope=ConnectedService.Scope.SCHOOL, school_id__in=scope.school_ids)
        | Q(scope=ConnectedService.Scope.AUTHORITY, authority_id__in=scope.authority_ids)
    )


def service_for_manager(*, user: Any, service_id: int) -> ConnectedService | None:
    """One service ``user`` manages, or ``None`` (missing and forbidden look the same)."""
    service = (
        ConnectedService.objects.select_related("authority", "school").filter(pk=service_id).first()
    )
    if service is None or not scope_covers(registry_scope_of(user), service):
        return None
    return service


def service_pattern_for_url(url: str) -> ServicePattern | None:
    """The CAS pattern of the enabled registry entry matching ``url``, or ``None``.

    One query. Patterns created by hand in the technical admin (not from the registry) are
    ignored here: only the registry opens a service.
    """
    if not url or len(url) > 2048 or any(ord(c) < 32 or ord(c) == 127 for c in url):
        return None  # ``$`` also matches before a final newline: control characters never pass
    for service in (
        ConnectedService.objects.filter(enabled=True, service_pattern__isnull=False)
        .select_related("service_pattern")
        .order_by("service_pattern__pos", "pk")
    ):
        if re.match(service.url_pattern, url):
            return service.service_pattern
    return None
