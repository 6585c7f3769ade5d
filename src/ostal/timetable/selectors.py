"""Reads on the timetable, scoped to the person asking.

A week or day is computed, not stored: the person's courses (one query, plus three
prefetches), the changes of those courses in the range (one query), and the holiday data
(in memory). The number of queries does not depend on the number of courses or days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ostal.directory.models import Enrolment, GroupMembership, Person
from ostal.timetable.models import CalendarFeedToken, Course, CourseChange, CourseNotice
from ostal.timetable.school_calendar import day_off


@dataclass
class Occurrence:
    """One course on one date, with its changes applied."""

    day: date
    course: Course
    start: time
    end: time
    room: str
    teachers: list[Person]
    cancelled: bool = False
    replaced_by: Person | None = None
    notes: list[str] = field(default_factory=list)
    lesson: Any = None  # the cahier de textes entry of this slot, when there is one

    @property
    def audience_label(self) -> str:
        names = [str(c) for c in self.course.classes.all()]
        names += [str(g) for g in self.course.groups.all()]
        return ", ".join(names)


@dataclass
class Day:
    day: date
    holiday: str | None
    occurrences: list[Occurrence] = field(default_factory=list)
    homework: list[Any] = field(default_factory=list)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _with_prefetch(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.select_related("subject", "school").prefetch_related("teachers", "classes", "groups")


def courses_of_pupil(*, pupil: Person) -> QuerySet[Course]:
    """Courses of the pupil's current classes and groups (through the link tables, so that
    no DISTINCT over a join is needed)."""
    classes = Enrolment.objects.filter(pupil=pupil, school_class__archived=False).values(
        "school_class_id"
    )
    groups = GroupMembership.objects.filter(person=pupil, group__archived=False).values("group_id")
    by_class = Course.classes.through.objects.filter(schoolclass_id__in=classes).values("course_id")
    by_group = Course.groups.through.objects.filter(teachinggroup_id__in=groups).values("course_id")
    return Course.objects.filter(Q(pk__in=by_class) | Q(pk__in=by_group))


def courses_of_teacher(*, teacher: Person, start: date, end: date) -> QuerySet[Course]:
    """Courses a teacher gives, including those where they replace someone in the range."""
    replacing = CourseChange.objects.filter(
        replacement_teacher=teacher, date__range=(start, end)
    ).values("course_id")
    return Course.objects.filter(Q(teachers=teacher) | Q(pk__in=replacing)).distinct()


def courses_of_person(*, person: Person, start: date, end: date) -> QuerySet[Course]:
    if person.is_pupil:
        return courses_of_pupil(pupil=person)
    return courses_of_teacher(teacher=person, start=start, end=end)


def occurrences(
    *, courses: QuerySet[Course], start: date, end: date, teacher: Person | None = None
) -> list[Day]:
    """The days from ``start`` to ``end`` with the courses that take place, changes applied.

    With ``teacher``, a course the teacher is replaced in is left out, and a course they
    replace someone in is kept only on that date.
    """
    course_list = list(_with_prefetch(courses.filter(first_date__lte=end, last_date__gte=start)))
    changes = _changes_of(course_list, start, end)
    return _days(course_list, changes, start, end, teacher)


def _changes_of(
    course_list: list[Course], start: date, end: date
) -> dict[tuple[int, date], list[CourseChange]]:
    """The changes of these courses in the range, by course and date (one query)."""
    changes: dict[tuple[int, date], list[CourseChange]] = {}
    for change in CourseChange.objects.filter(
        course__in=[c.pk for c in course_list], date__range=(start, end)
    ).select_related("replacement_teacher"):
        changes.setdefault((change.course_id, change.date), []).append(change)
    return changes


def _days(
    course_list: list[Course],
    changes: dict[tuple[int, date], list[CourseChange]],
    start: date,
    end: date,
    teacher: Person | None = None,
) -> list[Day]:
    """The days of the range built in memory from loaded courses and changes."""
    days: list[Day] = []
    day = start
    while day <= end:
        holiday = day_off(day)
        entry = Day(day=day, holiday=holiday)
        if holiday is None:
            for course in course_list:
                if not course.runs_on(day):
                    continue
                teachers = list(course.teachers.all())
                occ = Occurrence(
                    day=day,
                    course=course,
                    start=course.start_time,
                    end=course.end_time,
                    room=course.room,
                    teachers=teachers,
                )
                for change in changes.get((course.pk, day), []):
                    if change.kind == CourseChange.Kind.CANCELLED:
                        occ.cancelled = True
                    elif change.kind == CourseChange.Kind.REPLACEMENT:
                        occ.replaced_by = change.replacement_teacher
                    elif change.kind == CourseChange.Kind.ROOM:
                        occ.room = change.room
                    if change.note:
                        occ.notes.append(change.note)
                if teacher is not None:
                    teaches = teacher in teachers
                    if occ.replaced_by is not None and occ.replaced_by != teacher and teaches:
                        continue
                    if not teaches and occ.replaced_by != teacher:
                        continue
                entry.occurrences.append(occ)
            entry.occurrences.sort(key=lambda o: (o.start, o.course.display_subject))
        days.append(entry)
        day += timedelta(days=1)
    return days


@dataclass
class PupilAudiences:
    """A pupil's current (non-archived) classes and groups, as ids."""

    classes: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)


