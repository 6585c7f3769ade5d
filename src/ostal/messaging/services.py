"""Writes on the messagerie.

Rules:
* every recipient is checked with the communication rules (``rules_engine``); one
  forbidden recipient refuses the whole send with a French message naming the rule —
  nobody is silently dropped — and the message is kept as a draft;
* a broadcast (a list, or more than ``MESSAGING_BROADCAST_THRESHOLD`` people) and a
  no-reply message are for staff only;
* a sender may send ``MESSAGING_MAX_PER_HOUR`` messages an hour; beyond, the send is
  refused (draft kept), a ``MESSAGING_RATE_LIMITED`` event is written and the school's
  admins get an alert message (once an hour);
* a freeze of the sender's school, département or région refuses every send (draft kept);
* over the quota (``quota.py``), sends and new attachments are refused (draft kept,
  without the new files); receiving is never refused;
* bodies go through the shared rich-text sanitizer; deliveries are bulk-inserted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags

from ostal.core.french import de
from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.core.uploads import upload_check
from ostal.directory.abilities import is_admin_of_school
from ostal.directory.models import (
    Affiliation,
    AuthorityRole,
    Person,
    Profile,
    RelativeLink,
    SchoolAdmin,
)
from ostal.homework.sanitize import platform_clean, platform_html, rich_text_clean
from ostal.messaging import quota, rules_engine
from ostal.messaging.models import (
    Attachment,
    CommunicationRule,
    Delivery,
    Folder,
    Freeze,
    Group,
    Message,
    Reach,
)
from ostal.messaging.selectors import (
    active_freeze,
    freezes_forget,
    recent_sends,
    unread_forget,
)
from ostal.messaging.targets import Target, expand_all, staff_schools
from ostal.territory.models import Authority, School

MAX_BODY = 50_000
MAX_ATTACHMENTS = 5


def attachment_check(upload: UploadedFile) -> str:
    """The file's real content type (read from its content, not its name), or a French
    ``ValidationError`` naming the file."""
    return upload_check(upload, limit=settings.MESSAGING_MAX_ATTACHMENT)


def _checked_files(uploads: list[UploadedFile]) -> tuple[list[tuple[UploadedFile, str]], list[str]]:
    good: list[tuple[UploadedFile, str]] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            good.append((upload, attachment_check(upload)))
        except ValidationError as exc:
            errors += exc.messages
    if len(good) > MAX_ATTACHMENTS:
        errors.append(f"Au plus {MAX_ATTACHMENTS} pièces jointes par message.")
        good = good[:MAX_ATTACHMENTS]
    return good, errors


def _attach(message: Message, files: list[tuple[UploadedFile, str]]) -> None:
    """Store the files in quarantine; each one's antivirus scan is queued once committed."""
    from ostal.messaging.tasks import messaging_attachment_scan

    room = MAX_ATTACHMENTS - message.attachments.count()
    for upload, kind in files[: max(room, 0)]:
        attachment = Attachment.objects.create(
            message=message,
            file=upload,
            name=(upload.name or "fichier")[:200],
            content_type=kind,
            size=upload.size or 0,
        )
        # robust: a queue that is down must not fail the send; the sweep queues it later.
        transaction.on_commit(
            lambda pk=attachment.pk: messaging_attachment_scan(pk),  # type: ignore[misc]
            robust=True,
        )


class SendRefused(ValidationError):
    """A send refused as a whole; ``draft`` holds the kept draft (``None``: an empty
    message is kept nowhere). Given a dict, the errors are per field (``subject``,
    ``body``, ``targets``, ``about_pupil``, ``attachments``, ``no_reply``; ``None`` for the
    message as a whole), all of them at once."""

    def __init__(self, message: Any, draft: Message | None) -> None:
        super().__init__(message)
        self.draft = draft

    @property
    def by_field(self) -> dict[str | None, list[str]]:
        if hasattr(self, "error_dict"):
            return {
                (None if k == NON_FIELD else k): [m for e in v for m in e.messages]
                for k, v in self.error_dict.items()
            }
        return {None: self.messages}


NON_FIELD = "__all__"


