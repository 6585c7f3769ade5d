"""Who may do what in the directory: predicates named after ENT relations.

Pages and API ask the same predicates (conventions §3). Each predicate takes the acting
person first and answers from relations only (never from a role flag on the person).
"""

from __future__ import annotations

from typing import Any

import rules

from ostal.directory.models import (
    Affiliation,
    AuthorityRole,
    HeadTeacher,
    Profile,
    SchoolAdmin,
    SchoolClass,
    TeachingAssignment,
)
from ostal.territory.models import Authority, School

MANAGEMENT_PROFILES = (Profile.DIRECTION, Profile.SCHOOL_LIFE, Profile.ADMIN_STAFF)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


@rules.predicate
def is_teacher_of_class(user: Any, school_class: SchoolClass | None) -> bool:
    if not _authenticated(user) or school_class is None:
        return False
    return (
        TeachingAssignment.objects.filter(teacher_id=user.pk, school_class=school_class).exists()
        or HeadTeacher.objects.filter(teacher_id=user.pk, school_class=school_class).exists()
    )


@rules.predicate
def is_operator(user: Any) -> bool:
    """The operator of the platform (Django ``is_staff``)."""
    return _authenticated(user) and bool(user.is_staff)


@rules.predicate
def is_region_admin(user: Any) -> bool:
    """An admin of the Région (``AuthorityRole`` with ``is_admin`` on the region)."""
    return _authenticated(user) and (
        AuthorityRole.objects.filter(
            person_id=user.pk, is_admin=True, authority__kind=Authority.Kind.REGION
        ).exists()
    )


@rules.predicate
def is_admin_of_school(user: Any, school: School | None) -> bool:
    if not _authenticated(user) or school is None:
        return False
    return SchoolAdmin.objects.filter(person_id=user.pk, school=school).exists()


@rules.predicate
def is_management_of_school(user: Any, school: School | None) -> bool:
    """Direction, vie scolaire and secretariat of the school, or its local admins."""
    if not _authenticated(user) or school is None:
        return False
    return (
        is_admin_of_school(user, school)
        or Affiliation.objects.filter(
            person_id=user.pk,
            school=school,
            profile__in=MANAGEMENT_PROFILES,
        ).exists()
    )


def can_view_class(user: Any, school_class: SchoolClass) -> bool:
    """A class roster is visible to its teachers and to the school's management."""
    return bool(
        is_teacher_of_class(user, school_class)
        or is_management_of_school(user, school_class.school)
    )
