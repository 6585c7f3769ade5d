"""Writes of the school admin console. Every action is a security event naming who
acted, what they did and on which account (``data["action"]``, ``data["school"]``)."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.db import transaction
from django.http import HttpRequest

from ostal.administration.selectors import account_of_school
from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.abilities import is_admin_of_school
from ostal.directory.models import Person
from ostal.territory.models import School


class OutOfScope(PermissionError):
    """The actor does not administer the school, or the person is not of the school."""


@transaction.atomic
def account_unlock(
    *, actor: Person, school: School, person: Person, request: HttpRequest | None = None
) -> int:
    """Lift the login lockout (django-axes) of ``person``'s login; returns how many
    recorded failures were cleared. Logged even when there was nothing to clear."""
    if (
        not is_admin_of_school(actor, school)
        or account_of_school(school=school, person_id=person.pk) is None
    ):
        raise OutOfScope
    cleared = axes_reset(username=person.username)
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGED,
        request=request,
        actor=actor,
        subject=person,
        username=person.username,
        data={"action": "unlock", "school": school.uai, "failures_cleared": cleared},
    )
    return cleared