def _freeze_message(freeze: Freeze) -> str:
    return (
        f"La messagerie est gelée ({freeze.get_scope_display().lower()} : {freeze.scope_label}) "
        f"depuis le {timezone.localtime(freeze.frozen_at):%d/%m/%Y à %H:%M} — {freeze.reason}. "
        "Vous pouvez lire vos messages, mais pas en envoyer."
    )


def freeze_for(person: Person) -> Freeze | None:
    return active_freeze(rules_engine.sender_schools(person))


def draft_save(
    *,
    author: Person,
    targets: list[str],
    subject: str,
    body: str,
    about_pupil: Person | None = None,
    no_reply: bool = False,
    parent: Message | None = None,
    draft: Message | None = None,
    attachments: list[UploadedFile] | None = None,
) -> Message:
    """Save (or update) a draft: kept whatever its recipients, checked only when sent.
    Attachments that fail the checks are refused (``ValidationError``), the draft is kept."""
    if draft is not None and (draft.author_id != author.pk or not draft.is_draft):
        raise PermissionDenied("Ce brouillon n'est pas le vôtre.")
    good, errors = _checked_files(attachments or [])
    if good:
        full = quota.refusal(
            quota.quota_of(user=author), extra=sum(upload.size or 0 for upload, _kind in good)
        )
        if full:
            good, errors = [], [*errors, full]
    with transaction.atomic():
        message = draft or Message(author=author)
        message.subject = subject.strip()[:200] or "(sans objet)"
        message.body = rich_text_clean(body)[:MAX_BODY]
        message.about_pupil = about_pupil_checked(sender=author, pupil=about_pupil)
        message.no_reply = no_reply
        message.parent = parent
        message.draft_targets = list(dict.fromkeys(t for t in targets if t))[:100]
        message.save()
        _attach(message, good)
    quota.quota_forget([author.pk])
    if errors:
        raise SendRefused(errors, draft=message)
    return message


@transaction.atomic
def _draft_keep(*, author: Person, files: list[tuple[UploadedFile, str]], **fields: Any) -> Message:
    """The draft of a refused send, with the files that passed the checks."""
    message = draft_save(author=author, **fields)
    _attach(message, files)
    return message


@transaction.atomic
def attachment_scan_record(*, attachment: Attachment, infected: bool, signature: str = "") -> None:
    """The antivirus job's verdict: clean files become downloadable; infected ones stay in
    quarantine and the author is told (a platform message). Recorded once: a verdict on an
    attachment already decided (a duplicate scan job) changes nothing."""
    state = Attachment.objects.select_for_update().filter(pk=attachment.pk).values_list("scan")
    if state.first() != (Attachment.Scan.PENDING,):
        return
    attachment.scan = Attachment.Scan.INFECTED if infected else Attachment.Scan.CLEAN
    attachment.scanned_at = timezone.now()
    attachment.save(update_fields=["scan", "scanned_at"])
    author = attachment.message.author
    if infected and author is not None:
        now = timezone.now()
        notice = Message.objects.create(
            author=None,
            subject=f"Pièce jointe infectée : « {attachment.name} »",
            body=platform_html(
                "<p>L'antivirus a détecté {signature} dans « {name} » (message « {subject} »). "
                "Le fichier reste en quarantaine : personne ne peut le télécharger.</p>",
                signature=signature or "un virus",
                name=attachment.name,
                subject=attachment.message.subject,
            ),
            sent_at=now,
            no_reply=True,
            recipients_label=author.display_name,
            recipient_count=1,
        )
        Delivery.objects.create(message=notice, recipient=author, sent_at=now)
        unread_forget([author.pk])


def about_pupils(*, sender: Person) -> QuerySet[Person]:
    """The pupils a message of ``sender`` may be about (« Concerne : »): a parent, their
    children; staff, the pupils of the schools where they are staff; anyone else, none.
    The one rule for the check at send, a draft, and the compose page's choices."""
    pupils = Person.objects.filter(profile=Profile.PUPIL)
    if sender.profile == Profile.RELATIVE:
        return pupils.filter(pk__in=RelativeLink.objects.filter(relative=sender).values("pupil_id"))
    schools = [s.pk for s in staff_schools(sender)]
    if not schools:
        return pupils.none()
    return pupils.filter(
        pk__in=Affiliation.objects.filter(school_id__in=schools).values("person_id")
    )


