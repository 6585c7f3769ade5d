"""Reads on the espace documentaire, always scoped to the person: someone else's folder
or file is ``None`` (the pages and the API answer 404, as for one that does not exist)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ostal.directory.models import Person
from ostal.documents.abilities import has_document_space
from ostal.documents.models import Document, Folder

LIST_FIELDS = (
    "pk",
    "owner_id",
    "folder_id",
    "name",
    "size",
    "content_type",
    "scan",
    "scan_signature",
    "updated_at",
    "trashed_at",
)


def _own(user: Person) -> bool:
    return user.is_authenticated and has_document_space(user)


def folder_for(*, user: Person, pk: int | None, trashed: bool = False) -> Folder | None:
    """The person's own folder (in the trash only when ``trashed``)."""
    if pk is None or not _own(user):
        return None
    return (
        Folder.objects.select_related("parent")
        .filter(owner=user, pk=pk, trashed_at__isnull=not trashed)
        .first()
    )


def document_for(*, user: Person, pk: int | None, trashed: bool | None = False) -> Document | None:
    """The person's own file; ``trashed=None``: wherever it is."""
    if pk is None or not _own(user):
        return None
    qs = Document.objects.select_related("folder").filter(owner=user, pk=pk, hand_in__isnull=True)
    if trashed is not None:
        qs = qs.filter(trashed_at__isnull=not trashed)
    return qs.first()


@dataclass
class Listing:
    folder: Folder | None
    path: list[Folder]
    folders: list[Folder]
    documents: list[Document]


def breadcrumbs(folder: Folder | None) -> list[Folder]:
    """From the root down to ``folder`` (one query per level above the first)."""
    path: list[Folder] = []
    while folder is not None:
        path.insert(0, folder)
        folder = folder.parent
    return path


def listing(*, user: Person, folder: Folder | None) -> Listing:
    """What a folder (``None``: the root of the space) holds outside the trash: its
    sub-folders then its files, by name. Two queries whatever the number of files."""
    folders = list(
        Folder.objects.filter(owner=user, parent=folder, trashed_at__isnull=True).order_by(
            "name", "pk"
        )
    )
    documents = list(
        Document.objects.filter(
            owner=user, folder=folder, hand_in__isnull=True, trashed_at__isnull=True
        )
        .only(*LIST_FIELDS)
        .order_by("name", "pk")
    )
    return Listing(folder, breadcrumbs(folder), folders, documents)


def trash_of(*, user: Person) -> tuple[list[Folder], list[Document]]:
    """What the person put in the trash (newest first)."""
    folders = list(
        Folder.objects.filter(owner=user, trashed_at__isnull=False).order_by("-trashed_at")
    )
    documents = list(
        Document.objects.filter(owner=user, hand_in__isnull=True, trashed_at__isnull=False)
        .only(*LIST_FIELDS)
        .order_by("-trashed_at")
    )
    return folders, documents


def move_targets(*, user: Person) -> QuerySet[Folder]:
    """The folders a file can be moved to (outside the trash)."""
    return Folder.objects.filter(owner=user, trashed_at__isnull=True).order_by("name", "pk")
