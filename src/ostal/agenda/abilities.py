"""Who may read and write a calendar (predicates named after relations).

* a personal calendar: its owner only (people invited to one of its events see that event);
* a class's or group's calendar: written by its teachers (teaching assignment, head
  teacher, or the timetable) and by the school's management; read by them, by its pupils
  and by their parents;
* a school's calendar: written by the school's management (direction, vie scolaire,
  secretariat, local admins); read by the school's people (``schools_of``: staff and pupils
  attached to it, parents of its pupils). An event may target profiles (``audiences``):
  then only people of those profiles, and the calendar's writers, see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ostal.agenda.models import Calendar, Event
from ostal.directory.abilities import MANAGEMENT_PROFILES, is_management_of_school
from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    HeadTeacher,
    RelativeLink,
    SchoolAdmin,
    TeachingAssignment,
)
from ostal.directory.selectors import schools_of
from ostal.homework.abilities import (
    is_pupil_of_audience,
    is_relative_of_pupil_of_audience,
    is_teacher_of_audience,
)
from ostal.timetable.models import Course


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _audience(calendar: Calendar) -> Any:
    return calendar.school_class if calendar.kind == Calendar.Kind.CLASS else calendar.group


def can_manage_calendar(user: Any, calendar: Calendar | None) -> bool:
    """Writes events in the calendar (and sees all of them, whatever their audience)."""
    if not _authenticated(user) or calendar is None:
        return False
    if calendar.kind == Calendar.Kind.PERSONAL:
        return bool(calendar.owner_id == user.pk)
    if calendar.kind == Calendar.Kind.SCHOOL:
        return bool(is_management_of_school(user, calendar.school))
    audience = _audience(calendar)
    return bool(
        is_teacher_of_audience(user, audience) or is_management_of_school(user, audience.school)
    )


def can_read_calendar(user: Any, calendar: Calendar | None) -> bool:
    if not _authenticated(user) or calendar is None:
        return False
    if can_manage_calendar(user, calendar):
        return True
    if calendar.kind == Calendar.Kind.PERSONAL:
        return False
    if calendar.kind == Calendar.Kind.SCHOOL:
        return any(s.pk == calendar.school_id for s in schools_of(person=user))
    audience = _audience(calendar)
    return bool(
        is_pupil_of_audience(user, audience) or is_relative_of_pupil_of_audience(user, audience)
    )


def event_targets(user: Any, event: Event, *, manager: bool) -> bool:
    """Whether the event's audience includes the reader (always, for the calendar's writers
    and for an event without audience)."""
    return manager or not event.audiences or user.profile in event.audiences


def managed_school_ids(user: Any) -> set[int]:
    """The schools of which the user is management (one query)."""
    admin = SchoolAdmin.objects.filter(person_id=user.pk).values_list("school_id", flat=True)
    attached = Affiliation.objects.filter(
        person_id=user.pk, profile__in=MANAGEMENT_PROFILES
    ).values_list("school_id", flat=True)
    return set(admin.union(attached))


def taught_q(user: Any) -> tuple[Q, Q]:
    """The classes and groups the user teaches, as filters on their ids."""
    classes = (
        Q(pk__in=TeachingAssignment.objects.filter(teacher_id=user.pk).values("school_class_id"))
        | Q(pk__in=HeadTeacher.objects.filter(teacher_id=user.pk).values("school_class_id"))
        | Q(pk__in=Course.objects.filter(teachers=user).values("classes"))
    )
    groups = Q(pk__in=TeachingAssignment.objects.filter(teacher_id=user.pk).values("group_id")) | Q(
        pk__in=Course.objects.filter(teachers=user).values("groups")
    )
    return classes, groups


def readable_q(user: Any, managed: set[int]) -> Q:
    """The calendars the user may read, as one filter on ``Calendar``."""
    children = RelativeLink.objects.filter(relative_id=user.pk).values("pupil_id")
    people = Q(pupil_id=user.pk) | Q(pupil_id__in=children)
    classes = Enrolment.objects.filter(people).values("school_class_id")
    members = Q(person_id=user.pk) | Q(person_id__in=children)
    groups = GroupMembership.objects.filter(members).values("group_id")
    taught_classes, taught_groups = taught_q(user)
    from ostal.directory.models import SchoolClass, TeachingGroup

    q = Q(kind=Calendar.Kind.PERSONAL, owner_id=user.pk)
    q |= Q(kind=Calendar.Kind.CLASS) & (
        Q(school_class_id__in=classes)
        | Q(school_class_id__in=SchoolClass.objects.filter(taught_classes).values("pk"))
        | Q(school_class__school_id__in=managed)
    )
    q |= Q(kind=Calendar.Kind.GROUP) & (
        Q(group_id__in=groups)
        | Q(group_id__in=TeachingGroup.objects.filter(taught_groups).values("pk"))
        | Q(group__school_id__in=managed)
    )
    q |= Q(kind=Calendar.Kind.SCHOOL, school_id__in=[s.pk for s in schools_of(person=user)])
    return q