def _check_about(sender: Person, about_pupil: Person | None) -> None:
    if about_pupil is None:
        return
    if about_pupil.profile != Profile.PUPIL:
        raise ValidationError("L'élève concerné doit être un élève.")
    if about_pupils(sender=sender).filter(pk=about_pupil.pk).exists():
        return
    if sender.profile == Profile.RELATIVE:
        raise ValidationError("Vous ne pouvez indiquer que l'un de vos enfants.")
    raise ValidationError("Cet élève n'est pas dans l'un de vos établissements.")


def about_pupil_checked(*, sender: Person, pupil: Person | None) -> Person | None:
    """The pupil if the sender may name them, else ``None``: a draft (a refused send's
    included) keeps no « Concerne : » that was not checked."""
    try:
        _check_about(sender, pupil)
    except ValidationError:
        return None
    return pupil


def about_pupil_check(*, sender: Person, pupil: Person | None) -> None:
    """The pupil a message may be about (a parent: their child; staff: a pupil of their
    schools), or a French ``ValidationError``."""
    _check_about(sender, pupil)


def _school_admins(school: School | None) -> list[Person]:
    if school is None:
        return []
    return list(
        Person.objects.filter(
            pk__in=SchoolAdmin.objects.filter(school=school).values("person_id")
        ).exclude(state__in=rules_engine.INACTIVE_STATES)
    )


def alert_admins(*, school: School | None, subject: str, body: str) -> Message | None:
    """A platform message (no author, no reply) to the school's admins. ``body`` is built
    with ``platform_html`` (user text escaped); it keeps the platform profile: no link."""
    admins = _school_admins(school)
    if not admins:
        return None
    now = timezone.now()
    message = Message.objects.create(
        author=None,
        school=school,
        subject=subject[:200],
        body=platform_clean(body),
        sent_at=now,
        no_reply=True,
        recipients_label="Administrateurs de l'établissement",
        recipient_count=len(admins),
    )
    Delivery.objects.bulk_create(
        [Delivery(message=message, recipient=a, sent_at=now) for a in admins]
    )
    unread_forget(a.pk for a in admins)
    return message


def _rate_limited(sender: Person, request: HttpRequest | None) -> str | None:
    limit = settings.MESSAGING_MAX_PER_HOUR
    if recent_sends(user=sender) < limit:
        return None
    since = timezone.now() - timedelta(hours=1)
    already = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.MESSAGING_RATE_LIMITED, actor=sender, at__gte=since
    ).exists()
    security_event_record(
        kind=SecurityEvent.Kind.MESSAGING_RATE_LIMITED,
        request=request,
        actor=sender,
        subject=sender,
        data={"limit_per_hour": limit},
    )
    if not already:
        schools = rules_engine.sender_schools(sender)
        alert_admins(
            school=schools[0] if schools else None,
            subject=f"Envois limités : {sender.display_name}",
            body=platform_html(
                "<p>{name} a atteint la limite de {limit} messages par heure. "
                "Ses envois sont refusés jusqu'à la fin de l'heure.</p>",
                name=sender.display_name,
                limit=limit,
            ),
        )
    return (
        f"Vous avez envoyé {limit} messages dans l'heure, la limite est atteinte : "
        "réessayez plus tard."
    )


def _resolve(
    sender: Person, keys: list[str], reply_to: Message | None
) -> tuple[list[Target], dict[int, str]]:
    """Expand the targets and check every person; returns the targets and, per refused
    person id, the French refusal naming the rule."""
    targets = expand_all(sender, list(dict.fromkeys(keys)), reply_to=reply_to)
    ids = {pk for t in targets for pk in t.ids}
    allowed = rules_engine.allowed_recipients(sender, ids)
    missing = ids - allowed.keys() - {sender.pk}
    if reply_to is not None and reply_to.author_id in missing:
        missing.discard(reply_to.author_id)  # answering the author of a message received
    refused: dict[int, str] = {}
    first = list(missing)[:5]
    named = rules_engine.nameable(sender, first, reply_to=reply_to) if first else set()
    for person in Person.objects.filter(pk__in=first):
        refused[person.pk] = rules_engine.refusal(sender, person, named=person.pk in named)
    if missing and not refused:  # pragma: no cover - ids vanished meanwhile
        refused[0] = "Un destinataire n'est plus joignable."
    return targets, refused


