"""Who may do what in vie scolaire (predicates named after relations).

* call a register: the teachers of the course on that date, or the substitute when the
  course is replaced (the replaced teacher no longer may); nobody for a cancelled course;
* manage (dashboard, corrections of validated registers, justifications): vie scolaire
  (EVS/CPE) and direction of the school, and its local admins;
* read a pupil's events: the pupil, their parents (``RelativeLink``), and the managers of
  the event's school; justify: the parents only, for their own children.
"""

from __future__ import annotations

from typing import Any

from ostal.directory.abilities import is_admin_of_school
from ostal.directory.models import Affiliation, Profile, RelativeLink
from ostal.territory.models import School
from ostal.timetable.selectors import Occurrence

SCHOOL_LIFE_PROFILES = (Profile.SCHOOL_LIFE, Profile.DIRECTION)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_school_life_of(user: Any, school: School | None) -> bool:
    """Vie scolaire (EVS, CPE) or direction of the school, or a local admin of it."""
    if not _authenticated(user) or school is None:
        return False
    return is_admin_of_school(user, school) or (
        Affiliation.objects.filter(
            person_id=user.pk, school=school, profile__in=SCHOOL_LIFE_PROFILES
        ).exists()
    )


def may_call(user: Any, occ: Occurrence) -> bool:
    """The teacher who gives this occurrence calls its roll (no query: the occurrence holds
    its teachers and its change)."""
    if not _authenticated(user) or occ.cancelled:
        return False
    if occ.replaced_by is not None:
        return bool(occ.replaced_by.pk == user.pk)
    return any(t.pk == user.pk for t in occ.teachers)


def is_parent_of(user: Any, pupil_id: int) -> bool:
    if not _authenticated(user):
        return False
    return RelativeLink.objects.filter(relative_id=user.pk, pupil_id=pupil_id).exists()
