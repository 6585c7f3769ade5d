"""Reads on the espace documentaire, always scoped to the person: someone else's folder
or file is ``None`` (the pages and the API answer 404, as for one that does not exist)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
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
    """One page of a folder: its sub-folders first, then its files, both by name (then id,
    a stable order), ``size`` rows at most; ``folder_count`` and ``document_count`` are the
    folder's totals, not the page's."""

    folder: Folder | None
    path: list[Folder]
    folders: list[Folder]
    documents: list[Document]
    number: int = 1
    size: int = 50
    folder_count: int = 0
    document_count: int = 0

    @property
    def total(self) -> int:
        return self.folder_count + self.document_count

    @property
    def page_count(self) -> int:
        """At least 1 (an empty folder has one, empty, page)."""
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def beyond_last(self) -> bool:
        """A page number past the last page (the page says so, the API lists nothing)."""
        return self.number > self.page_count


def breadcrumbs(folder: Folder | None) -> list[Folder]:
    """From the root down to ``folder`` (one query per level above the first)."""
    path: list[Folder] = []
    while folder is not None:
        path.insert(0, folder)
        folder = folder.parent
    return path


def listing(*, user: Person, folder: Folder | None, page: int = 1) -> Listing:
    """Page ``page`` (from 1, already bounded by ``ostal.core.params.page_number``) of what
    a folder (``None``: the root of the space) holds outside the trash: its sub-folders
    then its files, by name then id, ``DOCUMENTS_PAGE_SIZE`` rows a page.

    At most four queries whatever the number of files: the two counts, then the slice of
    folders and the slice of files the page needs (a slice that is surely empty is not
    asked for). A page past the last one lists nothing."""
    size = settings.DOCUMENTS_PAGE_SIZE
    folder_qs = Folder.objects.filter(owner=user, parent=folder, trashed_at__isnull=True)
    document_qs = Document.objects.filter(
        owner=user, folder=folder, hand_in__isnull=True, trashed_at__isnull=True
    )
    folder_count = folder_qs.count()
    document_count = document_qs.count()
    start, end = (page - 1) * size, page * size
    folders: list[Folder] = []
    if start < folder_count:
        folders = list(folder_qs.order_by("name", "pk")[start:end])
    documents: list[Document] = []
    doc_start, doc_end = max(0, start - folder_count), max(0, end - folder_count)
    if doc_end > doc_start and doc_start < document_count:
        documents = list(document_qs.only(*LIST_FIELDS).order_by("name", "pk")[doc_start:doc_end])
    return Listing(
        folder,
        breadcrumbs(folder),
        folders,
        documents,
        number=page,
        size=size,
        folder_count=folder_count,
        document_count=document_count,
    )


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