def message_is_empty(*, subject: str, body: str, targets: list[str], files: list[Any]) -> bool:
    """No subject, no text, no recipient, no file: such a message is never kept as a draft
    (a refused send, « Enregistrer le brouillon »)."""
    return (
        not subject.strip()
        and not strip_tags(body).strip()
        and not [t for t in targets if t]
        and not files
    )


def message_send(
    *,
    sender: Person,
    targets: list[str],
    subject: str,
    body: str,
    about_pupil: Person | None = None,
    no_reply: bool = False,
    draft: Message | None = None,
    reply_to: Message | None = None,
    school: School | None = None,
    request: HttpRequest | None = None,
    attachments: list[UploadedFile] | None = None,
) -> Message:
    """Send a message; on any refusal, keep it as a draft (with the attachments that
    passed the checks) unless it is empty (no subject, text, recipient nor file), and
    raise ``SendRefused`` with every error found, per field."""
    good_files, file_errors = _checked_files(attachments or [])
    # Over the quota, the new files are refused; a draft kept for any reason keeps them
    # only if they fit (the text is always kept).
    full = quota.refusal(
        quota.quota_of(user=sender), extra=sum(upload.size or 0 for upload, _kind in good_files)
    )

    empty = message_is_empty(subject=subject, body=body, targets=targets, files=good_files)

    def refuse(reason: str | list[str] | dict[str, list[str]]) -> SendRefused:
        if empty and draft is None:  # nothing to keep: no draft, ever
            return SendRefused(reason, draft=None)
        kept = _draft_keep(
            author=sender,
            targets=targets,
            subject=subject,
            body=body,
            about_pupil=about_pupil,
            no_reply=no_reply,
            parent=reply_to,
            draft=draft,
            files=[] if full else good_files,
        )
        return SendRefused(reason, draft=kept)

    if draft is not None and (draft.author_id != sender.pk or not draft.is_draft):
        raise PermissionDenied("Ce brouillon n'est pas le vôtre.")
    freeze = freeze_for(sender)
    if freeze is not None:
        raise refuse(_freeze_message(freeze))
    if reply_to is not None and reply_to.no_reply:
        raise refuse("Ce message n'accepte pas de réponse.")
    # Every field is checked, so the writer sees all their errors at once.
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = ["L'objet du message est obligatoire."]
    clean_body = rich_text_clean(body)
    if len(clean_body) > MAX_BODY:
        errors["body"] = [f"Le message dépasse {MAX_BODY} caractères."]
    if file_errors:
        errors["attachments"] = list(file_errors)
    elif full:
        errors["attachments"] = [
            full + (" Les nouvelles pièces jointes ne sont pas conservées." if good_files else "")
        ]
    try:
        _check_about(sender, about_pupil)
    except ValidationError as exc:
        errors["about_pupil"] = exc.messages
    resolved: list[Target] = []
    ids: list[int] = []
    if not [t for t in targets if t]:
        errors["targets"] = ["Choisissez au moins un destinataire."]
    else:
        try:
            resolved, refused = _resolve(sender, [t for t in targets if t], reply_to)
        except ValidationError as exc:
            errors["targets"] = exc.messages
        else:
            ids = sorted({pk for t in resolved for pk in t.ids} - {sender.pk})
            if refused:
                errors["targets"] = list(refused.values())
            elif not ids:
                errors["targets"] = ["Cette liste ne contient aucun destinataire."]
    is_broadcast = (
        any(t.is_list for t in resolved) or len(ids) > settings.MESSAGING_BROADCAST_THRESHOLD
    )
    staff = bool(staff_schools(sender))
    if is_broadcast and not staff and "targets" not in errors:
        errors["targets"] = [
            "Les envois à une classe entière ou à plus de "
            f"{settings.MESSAGING_BROADCAST_THRESHOLD} destinataires sont réservés aux personnels."
        ]
    if no_reply and not staff:
        errors["no_reply"] = ["Seuls les personnels peuvent envoyer un message sans réponse."]
    if errors:
        raise refuse(errors)
    limited = _rate_limited(sender, request)
    if limited:
        raise refuse(limited)
    with transaction.atomic():
        now = timezone.now()
        message = draft or Message(author=sender)
        message.subject = subject.strip()[:200]
        message.body = clean_body
        message.about_pupil = about_pupil
        message.no_reply = no_reply
        message.is_broadcast = is_broadcast
        message.sent_at = now
        message.school = school or next(iter(rules_engine.sender_schools(sender)), None)
        message.parent = reply_to
        message.thread = (reply_to.thread or reply_to) if reply_to is not None else None
        message.draft_targets = []
        message.recipients_label = ", ".join(t.label for t in resolved)[:300]
        message.recipient_count = len(ids)
        message.save()
        _attach(message, good_files)
        Delivery.objects.bulk_create(
            [Delivery(message=message, recipient_id=pk, sent_at=now) for pk in ids],
            batch_size=2000,
        )
        _notify_received(message, ids)
    unread_forget(ids)
    quota.quota_forget([sender.pk, *ids])
    return message


