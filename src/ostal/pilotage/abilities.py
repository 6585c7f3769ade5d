"""Who may do what in the pilotage of the groupement (predicates named after relations).

* coordinator staff (``PilotageRole.COORDINATOR`` on the coordinating body): read the whole
  groupement; run the convention (members, amendments, agreements, consultations, cost
  allocations); manage the coordinator's *own* orders like any member;
* member staff (``MEMBER``): read and manage their own body's orders, deployment and
  statistics, send its observations, record its decisions;
* auditors (``AUDITOR``): read-only, on their body's scope — the whole groupement for an
  auditor attached to the coordinator;
* anybody else: nothing (the pages answer 404, like a missing record).
"""

from __future__ import annotations

from typing import Any

import rules

from ostal.pilotage.models import PilotageRole
from ostal.territory.models import Authority

WRITER_ROLES = (PilotageRole.Role.COORDINATOR, PilotageRole.Role.MEMBER)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def roles_of(user: Any) -> list[PilotageRole]:
    """The person's pilotage roles, read once per request object."""
    if not _authenticated(user):
        return []
    cached: list[PilotageRole] | None = getattr(user, "_pilotage_roles", None)
    if cached is None:
        cached = list(PilotageRole.objects.filter(person_id=user.pk).select_related("authority"))
        user._pilotage_roles = cached
    return cached


@rules.predicate
def has_pilotage_role(user: Any) -> bool:
    return bool(roles_of(user))


@rules.predicate
def is_coordinator_staff(user: Any) -> bool:
    return any(
        r.role == PilotageRole.Role.COORDINATOR and r.authority.is_coordinator
        for r in roles_of(user)
    )


@rules.predicate
def sees_whole_groupement(user: Any) -> bool:
    """Coordinator staff, and auditors attached to the coordinator."""
    return any(
        r.authority.is_coordinator
        and r.role in (PilotageRole.Role.COORDINATOR, PilotageRole.Role.AUDITOR)
        for r in roles_of(user)
    )


@rules.predicate
def is_staff_of_member(user: Any, authority: Authority | None) -> bool:
    """Works for this member and may act in its name (not an auditor)."""
    if authority is None:
        return False
    return any(r.authority_id == authority.pk and r.role in WRITER_ROLES for r in roles_of(user))


@rules.predicate
def may_read_member(user: Any, authority: Authority | None) -> bool:
    if authority is None:
        return False
    return sees_whole_groupement(user) or any(
        r.authority_id == authority.pk for r in roles_of(user)
    )


def writable_members(user: Any) -> list[Authority]:
    return [r.authority for r in roles_of(user) if r.role in WRITER_ROLES]


def readable_member_ids(user: Any) -> set[int] | None:
    """The bodies whose pilotage data the person may read; ``None`` means all of them."""
    if sees_whole_groupement(user):
        return None
    return {r.authority_id for r in roles_of(user)}
