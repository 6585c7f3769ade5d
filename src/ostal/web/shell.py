"""What the shell needs to know about the person, read in one query per request.

Rule (issue 24): the shell of every page (services menu, school and child switchers, unread
counter, freeze banner, deployment gate) costs at most five queries whatever the person — a
parent of three children in three schools, a teacher in two schools, a region admin.

The menu's administrative entries (security log, directory imports, connected services,
OIDC applications, pilotage) each used to run their app's scope computation, two or three
queries apiece, on every page. Here the person's roles are read once, as ``EXISTS``
flags on one row, and kept on the request's user object; the menu entries read these flags.
The pages themselves still ask their app's predicates, and a test checks, role by role,
that a menu entry is shown exactly when its page's predicate lets the person in
(``web/tests/test_shell_queries.py``).

The unread counter rides on the same query when its cached value has expired (see
``messaging.selectors.unread_count_cached``), so a cold cache costs no extra query for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ostal.directory.models import AuthorityRole, Person, SchoolAdmin
from ostal.messaging import selectors as messaging_selectors
from ostal.messaging.models import Delivery
from ostal.pilotage.models import PilotageRole
from ostal.territory.models import Authority, School

_ATTR = "_ostal_shell_roles"


@dataclass(frozen=True)
class ShellRoles:
    """The person's roles as the menu needs them (all false for most people)."""

    staff: bool = False
    school_admin: bool = False
    authority_admin: bool = False
    region_admin: bool = False
    authority_admin_with_schools: bool = False
    pilotage: bool = False

    @property
    def admin_of_a_scope(self) -> bool:
        """``accounts.abilities.is_admin_of_a_scope`` and ``sso.is_registry_manager``."""
        return self.staff or self.school_admin or self.authority_admin

    @property
    def reads_imports(self) -> bool:
        """``feed.selectors.may_read_imports``: a non-empty import scope."""
        return (
            self.staff
            or self.region_admin
            or self.school_admin
            or self.authority_admin_with_schools
        )

    @property
    def manages_oidc_clients(self) -> bool:
        """``oidc.abilities.may_manage_clients``."""
        return self.staff or self.region_admin


def _flags_query(user: Any, *, with_unread: bool) -> dict[str, Any]:
    admin_roles = AuthorityRole.objects.filter(person_id=OuterRef("pk"), is_admin=True)
    academy = Authority.Kind.ACADEMY
    annotations: dict[str, Any] = {
        "school_admin": Exists(SchoolAdmin.objects.filter(person_id=OuterRef("pk"))),
        "authority_admin": Exists(admin_roles),
        "region_admin": Exists(admin_roles.filter(authority__kind=Authority.Kind.REGION)),
        # schools_of_authority(): an académie's schools, another authority's own schools.
        "academy_with_schools": Exists(
            admin_roles.filter(authority__kind=academy).filter(
                Exists(School.objects.filter(academy_id=OuterRef("authority_id")))
            )
        ),
        "other_with_schools": Exists(
            admin_roles.exclude(authority__kind=academy).filter(
                Exists(School.objects.filter(responsible_authority_id=OuterRef("authority_id")))
            )
        ),
        "pilotage": Exists(PilotageRole.objects.filter(person_id=OuterRef("pk"))),
    }
    if with_unread:
        unread = (
            Delivery.objects.filter(
                recipient_id=OuterRef("pk"),
                box=Delivery.Box.INBOX,
                hidden=False,
                read_at__isnull=True,
            )
            .order_by()
            .values("recipient_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations["unread"] = Coalesce(
            Subquery(unread, output_field=IntegerField()), 0, output_field=IntegerField()
        )
    row = (
        Person.objects.filter(pk=user.pk)
        .annotate(**annotations)
        .values(*annotations.keys())
        .first()
    )
    return row or {}


def shell_roles(user: Any) -> ShellRoles:
    """The person's roles for the menu: one query per request (kept on ``user``)."""
    if not getattr(user, "is_authenticated", False):
        return ShellRoles()
    cached: ShellRoles | None = getattr(user, _ATTR, None)
    if cached is not None:
        return cached
    unread_key = messaging_selectors.UNREAD_KEY.format(user.pk)
    with_unread = cache.get(unread_key) is None
    row = _flags_query(user, with_unread=with_unread)
    if with_unread and row:
        cache.set(unread_key, int(row["unread"]), messaging_selectors.CACHE_SECONDS)
    roles = ShellRoles(
        staff=bool(user.is_staff),
        school_admin=bool(row.get("school_admin")),
        authority_admin=bool(row.get("authority_admin")),
        region_admin=bool(row.get("region_admin")),
        authority_admin_with_schools=bool(
            row.get("academy_with_schools") or row.get("other_with_schools")
        ),
        pilotage=bool(row.get("pilotage")),
    )
    setattr(user, _ATTR, roles)
    return roles