def _notify_received(message: Message, ids: Iterable[int]) -> None:
    """Once committed, tell the notification channels (Web Push…) who received a message:
    the first name of the pupil it is about, never its subject or body."""
    from ostal.notifications.channels import Event, notify

    child = message.about_pupil.first_name if message.about_pupil else None
    recipients = dict.fromkeys(ids, child)
    transaction.on_commit(lambda: notify(Event.MESSAGE_RECEIVED, recipients), robust=True)


def reply_targets(*, user: Person, message: Message, reply_all: bool) -> list[str]:
    """Who a reply goes to: the author; with reply-all, the other recipients too (each is
    checked again by the rules at send time)."""
    keys = [f"p:{message.author_id}"] if message.author_id else []
    if reply_all and not message.is_broadcast:
        others = Delivery.objects.filter(message=message).exclude(recipient=user)
        keys += [f"p:{pk}" for pk in others.values_list("recipient_id", flat=True)[:50]]
    return keys


def quote(message: Message) -> str:
    author = message.author.display_name if message.author else "Ostal"
    when = timezone.localtime(message.sent_at) if message.sent_at else timezone.localtime()
    return f"<p></p><blockquote><p>Le {when:%d/%m/%Y à %H:%M}, {author} a écrit :</p>{message.body}</blockquote>"


PrefillMode = Literal["reply", "reply_all", "forward"]


@dataclass(frozen=True)
class Prefill:
    """What a reply, reply-all or forward starts with (the compose page and the API)."""

    targets: list[str]
    subject: str
    body: str
    about_pupil_id: int | None
    reply_to: Message | None


def prefill(*, user: Person, message: Message, mode: PrefillMode) -> Prefill:
    """Recipients, subject and quoted body of a reply (« RE : », the author; with
    reply-all, the other recipients too) or a forward (« TR : », no recipient)."""
    if mode == "forward":
        return Prefill([], f"TR : {message.subject}", quote(message), message.about_pupil_id, None)
    subject = message.subject if message.subject.startswith("RE :") else f"RE : {message.subject}"
    return Prefill(
        reply_targets(user=user, message=message, reply_all=mode == "reply_all"),
        subject,
        quote(message),
        message.about_pupil_id,
        message,
    )


@transaction.atomic
def delivery_read(*, delivery: Delivery) -> None:
    if delivery.read_at is None:
        delivery.read_at = timezone.now()
        delivery.save(update_fields=["read_at"])
        unread_forget([delivery.recipient_id])


