"""What the shell needs to know about the person: one query, then cached per person.

Rule (issue 24): the shell of every page (services menu, school and child switchers, unread
counter, freeze banner, deployment gate) costs at most five queries whatever the person — a
parent of three children in three schools, a teacher in two schools, a region admin.

The menu's administrative entries (security log, directory imports, connected services,
OIDC applications, pilotage) each used to run their app's scope computation, two or three
queries apiece, on every page. Here the person's roles are read once, as ``EXISTS``
flags on one row, and kept on the request's user object; the menu entries read these flags.
The flags are cached per person (``ROLES_KEY``) and dropped by every write of a role
(signals on ``SchoolAdmin``, ``AuthorityRole``, ``PilotageRole``). The pages themselves
still ask their app's predicates, and a test checks, role by role,
that a menu entry is shown exactly when its page's predicate lets the person in
(``web/tests/test_shell_queries.py``).

The unread counter rides on the same query when its cached value has expired (see
``messaging.selectors.unread_count_cached``), so a cold cache costs no extra query for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

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


ROLES_KEY = "web:shell-roles:{}"
#: Safety net only: every write of a role drops the person's entry (``roles_forget``); what
#: no signal tells (an authority given its first school by an import) shows within this.
ROLES_SECONDS = 300
_FLAGS = (
    "school_admin",
    "authority_admin",
    "region_admin",
    "authority_admin_with_schools",
    "pilotage",
)


def shell_roles(user: Any) -> ShellRoles:
    """The person's roles for the menu: kept on ``user`` for the request and in the cache
    for ``ROLES_SECONDS``; on a miss, one query (with the unread count if it expired)."""
    if not getattr(user, "is_authenticated", False):
        return ShellRoles()
    cached: ShellRoles | None = getattr(user, _ATTR, None)
    if cached is not None:
        return cached
    key = ROLES_KEY.format(user.pk)
    flags: tuple[bool, ...] | None = cache.get(key)
    if flags is None or len(flags) != len(_FLAGS):  # missing, or written by another version
        unread_key = messaging_selectors.UNREAD_KEY.format(user.pk)
        with_unread = cache.get(unread_key) is None
        row = _flags_query(user, with_unread=with_unread)
        if with_unread and row:
            cache.set(unread_key, int(row["unread"]), messaging_selectors.CACHE_SECONDS)
        row["authority_admin_with_schools"] = bool(
            row.get("academy_with_schools") or row.get("other_with_schools")
        )
        flags = tuple(bool(row.get(name)) for name in _FLAGS)
        cache.set(key, flags, ROLES_SECONDS)
    roles = ShellRoles(staff=bool(user.is_staff), **dict(zip(_FLAGS, flags, strict=True)))
    setattr(user, _ATTR, roles)
    return roles


def roles_forget(person_ids: Iterable[int]) -> None:
    """Drop the cached roles of these people (their next page reads them again)."""
    cache.delete_many([ROLES_KEY.format(pk) for pk in person_ids])


def _role_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    roles_forget([instance.person_id])


def connect_signals() -> None:
    """Every grant, change or removal of a role (services, admin site, cascades) drops the
    person's cached roles once the transaction commits."""
    for model in (SchoolAdmin, AuthorityRole, PilotageRole):
        for signal in (post_save, post_delete):
            signal.connect(
                _on_commit(_role_changed),
                sender=model,
                dispatch_uid=f"web-shell-roles-{model.__name__}-{signal is post_save}",
                weak=False,
            )


def _on_commit(handler: Any) -> Any:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        handler(sender, instance, **kwargs)  # now: this request may read the roles again
        transaction.on_commit(lambda: handler(sender, instance, **kwargs))

    return receiver
