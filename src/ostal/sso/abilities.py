"""Who may manage which connected services (the CAS registry pages).

* the operator (``is_staff``) and region admins (admin role on a région): every service,
  region-wide ones included;
* a collectivité (or académie) admin: services scoped to their authority or to one of its
  schools;
* a school admin (ADML): services scoped to their school;
* everyone else: nothing (the pages answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules

from ostal.directory.models import AuthorityRole, SchoolAdmin
from ostal.sso.models import ConnectedService
from ostal.territory.models import Authority
from ostal.territory.selectors import schools_of_authority


@dataclass(frozen=True)
class RegistryScope:
    """What a manager may touch: everything, or these authorities and schools."""

    everything: bool = False
    authority_ids: frozenset[int] = field(default_factory=frozenset)
    school_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.authority_ids or self.school_ids)


def registry_scope_of(user: Any) -> RegistryScope:
    """The part of the registry ``user`` manages (empty for most people)."""
    if not getattr(user, "is_authenticated", False):
        return RegistryScope()
    roles = list(
        AuthorityRole.objects.filter(person_id=user.pk, is_admin=True).select_related("authority")
    )
    if user.is_staff or any(r.authority.kind == Authority.Kind.REGION for r in roles):
        return RegistryScope(everything=True)
    school_ids = set(
        SchoolAdmin.objects.filter(person_id=user.pk).values_list("school_id", flat=True)
    )
    for role in roles:
        school_ids |= set(
            schools_of_authority(authority=role.authority).values_list("pk", flat=True)
        )
    return RegistryScope(
        authority_ids=frozenset(r.authority_id for r in roles), school_ids=frozenset(school_ids)
    )


def scope_covers(scope: RegistryScope, service: ConnectedService) -> bool:
    if scope.everything:
        return True
    if service.scope == ConnectedService.Scope.SCHOOL:
        return service.school_id in scope.school_ids
    if service.scope == ConnectedService.Scope.AUTHORITY:
        return service.authority_id in scope.authority_ids
    return False


@rules.predicate
def is_manager_of_service(user: Any, service: ConnectedService | None) -> bool:
    """The operator, a region admin, or the admin of the service's authority or school."""
    if service is None:
        return False
    return scope_covers(registry_scope_of(user), service)


@rules.predicate
def is_registry_manager(user: Any) -> bool:
    """Someone who manages at least part of the registry."""
    return not registry_scope_of(user).empty