@transaction.atomic
def message_trash(*, user: Person, message: Message) -> None:
    """Move the user's copy (or their sent message) to the trash."""
    now = timezone.now()
    moved = Delivery.objects.filter(recipient=user, message=message).update(
        box=Delivery.Box.TRASH, trashed_at=now
    )
    if message.author_id == user.pk:
        Message.objects.filter(pk=message.pk).update(author_trashed_at=now)
        moved += 1
    if not moved:
        raise PermissionDenied
    unread_forget([user.pk])
    quota.quota_forget([user.pk])


@transaction.atomic
def message_restore(*, user: Person, message: Message) -> None:
    Delivery.objects.filter(recipient=user, message=message, box=Delivery.Box.TRASH).update(
        box=Delivery.Box.INBOX, trashed_at=None, folder=None
    )
    unread_forget([user.pk])


@transaction.atomic
def trash_empty(*, user: Person) -> int:
    """Delete the user's copies in their trash now (what the nightly purge does after
    ``MESSAGING_TRASH_DAYS``); frees their quota. Returns the copies deleted."""
    deleted, _detail = Delivery.objects.filter(recipient=user, box=Delivery.Box.TRASH).delete()
    quota.quota_forget([user.pk])
    return deleted


@transaction.atomic
def draft_delete(*, user: Person, draft: Message) -> None:
    if draft.author_id != user.pk or not draft.is_draft:
        raise PermissionDenied
    draft.delete()
    quota.quota_forget([user.pk])


def draft_attach(
    *, author: Person, draft: Message, uploads: list[UploadedFile]
) -> list[Attachment]:
    """Add files to a draft: the same checks as the compose page (``attachment_check``), at
    most ``MAX_ATTACHMENTS`` on the message, and the quota. All or nothing: any refusal is a
    French ``ValidationError`` naming the file(s), and nothing is attached."""
    if draft.author_id != author.pk or not draft.is_draft:
        raise PermissionDenied("Ce brouillon n'est pas le vôtre.")
    if not uploads:
        raise ValidationError("Joignez au moins un fichier.")
    good, errors = _checked_files(uploads)
    if errors:
        raise ValidationError(errors)
    already = draft.attachments.count()
    if already + len(good) > MAX_ATTACHMENTS:
        raise ValidationError(
            f"Au plus {MAX_ATTACHMENTS} pièces jointes par message : ce brouillon en a déjà "
            f"{already}."
        )
    full = quota.refusal(
        quota.quota_of(user=author), extra=sum(upload.size or 0 for upload, _kind in good)
    )
    if full:
        raise ValidationError(full)
    with transaction.atomic():
        before = set(draft.attachments.values_list("pk", flat=True))
        _attach(draft, good)
        added = list(draft.attachments.exclude(pk__in=before).order_by("pk"))
    quota.quota_forget([author.pk])
    return added


@transaction.atomic
def draft_attachment_delete(*, author: Person, attachment: Attachment) -> None:
    """Remove a file from one of the author's drafts (a sent message's files stay)."""
    message = attachment.message
    if message.author_id != author.pk or not message.is_draft:
        raise PermissionDenied("Ce brouillon n'est pas le vôtre.")
    attachment.delete()  # its file follows on commit (``retention``'s post_delete receiver)
    quota.quota_forget([author.pk])


@transaction.atomic
def folder_create(*, owner: Person, name: str) -> Folder:
    name = name.strip()[:60]
    if not name:
        raise ValidationError("Le nom du dossier est obligatoire.")
    if Folder.objects.filter(owner=owner, name=name).exists():
        raise ValidationError("Vous avez déjà un dossier de ce nom.")
    return Folder.objects.create(owner=owner, name=name)


@transaction.atomic
def folder_rename(*, owner: Person, folder: Folder, name: str) -> Folder:
    if folder.owner_id != owner.pk:
        raise PermissionDenied
    name = name.strip()[:60]
    if not name:
        raise ValidationError("Le nom du dossier est obligatoire.")
    if Folder.objects.filter(owner=owner, name=name).exclude(pk=folder.pk).exists():
        raise ValidationError("Vous avez déjà un dossier de ce nom.")
    folder.name = name
    folder.save(update_fields=["name"])
    return folder


