"""Writes on the cahier de textes: lessons with their work, copies, ticks, hand-ins.

Rules: only a writer of the class or group (``can_write_cahier``) writes in it; rich text
goes through the shared sanitizer; links are http(s) only; attachments are limited in
size and checked by their content (``ostal.core.uploads``), not by their name — there is
no antivirus scan here yet; a lesson and its work are saved whole or
not at all. Work is due on or after the day it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ostal.core import uploads
from ostal.directory.models import Person, SchoolClass, Subject, TeachingGroup
from ostal.homework.abilities import (
    Audience,
    can_write_cahier,
    is_pupil_of_audience,
)
from ostal.homework.models import Attachment, Homework, HomeworkDone, LessonEntry, Submission
from ostal.homework.sanitize import rich_text_clean
from ostal.timetable.models import Course

ALLOWED_TYPES = uploads.ALLOWED_TYPES  # kept for importers; the list is in ostal.core


@dataclass
class HomeworkInput:
    due_date: date
    instructions: str
    estimated_minutes: int = 0
    is_test: bool = False
    online_submission: bool = False


def _check_file(upload: UploadedFile) -> str:
    """The file's real content type, or a French ``ValidationError``."""
    return uploads.upload_check(upload, limit=settings.OSTAL_HOMEWORK_MAX_UPLOAD)


def _clean_links(links: list[str]) -> list[str]:
    clean = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        parsed = urlparse(link)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValidationError(f"Lien refusé : « {link} » (seuls http et https sont acceptés).")
        clean.append(link[:500])
    return clean


def _audience_fields(audience: Audience) -> dict[str, Any]:
    if isinstance(audience, SchoolClass):
        return {"school_class": audience, "group": None}
    return {"school_class": None, "group": audience}


@transaction.atomic
def lesson_save(
    *,
    author: Person,
    audience: Audience,
    day: date,
    title: str,
    content: str = "",
    links: list[str] | None = None,
    homework: list[HomeworkInput] | None = None,
    attachments: list[UploadedFile] | None = None,
    course: Course | None = None,
    subject: Subject | None = None,
    subject_label: str = "",
    start_time: time | None = None,
    visible_from: datetime | None = None,
    lesson: LessonEntry | None = None,
) -> LessonEntry:
    """Create (or, with ``lesson``, update) a lesson entry with its work."""
    if not can_write_cahier(author, audience):
        raise PermissionDenied("Vous n'enseignez pas dans cette classe ou ce groupe.")
    if lesson is not None and lesson.audience != audience:
        raise PermissionDenied("Cette séance n'appartient pas à cette classe.")
    title = title.strip()
    if not title:
        raise ValidationError("Le titre de la séance est obligatoire.")
    if course is not None:
        subject = subject or course.subject
        subject_label = subject_label or course.display_subject
        start_time = start_time or course.start_time
    label = subject.label if subject else subject_label
    if not label:
        raise ValidationError("La matière de la séance est obligatoire.")
    items = homework or []
    for item in items:
        if not rich_text_clean(item.instructions):
            raise ValidationError("Le travail à faire doit avoir une consigne.")
        if item.due_date < day:
            raise ValidationError(
                "Le travail ne peut pas être à rendre avant le jour où il est donné "
                f"({item.due_date:%d/%m/%Y} avant le {day:%d/%m/%Y})."
            )
        if not 0 <= item.estimated_minutes <= 600:
            raise ValidationError("La durée estimée doit être comprise entre 0 et 600 minutes.")
    files = [(upload, _check_file(upload)) for upload in attachments or []]
    fields = {
        "school": audience.school,
        **_audience_fields(audience),
        "course": course,
        "subject": subject,
        "subject_label": label[:160],
        "author": lesson.author if lesson is not None else author,
        "date": day,
        "start_time": start_time,
        "title": title[:200],
        "content": rich_text_clean(content),
        "links": _clean_links(links or []),
        "visible_from": visible_from or timezone.now(),
    }
    if lesson is None:
        lesson = LessonEntry.objects.create(**fields)
    else:
        for name, value in fields.items():
            setattr(lesson, name, value)
        lesson.save()
        lesson.homework.all().delete()
    Homework.objects.bulk_create(
        [
            Homework(
                lesson=lesson,
                **_audience_fields(audience),
                due_date=item.due_date,
                instructions=rich_text_clean(item.instructions),
                estimated_minutes=item.estimated_minutes,
                is_test=item.is_test,
                online_submission=item.online_submission,
            )
            for item in items
        ]
    )
    for upload, kind in files:
        Attachment.objects.create(
            lesson=lesson,
            file=upload,
            name=str(upload.name)[:200],
            content_type=kind,
            size=upload.size or 0,
        )
    return lesson


@transaction.atomic
def lesson_copy(
    *, lesson: LessonEntry, actor: Person, audience: Audience, day: date | None = None
) -> LessonEntry:
    """Copy a lesson and its work to another class or group the actor writes in."""
    day = day or lesson.date
    shift = day - lesson.date
    copy = lesson_save(
        author=actor,
        audience=audience,
        day=day,
        title=lesson.title,
        content=lesson.content,
        links=list(lesson.links),
        subject=lesson.subject,
        subject_label=lesson.subject_label,
        start_time=lesson.start_time,
        visible_from=lesson.visible_from,
        homework=[
            HomeworkInput(
                due_date=h.due_date + shift,
                instructions=h.instructions,
                estimated_minutes=h.estimated_minutes,
                is_test=h.is_test,
                online_submission=h.online_submission,
            )
            for h in lesson.homework.all()
        ],
    )
    for attachment in lesson.attachments.all():
        Attachment.objects.create(
            lesson=copy,
            file=attachment.file.name,
            name=attachment.name,
            content_type=attachment.content_type,
            size=attachment.size,
        )
    return copy


def _homework_audience(homework: Homework) -> SchoolClass | TeachingGroup:
    audience = homework.school_class or homework.group
    assert audience is not None
    return audience


@transaction.atomic
def homework_mark_done(*, homework: Homework, pupil: Person, done: bool = True) -> bool:
    """A pupil ticks (or unticks) their own work; returns the new state."""
    if not is_pupil_of_audience(pupil, _homework_audience(homework)):
        raise PermissionDenied("Ce travail n'est pas le vôtre.")
    if done:
        HomeworkDone.objects.get_or_create(homework=homework, pupil=pupil)
    else:
        HomeworkDone.objects.filter(homework=homework, pupil=pupil).delete()
    return done


@transaction.atomic
def homework_submit(*, homework: Homework, pupil: Person, upload: UploadedFile) -> Submission:
    """A pupil hands in work online (replacing an earlier hand-in) and it counts as done."""
    if not is_pupil_of_audience(pupil, _homework_audience(homework)):
        raise PermissionDenied("Ce travail n'est pas le vôtre.")
    if not homework.online_submission:
        raise ValidationError("Ce travail ne se rend pas en ligne.")
    kind = _check_file(upload)
    Submission.objects.filter(homework=homework, pupil=pupil).delete()
    submission = Submission.objects.create(
        homework=homework, pupil=pupil, file=upload, name=str(upload.name)[:200], content_type=kind
    )
    HomeworkDone.objects.get_or_create(homework=homework, pupil=pupil)
    return submission
