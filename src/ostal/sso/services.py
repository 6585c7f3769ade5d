"""Writes of the CAS server: the service registry and single logout.

* ``connected_service_create`` / ``connected_service_update`` / ``connected_service_disable``
  validate, write the registry row, keep django-cas-server's ``ServicePattern`` (with its
  released attributes and scope filter) in step, and log ``SERVICE_CHANGED``;
* ``cas_sessions_end`` ends the CAS sessions of a Django session (on logout) and hands the
  single-logout requests to a background job.
"""

from __future__ import annotations

import re
from typing import Any

from cas_server.models import (
    FilterAttributValue,
    ProxyGrantingTicket,
    ProxyTicket,
    ReplaceAttributName,
    ServicePattern,
    ServiceTicket,
)
from cas_server.models import User as CasUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.identity import ATTRIBUTE_NAMES
from ostal.directory.models import Person
from ostal.sso.auth import REGION_SCOPE, SCOPE_ATTRIBUTE
from ostal.sso.models import ConnectedService
from ostal.sso.patterns import pattern_errors
from ostal.territory.models import Authority, School

# Narrower services first: when two patterns overlap, the school's own entry wins.
PATTERN_POSITION = {
    ConnectedService.Scope.SCHOOL: 10,
    ConnectedService.Scope.AUTHORITY: 20,
    ConnectedService.Scope.REGION: 30,
}
FIELDS = (
    "name",
    "url_pattern",
    "scope",
    "authority",
    "school",
    "released_attributes",
    "proxy_callback",
    "accepts_proxy_tickets",
    "single_logout",
    "enabled",
)


def _validate(service: ConnectedService) -> None:
    errors: dict[str, list[str]] = {}
    pattern_problems = pattern_errors(service.url_pattern)
    if pattern_problems:
        errors["url_pattern"] = pattern_problems
    elif (
        ConnectedService.objects.filter(url_pattern=service.url_pattern)
        .exclude(pk=service.pk)
        .exists()
    ):
        errors["url_pattern"] = [_("Un autre service utilise déjà cette expression.")]
    if not service.name.strip():
        errors["name"] = [_("Indiquez le nom du service.")]
    elif ConnectedService.objects.filter(name=service.name).exclude(pk=service.pk).exists():
        errors["name"] = [_("Un autre service porte déjà ce nom.")]
    unknown = [a for a in service.released_attributes if a not in ATTRIBUTE_NAMES]
    if unknown:
        errors["released_attributes"] = [
            _("Attributs inconnus : %(names)s.") % {"names": ", ".join(unknown)}
        ]
    if service.scope == ConnectedService.Scope.SCHOOL and service.school_id is None:
        errors["school"] = [_("Choisissez l'établissement.")]
    if service.scope == ConnectedService.Scope.AUTHORITY and service.authority_id is None:
        errors["authority"] = [_("Choisissez la collectivité.")]
    if errors:
        raise ValidationError(errors)
    if service.scope != ConnectedService.Scope.SCHOOL:
        service.school = None
    if service.scope != ConnectedService.Scope.AUTHORITY:
        service.authority = None
    service.released_attributes = [a for a in ATTRIBUTE_NAMES if a in service.released_attributes]


def scope_filter_pattern(service: ConnectedService) -> str:
    """The regular expression ``ostalScope`` must match for ``service``."""
    if service.scope == ConnectedService.Scope.SCHOOL:
        assert service.school is not None
        return rf"^uai:{re.escape(service.school.uai)}$"
    if service.scope == ConnectedService.Scope.AUTHORITY:
        return rf"^authority:{service.authority_id}$"
    return rf"^{re.escape(REGION_SCOPE)}$"


def _sync_pattern(service: ConnectedService) -> None:
    """Make django-cas-server's pattern rows say what the registry row says."""
    pattern = service.service_pattern
    if not service.enabled:
        if pattern is not None:
            service.service_pattern = None
            service.save(update_fields=["service_pattern"])
            # Outstanding tickets of the service go with it.
            pattern.delete()
        return
    if pattern is None:
        pattern = ServicePattern()
    pattern.name = f"ostal-{service.pk}"
    pattern.pattern = service.url_pattern
    pattern.pos = PATTERN_POSITION[ConnectedService.Scope(service.scope)]
    pattern.user_field = ""
    pattern.restrict_users = False
    pattern.proxy = service.accepts_proxy_tickets
    pattern.proxy_callback = service.proxy_callback
    pattern.single_log_out = service.single_logout
    pattern.single_log_out_callback = ""
    pattern.save()
    pattern.attributs.all().delete()
    ReplaceAttributName.objects.bulk_create(
        ReplaceAttributName(name=name, replace="", service_pattern=pattern)
        for name in service.released_attributes
    )
    pattern.filters.all().delete()
    FilterAttributValue.objects.create(
        attribut=SCOPE_ATTRIBUTE, pattern=scope_filter_pattern(service), service_pattern=pattern
    )
    if service.service_pattern_id != pattern.pk:
        service.service_pattern = pattern
        service.save(update_fields=["service_pattern"])


