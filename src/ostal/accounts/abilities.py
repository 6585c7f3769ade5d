"""Who may do what with the security pages (rules predicates named after relations).

* every signed-in person manages their own sessions and second factor;
* admins of a scope (school, collectivité, region) and operators read the security log of
  their scope (the scope itself: ``selectors.security_scope_of``).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef

from ostal.directory.models import AuthorityRole, Person, SchoolAdmin


@rules.predicate
def is_admin_of_a_scope(user: Any) -> bool:
    """School admin, collectivité or region admin, or operator (one query, remembered on
    the user object for the rest of the request: the services menu asks on every page)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    cached = getattr(user, "_ostal_is_scope_admin", None)
    if cached is None:
        cached = bool(
            Person.objects.filter(pk=user.pk)
            .filter(
                Exists(SchoolAdmin.objects.filter(person=OuterRef("pk")))
                | Exists(AuthorityRole.objects.filter(person=OuterRef("pk"), is_admin=True))
            )
            .exists()
        )
        user._ostal_is_scope_admin = cached
    return cached


rules.add_perm("accounts.view_security_log", rules.is_authenticated & is_admin_of_a_scope)


def may_read_security_log(user: Any) -> bool:
    return bool(rules.has_perm("accounts.view_security_log", user))
