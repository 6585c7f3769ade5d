"""The natural key of a timetable slot, shared by the import and the calendar feed.

Rule: a course is the same slot across re-imports when it is given in the same school, on
the same weekday at the same start time, in the same subject, to the same classes and
groups, by the same teachers. Database ids play no part: re-importing a file must not
change the identity of a slot (the import reconciles on this key, and the iCalendar UID
of an occurrence is this key plus the date). Room, end time, dates and weeks are not part
of the key: when they change, the slot is the same course, changed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ostal.directory.models import Person, SchoolClass, Subject, TeachingGroup
    from ostal.timetable.models import Course


def normalize(value: str) -> str:
    """Upper case, no accents, runs of punctuation and spaces as one space."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", " ", plain.upper()).strip()


def slot_key(
    *,
    uai: str,
    weekday: int,
    start: time,
    subject: Subject | None,
    subject_label: str,
    classes: Iterable[SchoolClass],
    groups: Iterable[TeachingGroup],
    teachers: Iterable[Person],
) -> str:
    """The slot's natural key, as readable text (codes and names, normalised)."""
    subject_part = subject.code if subject is not None else normalize(subject_label)
    class_part = ",".join(sorted(normalize(c.code) for c in classes))
    group_part = ",".join(sorted(normalize(g.code) for g in groups))
    teacher_part = ",".join(
        sorted(f"{normalize(t.last_name)} {normalize(t.first_name)}" for t in teachers)
    )
    return "|".join(
        [
            uai,
            str(weekday),
            f"{start:%H%M}",
            subject_part,
            class_part,
            group_part,
            teacher_part,
        ]
    )


def course_slot_key(course: Course) -> str:
    """The natural key of a stored course (uses its prefetched classes, groups, teachers)."""
    return slot_key(
        uai=course.school.uai,
        weekday=course.weekday,
        start=course.start_time,
        subject=course.subject,
        subject_label=course.subject_label,
        classes=course.classes.all(),
        groups=course.groups.all(),
        teachers=course.teachers.all(),
    )


def occurrence_uid(*, key: str, day: date, rank: int = 1, who: str = "") -> str:
    """The iCalendar UID of the slot ``key`` on ``day`` (``rank`` > 1 tells apart two slots
    with the same key on the same day; ``who`` the person whose calendar holds it)."""
    digest = hashlib.sha256(f"{key}|{day.isoformat()}".encode()).hexdigest()[:24]
    suffix = f"-{rank}" if rank > 1 else ""
    owner = f"-{who}" if who else ""
    return f"cours-{day:%Y%m%d}-{digest}{suffix}{owner}@ostal"
