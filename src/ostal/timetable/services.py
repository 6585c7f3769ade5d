"""Writes on the timetable: imports, course changes (with their notices), feed tokens.

Rules: an import is all or nothing, in one transaction, and leaves a report
(``TimetableImport``) even when refused or when run as a dry run; it reconciles the courses
the same format imported earlier for that school and year with the file (unchanged slots
keep their identity, changes, notices and lessons; what disappears takes only its future
changes with it, counted in the report), and never invents a class, group, teacher or
subject. A course change notifies every pupil, parent and teacher
concerned (a ``CourseNotice`` each; no e-mail).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ostal.directory.models import (
    Enrolment,
    GroupMembership,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    Subject,
    TeachingGroup,
    school_year_of,
)
from ostal.territory.models import School
from ostal.timetable.importers import CourseDraft, ParsedTimetable, TimetableFileError
from ostal.timetable.importers.csv_format import parse_csv
from ostal.timetable.importers.edt import parse_edt
from ostal.timetable.importers.ical_format import parse_ical
from ostal.timetable.models import (
    CalendarFeedToken,
    Course,
    CourseChange,
    CourseNotice,
    TimetableImport,
)
from ostal.timetable.slots import course_slot_key, normalize, slot_key

TEACHING_PROFILES = (Profile.TEACHER, Profile.LIBRARIAN, Profile.DIRECTION, Profile.SCHOOL_LIFE)


class _DryRun(Exception):
    pass


def _parse(origin: str, content: bytes, filename: str, school: School) -> ParsedTimetable:
    if origin == Course.Origin.EDT:
        return parse_edt(content, filename)
    if origin == Course.Origin.CSV:
        return parse_csv(content, uai=school.uai)
    if origin == Course.Origin.ICAL:
        return parse_ical(content, uai=school.uai)
    raise TimetableFileError(f"format « {origin} » non pris en charge")


def timetable_import(
    *,
    school: School,
    content: bytes,
    filename: str,
    origin: str = Course.Origin.EDT,
    dry_run: bool = False,
    actor: Person | None = None,
) -> TimetableImport:
    """Import a timetable file for ``school``; return the stored run and its report."""
    run = TimetableImport(
        school=school, origin=origin, filename=filename[:255], dry_run=dry_run, actor=actor
    )
    try:
        parsed = _parse(origin, content, filename, school)
        if parsed.uai != school.uai:
            raise TimetableFileError(
                f"ce fichier est celui de l'établissement {parsed.uai}, pas de {school.uai}"
            )
        try:
            with transaction.atomic():
                run.report = _apply(school=school, parsed=parsed, origin=origin)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        run.status = TimetableImport.Status.SUCCEEDED
    except TimetableFileError as exc:
        run.status = TimetableImport.Status.FAILED
        run.error = str(exc)
        run.report = {"error": exc.message, "line": exc.line}
    run.save()
    return run


@dataclass
class _Wanted:
    """A course as the file wants it, its names resolved against the directory."""

    draft: CourseDraft
    key: str
    fields: dict[str, Any]
    class_ids: frozenset[int]
    group_ids: frozenset[int]
    teacher_ids: frozenset[int]
    weeks: frozenset[str]

    def same_as(self, course: Course) -> bool:
        return (
            all(getattr(course, name) == value for name, value in self.fields.items())
            and self.weeks == frozenset(course.weeks)
            and self.class_ids == frozenset(c.pk for c in course.classes.all())
            and self.group_ids == frozenset(g.pk for g in course.groups.all())
            and self.teacher_ids == frozenset(t.pk for t in course.teachers.all())
        )


def _course_label(course: Course) -> str:
    audience = [c.code for c in course.classes.all()] + [g.code for g in course.groups.all()]
    return (
        f"{course.display_subject} ({', '.join(audience)}), "
        f"{course.get_weekday_display_short()} {course.start_time:%H:%M}"
    )


def _apply(*, school: School, parsed: ParsedTimetable, origin: str) -> dict[str, Any]:
    """Reconcile the school's courses of this format and year with the file.

    A course of the file whose slot (``timetable.slots``) and content are those of a stored
    course leaves it untouched (same id: its changes, notices and lessons stay); same slot
    but other weeks, dates, room or end time: the stored course is updated in place, and
    only its changes on future dates it no longer runs on are dropped. A stored course the
    file no longer has ends the day before today (its past stays as it was: occurrences,
    changes, notices, lessons) and its future changes are dropped; one that had not started
    is deleted. Every drop is counted in the report.
    """
    year = school_year_of(parsed.school_year_start)
    today = timezone.localdate()
    classes: dict[str, SchoolClass] = {}
    for school_class in SchoolClass.objects.filter(school=school, school_year=year):
        classes.setdefault(normalize(school_class.code), school_class)
        classes.setdefault(normalize(school_class.label), school_class)
    groups: dict[str, TeachingGroup] = {}
    for group in TeachingGroup.objects.filter(school=school, school_year=year):
        groups.setdefault(normalize(group.code), group)
        groups.setdefault(normalize(group.label), group)
    subjects: dict[str, Subject] = {}
    for known in Subject.objects.all():
        subjects.setdefault(normalize(known.code), known)
        subjects.setdefault(normalize(known.label), known)
    teachers: dict[tuple[str, str], Person] = {}
    staff = Person.objects.filter(
        affiliations__school=school, affiliations__profile__in=TEACHING_PROFILES
    ).distinct()
    for member in staff:
        teachers.setdefault((normalize(member.last_name), normalize(member.first_name)), member)
    classes.pop("", None)
    groups.pop("", None)
    subjects.pop("", None)

    unknown: dict[str, Counter[str]] = {
        "classes": Counter(),
        "groups": Counter(),
        "teachers": Counter(),
        "subjects": Counter(),
    }
    skipped = list(parsed.skipped)
    wanted: list[_Wanted] = []
    for draft in parsed.drafts:
        found_classes: dict[int, SchoolClass] = {}
        found_groups: dict[int, TeachingGroup] = {}
        found_teachers: dict[int, Person] = {}
        for name in draft.classes:
            found = classes.get(normalize(name))
            if found is not None:
                found_classes[found.pk] = found
            elif normalize(name) in groups:  # CSV and iCalendar name groups there too
                found_groups[groups[normalize(name)].pk] = groups[normalize(name)]
            else:
                unknown["classes"][name] += 1
        for name in draft.groups:
            found_group = groups.get(normalize(name))
            if found_group is None:
                unknown["groups"][name] += 1
            else:
                found_groups[found_group.pk] = found_group
        for last_name, first_name in draft.teachers:
            person = teachers.get((normalize(last_name), normalize(first_name)))
            if person is None:
                unknown["teachers"][f"{last_name} {first_name}".strip()] += 1
            else:
                found_teachers[person.pk] = person
        subject = subjects.get(normalize(draft.subject_code)) or subjects.get(
            normalize(draft.subject_label)
        )
        if subject is None:
            unknown["subjects"][draft.subject_label or draft.subject_code] += 1
        if not found_classes and not found_groups:
            skipped.append(
                {
                    "line": draft.line,
                    "message": f"cours de {draft.subject_label} ({', '.join(draft.classes + draft.groups)}) "
                    "sans classe ni groupe connus de l'annuaire : non créé",
                }
            )
            continue
        subject_label = (subject.label if subject else draft.subject_label)[:160]
        wanted.append(
            _Wanted(
                draft=draft,
                key=slot_key(
                    uai=school.uai,
                    weekday=draft.weekday,
                    start=draft.start,
                    subject=subject,
                    subject_label=subject_label,
                    classes=found_classes.values(),
                    groups=found_groups.values(),
                    teachers=found_teachers.values(),
                ),
                fields={
                    "subject": subject,
                    "subject_label": subject_label,
                    "room": ", ".join(draft.rooms)[:120],
                    "end_time": draft.end,
                    "first_date": draft.first_date,
                    "last_date": draft.last_date,
                },
                class_ids=frozenset(found_classes),
                group_ids=frozenset(found_groups),
                teacher_ids=frozenset(found_teachers),
                weeks=frozenset(m.isoformat() for m in draft.weeks),
            )
        )

    stored = list(
        Course.objects.filter(school=school, school_year=year, origin=origin)
        .select_related("subject", "school")
        .prefetch_related("classes", "groups", "teachers")
    )
    stored_by_key: dict[str, list[Course]] = defaultdict(list)
    for course in stored:
        stored_by_key[course_slot_key(course)].append(course)
    wanted_by_key: dict[str, list[_Wanted]] = defaultdict(list)
    for item in wanted:
        wanted_by_key[item.key].append(item)

    unchanged: list[Course] = []
    to_update: list[tuple[Course, _Wanted]] = []
    to_add: list[_Wanted] = []
    for key, items in wanted_by_key.items():
        candidates = stored_by_key.pop(key, [])
        rest: list[_Wanted] = []
        for item in items:
            same = next((c for c in candidates if item.same_as(c)), None)
            if same is None:
                rest.append(item)
            else:
                candidates.remove(same)
                unchanged.append(same)
        for item in sorted(rest, key=lambda w: w.fields["first_date"]):
            if not candidates:
                to_add.append(item)
                continue
            # the stored course of this slot that shares most weeks with the file's
            best = max(candidates, key=lambda c: len(item.weeks & frozenset(c.weeks)))
            candidates.remove(best)
            to_update.append((best, item))
        if candidates:
            stored_by_key[key] = candidates
    gone = [course for leftover in stored_by_key.values() for course in leftover]

    future_changes: dict[int, list[CourseChange]] = defaultdict(list)
    for change in CourseChange.objects.filter(
        course__in=[c.pk for c, _w in to_update] + [c.pk for c in gone], date__gte=today
    ):
        future_changes[change.course_id].append(change)
    dropped: list[int] = []
    removed_report: list[dict[str, Any]] = []

    for course, item in to_update:
        for name, value in item.fields.items():
            setattr(course, name, value)
        course.weeks = sorted(item.weeks)
        course.external_id = item.draft.external_id
        course.save()
        course.classes.set(item.class_ids)
        course.groups.set(item.group_ids)
        course.teachers.set(item.teacher_ids)
        dropped += [ch.pk for ch in future_changes[course.pk] if not course.runs_on(ch.date)]

    removed = 0
    for course in gone:
        if course.last_date < today:
            continue  # ended already: the past is not rewritten
        removed += 1
        changes = future_changes[course.pk]
        removed_report.append({"course": _course_label(course), "changes_dropped": len(changes)})
        dropped += [ch.pk for ch in changes]
        if course.first_date < today:
            course.last_date = today - timedelta(days=1)
            course.save(update_fields=["last_date"])
        else:
            course.delete()
    CourseChange.objects.filter(pk__in=dropped).delete()

    pending = [
        Course(
            school=school,
            school_year=year,
            origin=origin,
            external_id=item.draft.external_id,
            weeks=sorted(item.weeks),
            weekday=item.draft.weekday,
            start_time=item.draft.start,
            **item.fields,
        )
        for item in to_add
    ]
    created = Course.objects.bulk_create(pending)
    class_links, group_links, teacher_links = [], [], []
    for course, item in zip(created, to_add, strict=True):
        class_links += [
            Course.classes.through(course_id=course.pk, schoolclass_id=i)
            for i in sorted(item.class_ids)
        ]
        group_links += [
            Course.groups.through(course_id=course.pk, teachinggroup_id=i)
            for i in sorted(item.group_ids)
        ]
        teacher_links += [
            Course.teachers.through(course_id=course.pk, person_id=i)
            for i in sorted(item.teacher_ids)
        ]
    Course.classes.through.objects.bulk_create(class_links)
    Course.groups.through.objects.bulk_create(group_links)
    Course.teachers.through.objects.bulk_create(teacher_links)
    return {
        "uai": school.uai,
        "school_year": year,
        "courses_in_file": len(parsed.drafts),
        "courses_created": len(created),
        "courses_unchanged": len(unchanged),
        "courses_updated": len(to_update),
        "courses_removed": removed,
        "changes_dropped": len(dropped),
        "removed": removed_report,
        "unknown": {k: dict(sorted(v.items())) for k, v in unknown.items()},
        "skipped": skipped,
    }


def course_audience(*, course: Course) -> set[int]:
    """Ids of the people a change of ``course`` concerns: its pupils, their parents, its
    teachers."""
    class_ids = list(course.classes.values_list("pk", flat=True))
    group_ids = list(course.groups.values_list("pk", flat=True))
    pupils = set(
        Enrolment.objects.filter(school_class_id__in=class_ids).values_list("pupil_id", flat=True)
    ) | set(
        GroupMembership.objects.filter(group_id__in=group_ids).values_list("person_id", flat=True)
    )
    parents = set(
        RelativeLink.objects.filter(pupil_id__in=pupils).values_list("relative_id", flat=True)
    )
    teachers = set(course.teachers.values_list("pk", flat=True))
    return pupils | parents | teachers


@transaction.atomic
def course_change_record(
    *,
    course: Course,
    day: date,
    kind: str,
    actor: Person,
    replacement_teacher: Person | None = None,
    room: str = "",
    note: str = "",
) -> CourseChange:
    """Record a change of ``course`` on ``day`` and notify everyone concerned."""
    if not course.runs_on(day):
        raise ValueError("Ce cours n'a pas lieu ce jour-là.")
    if kind == CourseChange.Kind.REPLACEMENT and replacement_teacher is None:
        raise ValueError("Indiquez le professeur remplaçant.")
    if kind == CourseChange.Kind.ROOM and not room.strip():
        raise ValueError("Indiquez la nouvelle salle.")
    change, _created = CourseChange.objects.update_or_create(
        course=course,
        date=day,
        kind=kind,
        defaults={
            "replacement_teacher": replacement_teacher,
            "room": room.strip(),
            "note": note.strip(),
            "created_by": actor,
        },
    )
    audience = course_audience(course=course)
    if replacement_teacher is not None:
        audience.add(replacement_teacher.pk)
    CourseNotice.objects.filter(change=change).delete()
    CourseNotice.objects.bulk_create(
        [CourseNotice(person_id=pk, change=change) for pk in sorted(audience)]
    )
    _notify_change(change, audience)
    return change


def _notify_change(change: CourseChange, audience: set[int]) -> None:
    """Once committed, tell the notification channels (Web Push…): each parent hears the
    first name of their child in the course, nothing else about it."""
    from ostal.notifications.channels import Event, notify

    children: dict[int, list[str]] = {}
    for relative_id, first_name in RelativeLink.objects.filter(
        relative_id__in=audience, pupil_id__in=audience
    ).values_list("relative_id", "pupil__first_name"):
        children.setdefault(relative_id, []).append(first_name)
    recipients = {
        pk: ", ".join(sorted(children[pk])) if pk in children else None for pk in audience
    }
    event = (
        Event.COURSE_CANCELLED
        if change.kind == CourseChange.Kind.CANCELLED
        else Event.COURSE_CHANGED
    )
    transaction.on_commit(lambda: notify(event, recipients), robust=True)


@transaction.atomic
def calendar_feed_renew(*, person: Person) -> CalendarFeedToken:
    """Give ``person`` a new private feed link; the previous one stops working."""
    CalendarFeedToken.objects.filter(person=person).delete()
    return CalendarFeedToken.objects.create(person=person)


@transaction.atomic
def calendar_feed_revoke(*, person: Person) -> None:
    CalendarFeedToken.objects.filter(person=person).delete()
