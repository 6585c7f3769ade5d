"""Who may read and write a cahier de textes (predicates named after relations).

* write: the teachers of the class or group (timetable or teaching assignment), or a
  person the school's management granted (``WriteGrant``);
* read: those writers, the pupils of the class or group and their parents, the school's
  management (direction, vie scolaire, local admins), and inspection (académie staff of
  the school's académie). The cahier de textes is not public: nobody else, not even the
  collectivité's staff.
"""

from __future__ import annotations

from typing import Any

import rules

from ostal.directory.abilities import is_management_of_school, is_teacher_of_class
from ostal.directory.models import (
    AuthorityRole,
    Enrolment,
    GroupMembership,
    Profile,
    RelativeLink,
    SchoolClass,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.homework.models import WriteGrant
from ostal.timetable.models import Course

Audience = SchoolClass | TeachingGroup


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _key(audience: Audience) -> dict[str, Any]:
    if isinstance(audience, SchoolClass):
        return {"school_class": audience}
    return {"group": audience}


@rules.predicate
def is_teacher_of_audience(user: Any, audience: Audience | None) -> bool:
    """Teaches the class or group: by a teaching assignment or in the timetable."""
    if not _authenticated(user) or audience is None:
        return False
    if isinstance(audience, SchoolClass):
        if is_teacher_of_class(user, audience):
            return True
        return Course.objects.filter(teachers=user, classes=audience).exists()
    return (
        TeachingAssignment.objects.filter(teacher_id=user.pk, group=audience).exists()
        or Course.objects.filter(teachers=user, groups=audience).exists()
    )


@rules.predicate
def is_granted_writer_of(user: Any, audience: Audience | None) -> bool:
    if not _authenticated(user) or audience is None:
        return False
    return WriteGrant.objects.filter(person_id=user.pk, **_key(audience)).exists()


@rules.predicate
def is_pupil_of_audience(user: Any, audience: Audience | None) -> bool:
    if not _authenticated(user) or audience is None:
        return False
    if isinstance(audience, SchoolClass):
        return Enrolment.objects.filter(pupil_id=user.pk, school_class=audience).exists()
    return GroupMembership.objects.filter(person_id=user.pk, group=audience).exists()


@rules.predicate
def is_relative_of_pupil_of_audience(user: Any, audience: Audience | None) -> bool:
    if not _authenticated(user) or audience is None:
        return False
    children = RelativeLink.objects.filter(relative_id=user.pk).values("pupil_id")
    if isinstance(audience, SchoolClass):
        return Enrolment.objects.filter(pupil_id__in=children, school_class=audience).exists()
    return GroupMembership.objects.filter(person_id__in=children, group=audience).exists()


@rules.predicate
def is_inspection_of_school(user: Any, audience: Audience | None) -> bool:
    """Académie staff (inspectors) of the académie the school belongs to."""
    if not _authenticated(user) or audience is None or user.profile != Profile.ACADEMIC:
        return False
    academy_id = audience.school.academy_id
    return academy_id is not None and (
        AuthorityRole.objects.filter(person_id=user.pk, authority_id=academy_id).exists()
    )


def can_write_cahier(user: Any, audience: Audience) -> bool:
    return bool(is_teacher_of_audience(user, audience) or is_granted_writer_of(user, audience))


def can_read_cahier(user: Any, audience: Audience) -> bool:
    return bool(
        can_write_cahier(user, audience)
        or is_pupil_of_audience(user, audience)
        or is_relative_of_pupil_of_audience(user, audience)
        or is_management_of_school(user, audience.school)
        or is_inspection_of_school(user, audience)
    )


def sees_drafts(user: Any, audience: Audience) -> bool:
    """Entries prepared ahead (not yet visible) show to writers and to the school only."""
    return bool(can_write_cahier(user, audience) or is_management_of_school(user, audience.school))
