"""Who may manage the OIDC client registry: the operator (``is_staff``) and region admins
(admin role on the région). Only the operator may mark an application first-party (which
skips the consent page). Everyone else gets 404 on the registry pages."""

from __future__ import annotations

from typing import Any

import rules

from ostal.directory.models import AuthorityRole
from ostal.territory.models import Authority


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


@rules.predicate
def is_operator(user: Any) -> bool:
    return _authenticated(user) and bool(user.is_staff)


@rules.predicate
def is_region_admin(user: Any) -> bool:
    return _authenticated(user) and (
        AuthorityRole.objects.filter(
            person_id=user.pk, is_admin=True, authority__kind=Authority.Kind.REGION
        ).exists()
    )


may_manage_clients = is_operator | is_region_admin
may_mark_first_party = is_operator
