"""The messagerie follows the account's RGPD lifecycle, and files follow their rows.

Rules held here:
* a *detached* person (left the school, not yet erased) keeps everything: they cannot log
  in and nobody can write to them (``rules_engine.INACTIVE_STATES``), but their mailbox is
  intact should they come back within the retention delay;
* when the directory erases a person (``feed.services.directory_retention_purge``, 90 days
  after detachment), ``messages_erase`` deletes what was theirs alone: their copies of
  messages (deliveries), their drafts, their own folders and the reports they wrote; it
  takes their name out of the recipient labels of the messages they received, and drops
  the « Concerne : » link of messages about them;
* the messages they *wrote* stay with their recipients (a recipient's mailbox is the
  recipient's), the author shown as « Compte supprimé » (``Person.display_name`` of an
  erased account); their « Envoyés » copy counts as thrown away at the erasure, so the
  nightly trash purge deletes the message once its last recipient's copy is gone;
* a sent message nobody holds any more (no copy left, author erased or none) is deleted
  at once;
* whenever an ``Attachment`` row is deleted (trash purge, erasure, draft deleted, draft
  attachment removed), its file is deleted from storage once the transaction commits.

Erasing is idempotent: a second call finds nothing left to delete.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from ostal.directory.models import Person
from ostal.messaging.models import Attachment, Delivery, Folder, Message, MessageReport

logger = logging.getLogger(__name__)

ERASED_LABEL = "Compte supprimé"
_CHUNK = 500  # message ids per ``IN (…)``


def _labels_scrub(people: dict[int, str]) -> int:
    """Replace each erased person's name by « Compte supprimé » in the recipient labels of
    the messages they received (the label is what the sender typed, one name per person)."""
    changed = 0
    for pk, name in people.items():
        if not name:
            continue
        messages = Message.objects.filter(
            deliveries__recipient_id=pk, recipients_label__contains=name
        ).only("pk", "recipients_label")
        for message in messages:
            parts = [ERASED_LABEL if p == name else p for p in message.recipients_label.split(", ")]
            label = ", ".join(parts)
            if label != message.recipients_label:
                Message.objects.filter(pk=message.pk).update(recipients_label=label)
                changed += 1
    return changed


def _orphans_delete(message_ids: list[int], erased: list[int]) -> int:
    """Delete the sent messages among ``message_ids`` that nobody holds any more: no
    recipient's copy left, and an author who is erased (or none, a platform message)."""
    deleted = 0
    for start in range(0, len(message_ids), _CHUNK):
        chunk = message_ids[start : start + _CHUNK]
        orphans = Message.objects.filter(
            pk__in=chunk, sent_at__isnull=False, deliveries__isnull=True
        ).filter(
            Q(author__isnull=True) | Q(author_id__in=erased) | Q(author__state=Person.State.DELETED)
        )
        pks = list(orphans.values_list("pk", flat=True))
        if pks:
            _count, detail = Message.objects.filter(pk__in=pks).delete()
            deleted += detail.get(Message._meta.label, 0)
    return deleted


@transaction.atomic
def messages_erase(person_ids: Iterable[int], *, now: datetime | None = None) -> dict[str, int]:
    """Erase the messagerie data of people whose account is being erased (RGPD), see the
    module's rules. Call it before their names are cleared (the names are taken out of
    recipient labels); calling it again, or after, is harmless. Returns what was done,
    counted by kind (for the job's log)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    now = now or timezone.now()
    names = {
        pk: f"{first} {last}".strip()
        for pk, first, last in Person.objects.filter(pk__in=ids)
        .exclude(state=Person.State.DELETED)
        .values_list("pk", "first_name", "last_name")
    }
    received = list(
        Delivery.objects.filter(recipient_id__in=ids)
        .values_list("message_id", flat=True)
        .distinct()
        .order_by()
    )
    authored = list(
        Message.objects.filter(author_id__in=ids, sent_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    done = {"labels": _labels_scrub(names)}
    done["copies"], _detail = Delivery.objects.filter(recipient_id__in=ids).delete()
    _count, detail = Message.objects.filter(author_id__in=ids, sent_at__isnull=True).delete()
    done["drafts"] = detail.get(Message._meta.label, 0)
    done["attachments"] = detail.get(Attachment._meta.label, 0)
    done["folders"], _detail = Folder.objects.filter(owner_id__in=ids).delete()
    done["reports"], _detail = MessageReport.objects.filter(reporter_id__in=ids).delete()
    Message.objects.filter(about_pupil_id__in=ids).update(about_pupil=None)
    # Their « Envoyés » copy is thrown away: the trash purge deletes the message once the
    # last recipient's copy is gone (``services.trash_purge``).
    Message.objects.filter(
        author_id__in=ids, sent_at__isnull=False, author_trashed_at__isnull=True
    ).update(author_trashed_at=now)
    done["messages"] = _orphans_delete(sorted({*received, *authored}), ids)
    logger.info("messagerie: %d people erased: %s", len(ids), done)
    return done


@receiver(post_delete, sender=Attachment, dispatch_uid="messaging-attachment-file")
def attachment_file_delete(sender: Any, instance: Attachment, using: str, **kwargs: Any) -> None:
    """A deleted attachment's file goes from storage too, once the deletion is committed
    (a rolled-back deletion keeps its file); a file another row still names is kept."""
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def _delete() -> None:
        if Attachment.objects.using(using).filter(file=name).exists():
            return
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - storage down: the file stays, the deletion stands
            logger.warning("messagerie: could not delete the file %s from storage", name)

    transaction.on_commit(_delete, using=using)
