"""Who may set, read and see marks (predicates named after relations).

* set an evaluation and mark it: a teacher of that subject in that class or group (a
  teaching assignment of the directory), and nobody else;
* read a class's marks (published or not): its head teacher (professeur principal) and the
  school's management (direction, vie scolaire, local admins);
* choose the school's periods: the school's management;
* lock a class's period after its class council: its head teacher or the management;
  reopen it: the management only;
* see marks: a pupil their own, a parent their children's, and only once published
  (``selectors`` hold that rule with ``EvaluationQuerySet.published``).
"""

from __future__ import annotations

from typing import Any

import rules

from ostal.directory.abilities import is_management_of_school
from ostal.directory.models import (
    HeadTeacher,
    SchoolClass,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.evaluation.models import Evaluation
from ostal.territory.models import School

Audience = SchoolClass | TeachingGroup


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_teacher_of_subject(user: Any, audience: Audience | None, subject: Subject | None) -> bool:
    """Teaches ``subject`` to the class or group (a teaching assignment says so)."""
    if not _authenticated(user) or audience is None or subject is None:
        return False
    key: dict[str, Any] = (
        {"school_class": audience} if isinstance(audience, SchoolClass) else {"group": audience}
    )
    return TeachingAssignment.objects.filter(teacher_id=user.pk, subject=subject, **key).exists()


@rules.predicate
def is_head_teacher_of(user: Any, school_class: SchoolClass | None) -> bool:
    if not _authenticated(user) or school_class is None:
        return False
    return HeadTeacher.objects.filter(teacher_id=user.pk, school_class=school_class).exists()


def can_mark(user: Any, evaluation: Evaluation) -> bool:
    return bool(is_teacher_of_subject(user, evaluation.audience, evaluation.subject))


def can_read_class_marks(user: Any, school_class: SchoolClass) -> bool:
    return bool(
        is_head_teacher_of(user, school_class) or is_management_of_school(user, school_class.school)
    )


def can_read_evaluation(user: Any, evaluation: Evaluation) -> bool:
    """Its markers, the class's head teacher, the school's management (published or not)."""
    if can_mark(user, evaluation):
        return True
    if evaluation.school_class is not None and is_head_teacher_of(user, evaluation.school_class):
        return True
    return bool(is_management_of_school(user, evaluation.school))


def can_lock_period(user: Any, school_class: SchoolClass) -> bool:
    """The class council's lock: its head teacher or the school's management."""
    return can_read_class_marks(user, school_class)


def can_unlock_period(user: Any, school_class: SchoolClass) -> bool:
    """Reopening a locked period: the school's management only."""
    return bool(is_management_of_school(user, school_class.school))


def can_choose_periods(user: Any, school: School) -> bool:
    return bool(is_management_of_school(user, school))