@transaction.atomic
def folder_delete(*, owner: Person, folder: Folder) -> int:
    """Delete an own folder; its messages go back to the inbox (none is lost). Returns how
    many went back."""
    if folder.owner_id != owner.pk:
        raise PermissionDenied
    moved = Delivery.objects.filter(recipient=owner, folder=folder, box=Delivery.Box.FOLDER).update(
        box=Delivery.Box.INBOX, folder=None
    )
    folder.delete()
    unread_forget([owner.pk])
    return moved


@transaction.atomic
def delivery_move(*, delivery: Delivery, folder: Folder | None) -> None:
    if folder is not None and folder.owner_id != delivery.recipient_id:
        raise PermissionDenied
    delivery.folder = folder
    delivery.box = Delivery.Box.FOLDER if folder else Delivery.Box.INBOX
    delivery.trashed_at = None
    delivery.save(update_fields=["folder", "box", "trashed_at"])
    unread_forget([delivery.recipient_id])


@transaction.atomic
def message_report(
    *, reporter: Person, message: Message, reason: str = "", request: HttpRequest | None = None
) -> None:
    """A recipient reports a message: an event and an alert to the school's admins."""
    if not Delivery.objects.filter(message=message, recipient=reporter).exists():
        raise PermissionDenied
    from ostal.messaging.models import MessageReport

    _report, created = MessageReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason.strip()[:500]}
    )
    if not created:
        return
    security_event_record(
        kind=SecurityEvent.Kind.MESSAGE_REPORTED,
        request=request,
        actor=reporter,
        subject=message.author,
        data={"message": message.pk, "reason": reason.strip()[:500]},
    )
    author = message.author.display_name if message.author else "Ostal"
    alert_admins(
        school=message.school,
        subject=f"Message signalé : « {message.subject} »",
        body=platform_html(
            "<p>{reporter} a signalé le message « {subject} » {of_author} (n° {pk}).</p>"
            "<p>Motif : {reason}</p>",
            reporter=reporter.display_name,
            subject=message.subject,
            of_author=de(author),
            pk=message.pk,
            reason=reason.strip()[:500] or "non précisé",
        ),
    )


@transaction.atomic
def broadcast_recall(*, admin: Person, message: Message, request: HttpRequest | None = None) -> int:
    """A school admin withdraws a broadcast from every inbox; returns the copies hidden."""
    if not message.is_broadcast or not is_admin_of_school(admin, message.school):
        raise PermissionDenied(
            "Seul un administrateur de l'établissement peut rappeler une diffusion."
        )
    if message.recalled_at is not None:
        return 0
    message.recalled_at = timezone.now()
    message.recalled_by = admin
    message.save(update_fields=["recalled_at", "recalled_by"])
    hidden = Delivery.objects.filter(message=message).update(hidden=True)
    holders = list(Delivery.objects.filter(message=message).values_list("recipient_id", flat=True))
    unread_forget(holders)
    quota.quota_forget(holders)
    security_event_record(
        kind=SecurityEvent.Kind.MESSAGE_RECALLED,
        request=request,
        actor=admin,
        subject=message.author,
        data={"message": message.pk, "copies": hidden},
    )
    return hidden


def can_freeze(actor: Person, *, school: School | None, authority: Authority | None) -> bool:
    """School admins freeze their school; a département's admins the département; a
    région's admins the région."""
    if school is not None:
        return bool(is_admin_of_school(actor, school))
    if authority is None or authority.kind not in {
        Authority.Kind.DEPARTMENT,
        Authority.Kind.REGION,
    }:
        return False
    return AuthorityRole.objects.filter(person=actor, authority=authority, is_admin=True).exists()


