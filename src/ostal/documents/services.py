"""Writes on the espace documentaire (one function per use case, in a transaction).

Rules:
* an upload is checked before anything is kept: a safe name (``clean_filename``), not
  empty, at most ``DOCUMENTS_MAX_UPLOAD`` bytes, its type read from its content against the
  shared allow list (``ostal.core.uploads``), room left in the owner's quota;
* the file is streamed into the storage under a generated key (never the user's name),
  then its size is taken from the quota with one conditional ``UPDATE`` and its row made,
  in one transaction; if that fails the stored file is deleted again: no row without
  file, no file without row;
* a stored file is in quarantine until clamd's verdict (``tasks.documents_scan``);
* trash and restore keep everything (and its size in the quota); the purge, after
  ``DOCUMENTS_TRASH_DAYS``, deletes the rows, then the files once committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ostal.core.uploads import clean_filename, upload_check
from ostal.directory.models import Person
from ostal.documents.abilities import quota_bytes
from ostal.documents.models import Document, Folder, HandIn, Usage
from ostal.documents.quota import size_label


class QuotaExceeded(ValidationError):
    """No room left for this file in the owner's quota."""


def _usage_row(person: Person) -> None:
    Usage.objects.bulk_create([Usage(person=person)], ignore_conflicts=True)


def _quota_message(person: Person, name: str, size: int) -> str:
    limit = quota_bytes(person)
    used = Usage.objects.filter(person=person).values_list("used", flat=True).first() or 0
    return (
        f"« {name} » ({size_label(size)}) ne tient pas dans votre espace : "
        f"{size_label(used)} utilisés sur {size_label(limit)}. "
        "Videz la corbeille ou supprimez des fichiers pour libérer de la place."
    )


def usage_take(*, person: Person, size: int, name: str) -> None:
    """Take ``size`` bytes of the person's quota, or ``QuotaExceeded``: one conditional
    ``UPDATE`` (PostgreSQL re-checks the condition after waiting for a concurrent upload's
    row lock, so two uploads never both get the last megabytes)."""
    limit = quota_bytes(person)
    _usage_row(person)
    rows = Usage.objects.filter(person=person)
    if limit:
        rows = rows.filter(used__lte=limit - size)
    if rows.update(used=F("used") + size) != 1:
        raise QuotaExceeded(_quota_message(person, name, size))


def usage_give_back(*, person_id: int, size: int) -> None:
    if size:
        Usage.objects.filter(person_id=person_id).update(used=F("used") - size)


def _check_folder(owner: Person, folder: Folder | None) -> None:
    if folder is not None and (folder.owner_id != owner.pk or folder.trashed_at is not None):
        raise ValidationError("Ce dossier n'existe pas ou est dans la corbeille.")


def _storage_key(owner: Person) -> str:
    return f"documents/{owner.pk}/{uuid.uuid4().hex}"


def document_upload(
    *,
    owner: Person,
    folder: Folder | None,
    upload: Any,
    name: str | None = None,
    hand_in: HandIn | None = None,
) -> Document:
    """Keep an uploaded file (``UploadedFile`` or any ``File`` with ``name``, ``size`` and
    ``chunks()``) in ``folder`` of ``owner``'s space, named ``name`` (default: the upload's
    name), in quarantine until scanned. Refused
    with a French ``ValidationError`` (and nothing kept) when the name, size, type or quota
    does not pass."""
    from ostal.documents.tasks import documents_scan

    name = clean_filename(upload.name if name is None else name)
    _check_folder(owner, folder)
    kind = upload_check(upload, limit=settings.DOCUMENTS_MAX_UPLOAD, allow_empty=False)
    size = int(upload.size)
    limit = quota_bytes(owner)
    used = Usage.objects.filter(person=owner).values_list("used", flat=True).first() or 0
    if limit and used + size > limit:  # early, before storing anything
        raise QuotaExceeded(_quota_message(owner, name, size))
    upload.seek(0)
    stored = default_storage.save(_storage_key(owner), upload)
    try:
        if default_storage.size(stored) != size:
            raise ValidationError(
                f"« {name} » n'est pas arrivé en entier (envoi interrompu) : rien n'a été "
                "enregistré, envoyez-le de nouveau."
            )
        with transaction.atomic():
            usage_take(person=owner, size=size, name=name)
            now = timezone.now()
            document = Document.objects.create(
                owner=owner,
                folder=folder,
                hand_in=hand_in,
                name=name,
                file=stored,
                size=size,
                content_type=kind,
                created_at=now,
                updated_at=now,
            )
            # robust: a queue that is down must not fail the upload; the sweep queues it later.
            transaction.on_commit(lambda: documents_scan(document.pk), robust=True)
    except BaseException:
        default_storage.delete(stored)
        raise
    return document


@transaction.atomic
def document_scan_record(*, document: Document, infected: bool, signature: str = "") -> None:
    """clamd's verdict, recorded once: clean files become downloadable; infected ones stay
    in quarantine (nobody can download them; the owner can delete them)."""
    state = Document.objects.select_for_update().filter(pk=document.pk).values_list("scan")
    if state.first() != (Document.Scan.PENDING,):
        return
    document.scan = Document.Scan.INFECTED if infected else Document.Scan.CLEAN
    document.scan_signature = signature[:200]
    document.scanned_at = timezone.now()
    document.save(update_fields=["scan", "scan_signature", "scanned_at"])


def _clean_folder_name(name: str) -> str:
    try:
        cleaned = clean_filename(name)
    except ValidationError:
        raise ValidationError("Donnez un nom au dossier.") from None
    return cleaned


