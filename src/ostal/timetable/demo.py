"""The demo's school day: a timetable for the demo pupil's class (from the class's teaching
assignments), and this week's lessons and work, so that every page has something to show.
Fast (a few dozen rows) and idempotent enough for ``demo --if-empty``."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from ostal.directory.models import Person, SchoolClass, TeachingAssignment
from ostal.homework.models import LessonEntry
from ostal.homework.services import HomeworkInput, lesson_save
from ostal.territory.models import School
from ostal.timetable.models import Course
from ostal.timetable.selectors import monday_of

SLOTS = [(time(8, 0), time(9, 0)), (time(9, 0), time(10, 0)), (time(10, 15), time(11, 15)),
         (time(11, 15), time(12, 15)), (time(13, 30), time(14, 30)), (time(14, 30), time(15, 30))]  # fmt: skip


def _demo_class(school: School) -> SchoolClass | None:
    active = SchoolClass.objects.filter(
        school=school, archived=False, enrolments__pupil__state=Person.State.ACTIVE
    ).first()
    return active or (
        SchoolClass.objects.filter(school=school, archived=False, assignments__isnull=False)
        .order_by("pk")
        .first()
    )


def schoolday_demo(*, school: School | None) -> int:
    """Fill a week of timetable and lessons for the demo class; return the courses made."""
    if school is None:
        return 0
    school_class = _demo_class(school)
    if school_class is None or Course.objects.filter(classes=school_class).exists():
        return 0
    assignments = list(
        TeachingAssignment.objects.filter(school_class=school_class, subject__isnull=False)
        .select_related("teacher", "subject")
        .order_by("pk")[:8]
    )
    if not assignments:
        return 0
    today = timezone.localdate()
    year_start = (
        today.replace(month=9, day=1)
        if today.month >= 8
        else today.replace(year=today.year - 1, month=9, day=1)
    )
    courses = []
    slot_index = 0
    for weekday in range(1, 6):
        for _n in range(4):
            assignment = assignments[slot_index % len(assignments)]
            start, end = SLOTS[(slot_index + weekday) % len(SLOTS)]
            slot_index += 1
            course = Course.objects.create(
                school=school,
                school_year=school_class.school_year,
                origin=Course.Origin.MANUAL,
                subject=assignment.subject,
                subject_label=assignment.subject.label if assignment.subject else "",
                room=f"{100 + slot_index}",
                weekday=weekday,
                start_time=start,
                end_time=end,
                first_date=year_start,
                last_date=year_start.replace(year=year_start.year + 1, month=7, day=4),
            )
            course.classes.add(school_class)
            course.teachers.add(assignment.teacher)
            courses.append(course)
    monday = monday_of(today)
    if not LessonEntry.objects.filter(school_class=school_class).exists():
        for course in courses[:6]:
            day = monday + timedelta(days=course.weekday - 1)
            lesson_save(
                author=course.teachers.get(),
                audience=school_class,
                day=day,
                course=course,
                title=f"{course.display_subject.capitalize()} : séance du {day:%d/%m}",
                content="<p>Reprise du cours précédent, puis <strong>exercices</strong> en classe.</p>",
                homework=[
                    HomeworkInput(
                        due_date=day + timedelta(days=2),
                        instructions="<p>Relire le cours et faire les exercices 1 à 3.</p>",
                        estimated_minutes=20,
                        is_test=course.weekday == 1,
                    )
                ],
            )
    return len(courses)