@transaction.atomic
def messaging_freeze(
    *,
    actor: Person,
    reason: str,
    school: School | None = None,
    authority: Authority | None = None,
    request: HttpRequest | None = None,
) -> Freeze:
    if not can_freeze(actor, school=school, authority=authority):
        raise PermissionDenied("Vous ne pouvez pas geler la messagerie de ce périmètre.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Indiquez le motif du gel.")
    scope = Freeze.Scope.SCHOOL if school is not None else Freeze.Scope(authority.kind)  # type: ignore[union-attr]
    existing = Freeze.objects.filter(
        scope=scope, school=school, authority=authority, lifted_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    freeze = Freeze.objects.create(
        scope=scope, school=school, authority=authority, reason=reason[:300], frozen_by=actor
    )
    freezes_forget()
    security_event_record(
        kind=SecurityEvent.Kind.MESSAGING_FROZEN,
        request=request,
        actor=actor,
        data={"freeze": freeze.pk, "scope": scope, "target": freeze.scope_label, "frozen": True},
    )
    return freeze


@transaction.atomic
def messaging_unfreeze(
    *, actor: Person, freeze: Freeze, request: HttpRequest | None = None
) -> None:
    if not can_freeze(actor, school=freeze.school, authority=freeze.authority):
        raise PermissionDenied("Vous ne pouvez pas dégeler la messagerie de ce périmètre.")
    if freeze.lifted_at is not None:
        return
    freeze.lifted_at = timezone.now()
    freeze.lifted_by = actor
    freeze.save(update_fields=["lifted_at", "lifted_by"])
    freezes_forget()
    security_event_record(
        kind=SecurityEvent.Kind.MESSAGING_FROZEN,
        request=request,
        actor=actor,
        data={
            "freeze": freeze.pk,
            "scope": freeze.scope,
            "target": freeze.scope_label,
            "frozen": False,
        },
    )


@transaction.atomic
def communication_rules_save(
    *,
    admin: Person,
    school: School,
    rules: dict[tuple[str, str], str],
    request: HttpRequest | None = None,
) -> list[tuple[str, str, str, str]]:
    """Replace the school's rules with the full matrix; returns the changes
    ``(source, target, before, after)`` (also in the event)."""
    if not is_admin_of_school(admin, school):
        raise PermissionDenied("Seuls les administrateurs de l'établissement modifient ses règles.")
    before = rules_engine.rules_of(school)
    valid = set(Reach.values)
    for key, reach in rules.items():
        if reach not in valid or key[0] not in Group.values or key[1] not in Group.values:
            raise ValidationError(f"Règle invalide : {key[0]} → {key[1]} = {reach}.")
    after = {k: rules.get(k, before[k]) for k in before}
    changes = [
        (s, t, before[(s, t)], after[(s, t)])
        for (s, t) in before
        if before[(s, t)] != after[(s, t)]
    ]
    CommunicationRule.objects.filter(school=school).delete()
    CommunicationRule.objects.bulk_create(
        [
            CommunicationRule(school=school, source=s, target=t, reach=r)
            for (s, t), r in after.items()
        ]
    )
    security_event_record(
        kind=SecurityEvent.Kind.COMMUNICATION_RULES_CHANGED,
        request=request,
        actor=admin,
        data={"school": school.uai, "changes": [list(c) for c in changes]},
    )
    return changes


@transaction.atomic
def communication_rules_reset(
    *, admin: Person, school: School, request: HttpRequest | None = None
) -> None:
    """Back to the default rules."""
    if not is_admin_of_school(admin, school):
        raise PermissionDenied("Seuls les administrateurs de l'établissement modifient ses règles.")
    CommunicationRule.objects.filter(school=school).delete()
    security_event_record(
        kind=SecurityEvent.Kind.COMMUNICATION_RULES_CHANGED,
        request=request,
        actor=admin,
        data={"school": school.uai, "reset": True},
    )


@transaction.atomic
def trash_purge(*, now: Any = None) -> int:
    """Delete the copies left in a trash longer than ``MESSAGING_TRASH_DAYS``, then the
    sent messages nobody holds any more (author's copy trashed as long, or no author).
    Returns the copies deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.MESSAGING_TRASH_DAYS)
    deleted, _detail = Delivery.objects.filter(
        box=Delivery.Box.TRASH, trashed_at__lt=cutoff
    ).delete()
    orphans = Message.objects.filter(sent_at__isnull=False, deliveries__isnull=True).filter(
        Q(author_trashed_at__lt=cutoff) | Q(author__isnull=True)
    )
    Message.objects.filter(pk__in=list(orphans.values_list("pk", flat=True)[:10_000])).delete()
    return deleted
