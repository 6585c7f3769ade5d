"""Hand-in folders (dépôts de devoirs), issue 16 item 4.

Rules:
* a teacher of a class (``is_teacher_of_class``) opens one for it, with a title, a
  deadline and optionally a homework of that class from the cahier de textes;
* the pupils currently in the class drop files into it (the same checks, antivirus and
  quota as their own space: the files are theirs); after the deadline it is still
  accepted and flagged **late**;
* a pupil sees only their own files, and a parent only their own child's (read only); the
  hand-in's teacher, or another teacher of the class, sees every pupil's, who handed in and who is late, and downloads them all as one
  zip, streamed (``archive.hand_in_zip``);
* anyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from ostal.core.uploads import clean_filename
from ostal.directory.abilities import is_teacher_of_class
from ostal.directory.models import Person, Profile, SchoolClass
from ostal.directory.selectors import (
    children_of,
    class_roster,
    classes_taught_by,
    current_class_of,
)
from ostal.documents import services
from ostal.documents.models import Document, HandIn
from ostal.homework.models import Homework


@transaction.atomic
def hand_in_open(
    *,
    teacher: Person,
    school_class: SchoolClass,
    title: str,
    deadline: datetime,
    homework: Homework | None = None,
) -> HandIn:
    if not is_teacher_of_class(teacher, school_class):
        raise ValidationError("Vous n'enseignez pas dans cette classe.")
    if homework is not None and homework.school_class_id != school_class.pk:
        raise ValidationError("Ce travail à faire n'est pas celui de cette classe.")
    try:
        title = clean_filename(title)
    except ValidationError:
        raise ValidationError("Donnez un titre au dépôt.") from None
    return HandIn.objects.create(
        teacher=teacher,
        school_class=school_class,
        title=title,
        deadline=deadline,
        homework=homework,
    )


def hand_in_submit(*, pupil: Person, hand_in: HandIn, upload: Any) -> Document:
    if not is_pupil_of_hand_in(pupil, hand_in):
        raise ValidationError("Ce dépôt n'est pas celui de votre classe.")
    return services.document_upload(owner=pupil, folder=None, upload=upload, hand_in=hand_in)


def is_pupil_of_hand_in(person: Person, hand_in: HandIn) -> bool:
    if person.profile != Profile.PUPIL:
        return False
    current = current_class_of(pupil=person)
    return current is not None and current.pk == hand_in.school_class_id


def classes_for(teacher: Person) -> list[SchoolClass]:
    if teacher.profile not in {Profile.TEACHER, Profile.LIBRARIAN}:
        return []
    return list(classes_taught_by(teacher=teacher))


def homework_choices(teacher: Person) -> QuerySet[Homework]:
    """Homework of the teacher's classes the hand-in may be linked to (latest first)."""
    return (
        Homework.objects.filter(school_class__in=[c.pk for c in classes_for(teacher)])
        .select_related("school_class")
        .order_by("-due_date", "-pk")[:50]
    )


def children_in_class(*, relative: Person, school_class_id: int) -> list[Person]:
    """A parent's children currently in that class."""
    if relative.profile != Profile.RELATIVE:
        return []
    return [
        c.pupil
        for c in children_of(relative=relative)
        if c.school_class is not None and c.school_class.pk == school_class_id
    ]


def hand_ins_for(*, user: Person) -> list[HandIn]:
    """The hand-ins a person may open: a teacher's classes', a pupil's class's, a parent's
    children's classes'."""
    if user.profile == Profile.RELATIVE:
        class_ids = [c.school_class.pk for c in children_of(relative=user) if c.school_class]
        qs = HandIn.objects.filter(school_class__in=class_ids)
    elif user.profile == Profile.PUPIL:
        current = current_class_of(pupil=user)
        if current is None:
            return []
        qs = HandIn.objects.filter(school_class=current)
    else:
        classes = classes_for(user)
        if not classes:
            return []
        qs = HandIn.objects.filter(school_class__in=[c.pk for c in classes])
    return list(qs.select_related("school_class", "homework").order_by("-deadline", "-pk"))


def hand_in_for(*, user: Person, pk: int) -> tuple[HandIn, bool] | None:
    """``(hand_in, sees_all)`` when the person may open it (teacher: all; pupil: own;
    parent: their children's, read only)."""
    hand_in = HandIn.objects.select_related("school_class", "homework").filter(pk=pk).first()
    if hand_in is None or not user.is_authenticated:
        return None
    if is_teacher_of_class(user, hand_in.school_class) and user.profile != Profile.PUPIL:
        return hand_in, True
    if is_pupil_of_hand_in(user, hand_in):
        return hand_in, False
    if children_in_class(relative=user, school_class_id=hand_in.school_class_id):
        return hand_in, False
    return None


@dataclass
class PupilWork:
    pupil: Person
    documents: list[Document] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return any(d.late for d in self.documents)


def hand_in_table(*, hand_in: HandIn) -> list[PupilWork]:
    """Every pupil of the class with their files (two queries)."""
    rows = {p.pk: PupilWork(p) for p in class_roster(school_class=hand_in.school_class)}
    for d in Document.objects.filter(hand_in=hand_in).order_by("created_at", "pk"):
        d.hand_in = hand_in
        row = rows.get(d.owner_id)
        if row is not None:
            row.documents.append(d)
    return list(rows.values())


def own_work(*, pupil: Person, hand_in: HandIn) -> list[Document]:
    docs = list(Document.objects.filter(hand_in=hand_in, owner=pupil).order_by("created_at"))
    for d in docs:
        d.hand_in = hand_in
    return docs


def hand_in_document(*, user: Person, pk: int) -> Document | None:
    """A handed-in file its owner, or a teacher of the class, may download."""
    document = (
        Document.objects.select_related("hand_in__school_class")
        .filter(pk=pk, hand_in__isnull=False)
        .first()
    )
    if document is None or document.hand_in is None:
        return None
    if document.owner_id == user.pk:
        return document
    if any(
        child.pk == document.owner_id
        for child in children_in_class(
            relative=user, school_class_id=document.hand_in.school_class_id
        )
    ):
        return document
    if user.profile != Profile.PUPIL and is_teacher_of_class(user, document.hand_in.school_class):
        return document
    return None