def audiences_of_pupils(*, pupils: list[Person]) -> dict[int, PupilAudiences]:
    """The current classes and groups of several pupils at once (two queries)."""
    found = {p.pk: PupilAudiences() for p in pupils}
    for pupil_id, class_id in Enrolment.objects.filter(
        pupil__in=list(found), school_class__archived=False
    ).values_list("pupil_id", "school_class_id"):
        found[pupil_id].classes.add(class_id)
    for person_id, group_id in GroupMembership.objects.filter(
        person__in=list(found), group__archived=False
    ).values_list("person_id", "group_id"):
        found[person_id].groups.add(group_id)
    return found


def _courses_of_audiences(classes: set[int], groups: set[int]) -> QuerySet[Course]:
    by_class = Course.classes.through.objects.filter(schoolclass_id__in=classes).values("course_id")
    by_group = Course.groups.through.objects.filter(teachinggroup_id__in=groups).values("course_id")
    return Course.objects.filter(Q(pk__in=by_class) | Q(pk__in=by_group))


def pupils_occurrences(
    *, audiences: dict[int, PupilAudiences], start: date, end: date
) -> dict[int, list[Day]]:
    """The days of several pupils at once (``occurrences`` of each one's courses), by
    pupil id: their courses with the prefetches (4 queries) and the changes (1), whatever
    the number of pupils."""
    all_classes: set[int] = set().union(*(a.classes for a in audiences.values()))
    all_groups: set[int] = set().union(*(a.groups for a in audiences.values()))
    course_list: list[Course] = []
    if all_classes or all_groups:
        course_list = list(
            _with_prefetch(
                _courses_of_audiences(all_classes, all_groups).filter(
                    first_date__lte=end, last_date__gte=start
                )
            )
        )
    changes = _changes_of(course_list, start, end)
    weeks: dict[int, list[Day]] = {}
    for pupil_id, audience in audiences.items():
        mine = [
            c
            for c in course_list
            if any(k.pk in audience.classes for k in c.classes.all())
            or any(g.pk in audience.groups for g in c.groups.all())
        ]
        weeks[pupil_id] = _days(mine, changes, start, end)
    return weeks


def without_timetable(*, audiences: dict[int, PupilAudiences]) -> set[int]:
    """Those of these pupils whose classes and groups have no course at all: a school that
    has not published their timetable (two queries whatever the number of pupils)."""
    classes: set[int] = set().union(*(a.classes for a in audiences.values()))
    groups: set[int] = set().union(*(a.groups for a in audiences.values()))
    classes_with = set(
        Course.classes.through.objects.filter(schoolclass_id__in=classes).values_list(
            "schoolclass_id", flat=True
        )
    )
    groups_with = set(
        Course.groups.through.objects.filter(teachinggroup_id__in=groups).values_list(
            "teachinggroup_id", flat=True
        )
    )
    return {
        pk
        for pk, a in audiences.items()
        if not (a.classes & classes_with or a.groups & groups_with)
    }


def occurrence_for(*, course: Course, day: date) -> Occurrence | None:
    for entry in occurrences(courses=Course.objects.filter(pk=course.pk), start=day, end=day):
        for occ in entry.occurrences:
            return occ
    return None


def notices_for(*, person: Person, limit: int = 10) -> list[CourseNotice]:
    """The person's latest course-change notices (one query)."""
    return list(
        CourseNotice.objects.filter(
            person=person, change__date__gte=timezone.localdate() - timedelta(7)
        )
        .select_related("change__course__subject", "change__replacement_teacher")
        .order_by("-created_at")[:limit]
    )


def feed_person(*, token: str) -> Person | None:
    """The owner of a private feed link, if the link is still valid."""
    found = CalendarFeedToken.objects.filter(token=token).select_related("person").first()
    if found is None or not found.person.is_active:
        return None
    return found.person
