"""Reads of the school admin console, always scoped to the viewer.

Scope rule: the console of school S is open to the admins of S (``SchoolAdmin``, the
ADML) only. The accounts of S are the people attached to S (``Affiliation``), the pupils
enrolled in a current class of S and the relatives of those pupils. Every read goes
through :func:`school_for_admin` then :func:`account_of_school`: a school the viewer does
not administer, or a person outside the school, is ``None`` (the view answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from ostal.directory.abilities import is_admin_of_school
from ostal.directory.models import Affiliation, Enrolment, Person, RelativeLink, SchoolAdmin
from ostal.territory.models import School

SEARCH_LIMIT = 50


def schools_administered(user: Any) -> list[School]:
    """The schools ``user`` is a local admin (ADML) of, by name."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = SchoolAdmin.objects.filter(person_id=user.pk).values("school_id")
    return list(School.objects.filter(pk__in=ids).order_by("name", "uai"))


def school_for_admin(*, viewer: Any, school_id: int) -> School | None:
    """School ``school_id`` if ``viewer`` administers it, else ``None`` (missing too)."""
    school = School.objects.filter(pk=school_id).first()
    if school is None or not is_admin_of_school(viewer, school):
        return None
    return school


def _people_of_school(school: School) -> Q:
    attached = Affiliation.objects.filter(school=school).values("person_id")
    enrolled = Enrolment.objects.filter(
        school_class__school=school, school_class__archived=False
    ).values("pupil_id")
    relatives = RelativeLink.objects.filter(
        pupil__enrolments__school_class__school=school,
        pupil__enrolments__school_class__archived=False,
    ).values("relative_id")
    return Q(pk__in=attached) | Q(pk__in=enrolled) | Q(pk__in=relatives)


def accounts_of_school(*, school: School, query: str = "", state: str = "") -> QuerySet[Person]:
    """People of ``school`` matching ``query`` (login, last or first name, any part)."""
    people = Person.objects.filter(_people_of_school(school)).exclude(state=Person.State.DELETED)
    for word in query.split()[:4]:
        people = people.filter(
            Q(username__icontains=word)
            | Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
        )
    if state == "locked":
        people = people.filter(username__in=_locked_usernames_query())
    elif state:
        people = people.filter(state=state)
    return people.order_by("last_name", "first_name", "pk")


def account_of_school(*, school: School, person_id: int) -> Person | None:
    """The person if they are one of ``school``'s accounts, else ``None``."""
    return (
        Person.objects.filter(_people_of_school(school), pk=person_id)
        .exclude(state=Person.State.DELETED)
        .first()
    )


def _locked_usernames_query() -> QuerySet[Any]:
    """Logins locked out by django-axes now (failures within the cool-off reach the limit;
    the lockout by login, ``AXES_LOCKOUT_PARAMETERS``)."""
    since = timezone.now() - get_cool_off()
    return (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .exclude(username__isnull=True)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values("username")
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of ``usernames`` are locked out now (one query)."""
    if not usernames:
        return set()
    return set(
        _locked_usernames_query().filter(username__in=usernames).values_list("username", flat=True)
    )


def is_locked(person: Person) -> bool:
    return person.username in locked_usernames([person.username])


@dataclass(frozen=True)
class AccountRow:
    person: Person
    locked: bool


def account_rows(people: list[Person]) -> list[AccountRow]:
    locked = locked_usernames([p.username for p in people])
    return [AccountRow(p, p.username in locked) for p in people]
