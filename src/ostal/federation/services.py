"""Writes of a federated login: activation on first use, the login, the security log.

Rules held here:
* a federated login opens a Django session for an existing account (the second-factor
  gate of ``ostal.accounts`` then applies, as after a password login);
* an account never activated is activated by its first federated login when
  ``OSTAL_SAML_ACTIVATES_ACCOUNTS`` is on: the identity provider has authenticated the
  person (EduConnect: FranceConnect or credentials handed out by the school). Its
  activation code is cleared so the paper letter can no longer be used; it keeps no local
  password (unusable) until the person sets one through the reset page. The charter must
  still be accepted (the view sends them to it);
* every success leaves ``FEDERATED_LOGIN`` (idp, method), every refusal
  ``FEDERATED_REFUSED`` (idp, reason): nothing else is written on a refusal.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.models import Person
from ostal.federation.backends import BACKEND_PATH
from ostal.federation.registry import EDUCONNECT, IdentityProvider


def login_method(provider: IdentityProvider) -> str:
    """How the account was matched (logged with the event)."""
    return "FrEduCtRefId" if provider.kind == EDUCONNECT else "academic_email"


@transaction.atomic
def federated_login(
    *,
    request: HttpRequest,
    person: Person,
    provider: IdentityProvider,
    among: int = 1,
) -> Person:
    """Log ``person`` in through ``provider`` (activating a never-activated account)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    activated = False
    if person.state == Person.State.TO_ACTIVATE:
        person.state = Person.State.ACTIVE
        person.state_changed_at = timezone.now()
        person.activation_code = ""
        person.save(update_fields=["state", "state_changed_at", "activation_code", "updated_at"])
        activated = True
        security_event_record(
            kind=SecurityEvent.Kind.ACTIVATED,
            request=request,
            subject=person,
            username=person.username,
            data={"method": "federation", "idp": provider.key},
        )
    if person.state != Person.State.ACTIVE:
        raise ValueError("Seul un compte actif peut se connecter.")
    login(request, person, backend=BACKEND_PATH)
    data: dict[str, Any] = {"idp": provider.key, "method": login_method(provider)}
    if among > 1:
        data["among"] = among
    if activated:
        data["activated"] = True
    security_event_record(
        kind=SecurityEvent.Kind.FEDERATED_LOGIN,
        request=request,
        subject=person,
        username=person.username,
        data=data,
    )
    return person


def federated_refusal_record(
    *,
    request: HttpRequest,
    reason: str,
    provider: IdentityProvider | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Record a refused federated login (bad signature, no matching account…)."""
    data: dict[str, Any] = {"reason": reason}
    if provider is not None:
        data["idp"] = provider.key
    if detail:
        data["detail"] = detail[:200]
    return security_event_record(
        kind=SecurityEvent.Kind.FEDERATED_REFUSED, request=request, data=data
    )