@transaction.atomic
def folder_create(*, owner: Person, parent: Folder | None, name: str) -> Folder:
    _check_folder(owner, parent)
    return Folder.objects.create(owner=owner, parent=parent, name=_clean_folder_name(name))


@transaction.atomic
def folder_rename(*, owner: Person, folder: Folder, name: str) -> Folder:
    _check_folder(owner, folder)
    folder.name = _clean_folder_name(name)
    folder.save(update_fields=["name"])
    return folder


@transaction.atomic
def document_rename(*, owner: Person, document: Document, name: str) -> Document:
    if document.owner_id != owner.pk or document.trashed_at is not None:
        raise ValidationError("Ce fichier n'existe pas ou est dans la corbeille.")
    document.name = clean_filename(name)
    document.updated_at = timezone.now()
    document.save(update_fields=["name", "updated_at"])
    return document


def _ancestors(folder: Folder | None) -> Iterable[int]:
    while folder is not None:
        yield folder.pk
        folder = folder.parent


@transaction.atomic
def document_move(*, owner: Person, document: Document, folder: Folder | None) -> Document:
    if document.owner_id != owner.pk or document.trashed_at is not None:
        raise ValidationError("Ce fichier n'existe pas ou est dans la corbeille.")
    _check_folder(owner, folder)
    document.folder = folder
    document.save(update_fields=["folder"])
    return document


@transaction.atomic
def folder_move(*, owner: Person, folder: Folder, parent: Folder | None) -> Folder:
    _check_folder(owner, folder)
    _check_folder(owner, parent)
    if folder.pk in _ancestors(parent):
        raise ValidationError(
            f"Impossible de ranger le dossier « {folder.name} » dans lui-même ou dans un de ses "
            "sous-dossiers."
        )
    folder.parent = parent
    folder.save(update_fields=["parent"])
    return folder


@transaction.atomic
def document_trash(*, owner: Person, document: Document) -> None:
    if document.owner_id == owner.pk and document.trashed_at is None:
        document.trashed_at = timezone.now()
        document.save(update_fields=["trashed_at"])


@transaction.atomic
def folder_trash(*, owner: Person, folder: Folder) -> None:
    """The folder goes to the trash with everything in it (restored with it)."""
    if folder.owner_id == owner.pk and folder.trashed_at is None:
        folder.trashed_at = timezone.now()
        folder.save(update_fields=["trashed_at"])


def _in_trashed_folder(folder: Folder | None) -> bool:
    while folder is not None:
        if folder.trashed_at is not None:
            return True
        folder = folder.parent
    return False


@transaction.atomic
def document_restore(*, owner: Person, document: Document) -> None:
    """Back where it was; at the root of the space when its folder is in the trash too."""
    if document.owner_id != owner.pk or document.trashed_at is None:
        return
    document.trashed_at = None
    if _in_trashed_folder(document.folder):
        document.folder = None
    document.save(update_fields=["trashed_at", "folder"])


@transaction.atomic
def folder_restore(*, owner: Person, folder: Folder) -> None:
    if folder.owner_id != owner.pk or folder.trashed_at is None:
        return
    folder.trashed_at = None
    if _in_trashed_folder(folder.parent):
        folder.parent = None
    folder.save(update_fields=["trashed_at", "parent"])


def _subtree(folder_ids: list[int]) -> list[int]:
    """The folders and all their sub-folders (one query per level)."""
    found = list(folder_ids)
    level = list(folder_ids)
    while level:
        level = list(Folder.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        found += level
    return found


def _delete_documents(documents: Iterable[Document]) -> int:
    """Delete the rows, give their sizes back, delete the files once committed."""
    docs = list(documents)
    by_owner: dict[int, int] = {}
    for d in docs:
        by_owner[d.owner_id] = by_owner.get(d.owner_id, 0) + d.size
    Document.objects.filter(pk__in=[d.pk for d in docs]).delete()
    for owner_id, size in by_owner.items():
        usage_give_back(person_id=owner_id, size=size)
    names = [d.file.name for d in docs if d.file.name]

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files, robust=True)
    return len(docs)


@transaction.atomic
def document_delete(*, owner: Person, document: Document) -> None:
    """Delete at once (from the trash, or a file blocked by the antivirus)."""
    if document.owner_id == owner.pk:
        _delete_documents([document])


@transaction.atomic
def trash_empty(*, owner: Person) -> int:
    """Delete everything the person put in the trash now; returns the files deleted."""
    folders = list(
        Folder.objects.filter(owner=owner, trashed_at__isnull=False).values_list("pk", flat=True)
    )
    return _purge(Document.objects.filter(owner=owner, trashed_at__isnull=False), folders)


def _purge(documents: Any, folder_ids: list[int]) -> int:
    subtree = _subtree(folder_ids)
    # a trashed file inside a trashed folder is deleted (and given back) once, with the folder
    loose = documents.exclude(folder_id__in=subtree)
    count = _delete_documents(loose.only("pk", "owner_id", "size", "file"))
    count += _delete_documents(
        Document.objects.filter(folder_id__in=subtree).only("pk", "owner_id", "size", "file")
    )
    Folder.objects.filter(pk__in=subtree).delete()
    return count


@transaction.atomic
def trash_purge(*, now: datetime | None = None) -> int:
    """The nightly purge: whatever has been in a trash ``DOCUMENTS_TRASH_DAYS`` days."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOCUMENTS_TRASH_DAYS)
    folders = list(Folder.objects.filter(trashed_at__lt=cutoff).values_list("pk", flat=True))
    return _purge(Document.objects.filter(trashed_at__lt=cutoff), folders)