def _record(
    *, service: ConnectedService, action: str, actor: Person | None, request: HttpRequest | None
) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.SERVICE_CHANGED,
        request=request,
        actor=actor,
        username=actor.get_username() if actor is not None else "",
        data={
            "service": service.pk,
            "name": service.name,
            "action": action,
            "pattern": service.url_pattern,
            "scope": service.scope,
            "school": service.school.uai if service.school is not None else None,
            "authority": service.authority_id,
            "attributes": service.released_attributes,
            "enabled": service.enabled,
        },
    )


def connected_service_create(
    *,
    actor: Person | None,
    name: str,
    url_pattern: str,
    scope: str,
    authority: Authority | None = None,
    school: School | None = None,
    released_attributes: list[str] | tuple[str, ...] = (),
    proxy_callback: bool = False,
    accepts_proxy_tickets: bool = False,
    single_logout: bool = False,
    enabled: bool = True,
    request: HttpRequest | None = None,
) -> ConnectedService:
    """Register a service; raises ``ValidationError`` (French messages) on bad input."""
    service = ConnectedService(
        name=name.strip(),
        url_pattern=url_pattern.strip(),
        scope=scope,
        authority=authority,
        school=school,
        released_attributes=list(released_attributes),
        proxy_callback=proxy_callback,
        accepts_proxy_tickets=accepts_proxy_tickets,
        single_logout=single_logout,
        enabled=enabled,
        created_by=actor,
    )
    _validate(service)
    with transaction.atomic():
        service.save()
        _sync_pattern(service)
        _record(service=service, action="created", actor=actor, request=request)
    return service


def connected_service_update(
    *,
    service: ConnectedService,
    actor: Person | None,
    request: HttpRequest | None = None,
    **changes: Any,
) -> ConnectedService:
    """Change a service (any of ``FIELDS``); raises ``ValidationError`` on bad input."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(service, name, value)
    try:
        _validate(service)
    except ValidationError:
        service.refresh_from_db()  # nothing half-changed, not even in memory
        raise
    with transaction.atomic():
        service.save()
        _sync_pattern(service)
        _record(service=service, action="updated", actor=actor, request=request)
    return service


def connected_service_disable(
    *, service: ConnectedService, actor: Person | None, request: HttpRequest | None = None
) -> ConnectedService:
    """Close a service: no more tickets, its outstanding tickets are dropped."""
    with transaction.atomic():
        service.enabled = False
        service.save(update_fields=["enabled", "updated_at"])
        _sync_pattern(service)
        _record(service=service, action="disabled", actor=actor, request=request)
    return service


def cas_sessions_end(*, session_key: str | None = None, username: str | None = None) -> int:
    """End the CAS sessions opened from Django session ``session_key`` (logout), or all
    CAS sessions of ``username`` (credentials revoked).

    Their tickets are invalidated now; the single-logout requests (one per ticket of a
    service with single logout) are POSTed by a background job. Returns the number of
    requests handed to the job.
    """
    from ostal.sso.tasks import cas_single_logout_send

    if session_key:
        users = list(CasUser.objects.filter(session_key=session_key))
    elif username:
        users = list(CasUser.objects.filter(username=username))
    else:
        return 0
    if not users:
        return 0
    targets: list[tuple[str, str]] = []
    with transaction.atomic():
        for ticket_class in (ProxyGrantingTicket, ServiceTicket, ProxyTicket):
            for ticket in ticket_class.objects.filter(  # type: ignore[attr-defined]
                user__in=users, single_log_out=True
            ).select_related("service_pattern"):
                url = ticket.service_pattern.single_log_out_callback or ticket.service
                targets.append((url, ticket.value))
        CasUser.objects.filter(pk__in=[u.pk for u in users]).delete()
    if targets:
        transaction.on_commit(lambda: cas_single_logout_send(targets))
    return len(targets)
