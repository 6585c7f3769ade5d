"""Writes on the timetable: imports, course changes (with their notices), feed tokens.

Rules: an import is all or nothing, in one transaction, and leaves a report
(``TimetableImport``) even when refused or when run as a dry run; it replaces the courses
the same format imported earlier for that school and year, and never invents a class,
group, teacher or subject. A course change notifies every pupil, parent and teacher
concerned (a ``CourseNotice`` each; no e-mail).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from typing import Any

from django.db import transaction

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
from ostal.timetable.importers import ParsedTimetable, TimetableFileError
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

TEACHING_PROFILES = (Profile.TEACHER, Profile.LIBRARIAN, Profile.DIRECTION, Profile.SCHOOL_LIFE)


def normalize(value: str) -> str:
    """Upper case, no accents, runs of punctuation and spaces as one space."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", " ", plain.upper()).strip()


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


def _apply(*, school: School, parsed: ParsedTimetable, origin: str) -> dict[str, Any]:
    year = school_year_of(parsed.school_year_start)
    classes: dict[str, SchoolClass] = {}
    for item in SchoolClass.objects.filter(school=school, school_year=year):
        classes.setdefault(normalize(item.code), item)
        classes.setdefault(normalize(item.label), item)
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
    Course.objects.filter(school=school, school_year=year, origin=origin).delete()
    pending: list[tuple[Course, list[int], list[int], list[int]]] = []
    for draft in parsed.drafts:
        class_ids, group_ids, teacher_ids = [], [], []
        for name in draft.classes:
            found = classes.get(normalize(name))
            if found is not None:
                class_ids.append(found.pk)
            elif normalize(name) in groups:  # CSV and iCalendar name groups there too
                group_ids.append(groups[normalize(name)].pk)
            else:
                unknown["classes"][name] += 1
        for name in draft.groups:
            found_group = groups.get(normalize(name))
            if found_group is None:
                unknown["groups"][name] += 1
            else:
                group_ids.append(found_group.pk)
        for last_name, first_name in draft.teachers:
            person = teachers.get((normalize(last_name), normalize(first_name)))
            if person is None:
                unknown["teachers"][f"{last_name} {first_name}".strip()] += 1
            else:
                teacher_ids.append(person.pk)
        subject = subjects.get(normalize(draft.subject_code)) or subjects.get(
            normalize(draft.subject_label)
        )
        if subject is None:
            unknown["subjects"][draft.subject_label or draft.subject_code] += 1
        if not class_ids and not group_ids:
            skipped.append(
                {
                    "line": draft.line,
                    "message": f"cours de {draft.subject_label} ({', '.join(draft.classes + draft.groups)}) "
                    "sans classe ni groupe connus de l'annuaire : non créé",
                }
            )
            continue
        course = Course(
            school=school,
            school_year=year,
            origin=origin,
            external_id=draft.external_id,
            subject=subject,
            subject_label=(subject.label if subject else draft.subject_label)[:160],
            room=", ".join(draft.rooms)[:120],
            weekday=draft.weekday,
            start_time=draft.start,
            end_time=draft.end,
            first_date=draft.first_date,
            last_date=draft.last_date,
            weeks=[m.isoformat() for m in draft.weeks],
        )
        pending.append((course, sorted(set(class_ids)), sorted(set(group_ids)), teacher_ids))
    created = Course.objects.bulk_create([p[0] for p in pending])
    class_links, group_links, teacher_links = [], [], []
    for course, (_c, class_ids, group_ids, teacher_ids) in zip(created, pending, strict=True):
        class_links += [
            Course.classes.through(course_id=course.pk, schoolclass_id=i) for i in class_ids
        ]
        group_links += [
            Course.groups.through(course_id=course.pk, teachinggroup_id=i) for i in group_ids
        ]
        teacher_links += [
            Course.teachers.through(course_id=course.pk, person_id=i) for i in set(teacher_ids)
        ]
    Course.classes.through.objects.bulk_create(class_links)
    Course.groups.through.objects.bulk_create(group_links)
    Course.teachers.through.objects.bulk_create(teacher_links)
    return {
        "uai": school.uai,
        "school_year": year,
        "courses_in_file": len(parsed.drafts),
        "courses_created": len(created),
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
    return change


@transaction.atomic
def calendar_feed_renew(*, person: Person) -> CalendarFeedToken:
    """Give ``person`` a new private feed link; the previous one stops working."""
    CalendarFeedToken.objects.filter(person=person).delete()
    return CalendarFeedToken.objects.create(person=person)


@transaction.atomic
def calendar_feed_revoke(*, person: Person) -> None:
    CalendarFeedToken.objects.filter(person=person).delete()
