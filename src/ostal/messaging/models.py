"""The messagerie: messages, their per-recipient deliveries, folders, communication rules
and freezes.

Rules held here:
* a message is written once; each recipient gets one ``Delivery`` row (its folder, read
  state, trash date), so an inbox is one indexed query on ``(recipient, box, sent_at)``;
* a message without ``sent_at`` is a draft, seen only by its author;
* a school's communication rules are one row per (from group, to group) once an admin
  edited them; a school without rows uses the defaults (``rules_engine.DEFAULT_RULES``);
* a freeze (school, département or région) makes messaging read-only while not lifted.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.homework.sanitize import platform_clean
from ostal.territory.models import Authority, School


class Group(models.TextChoices):
    """Profile groups the communication rules speak about."""

    PUPILS = "ELV", _("Élèves")
    RELATIVES = "TUT", _("Parents")
    TEACHERS = "ENS", _("Enseignants")
    DIRECTION = "DIR", _("Direction")
    SCHOOL_LIFE = "EVS", _("Vie scolaire")
    OTHER_STAFF = "ETA", _("Autres personnels")


class Reach(models.TextChoices):
    NONE = "none", _("Aucun")
    RELATED = "related", _("En lien (classes, groupes, enfants)")
    SCHOOL = "school", _("Tout l'établissement")


class CommunicationRule(models.Model):
    """Whom a profile group of a school may write to."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("qui écrit"), max_length=3, choices=Group.choices)
    target = models.CharField(_("à qui"), max_length=3, choices=Group.choices)
    reach = models.CharField(_("portée"), max_length=8, choices=Reach.choices)
    changed_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("règle de communication")
        verbose_name_plural = _("règles de communication")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source", "target"], name="communication_rule_unique"
            )
        ]


class Folder(models.Model):
    """A person's own folder."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_folders"
    )
    name = models.CharField(_("nom"), max_length=60)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="folder_unique_name")]

    def __str__(self) -> str:
        return self.name


class _TextOf(HTMLParser):
    """The text of sanitized HTML, each tag read as a space (``<p>a</p><p>b</p>`` is
    ``a b``, not ``ab``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")


def message_search_text(subject: str, body: str) -> str:
    """What full-text search indexes for a message: its subject and the plain text of its
    (sanitized HTML) body, whitespace collapsed (see ``ostal.messaging.search``)."""
    parser = _TextOf()
    parser.feed(body or "")
    parser.close()
    text = "".join(parser.parts)  # character references already decoded
    return " ".join(f"{subject or ''} {text}".split())


class Message(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages_written",
        help_text=_("Vide pour un message de la plateforme (alerte)."),
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    about_pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("élève concerné"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    is_broadcast = models.BooleanField(_("diffusion"), default=False)
    no_reply = models.BooleanField(_("sans réponse"), default=False)
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # A draft keeps what the author chose (target keys, see ``rules_engine.expand``).
    draft_targets = models.JSONField(default=list, blank=True)
    recipients_label = models.CharField(_("destinataires"), max_length=300, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    author_trashed_at = models.DateTimeField(null=True, blank=True)
    recalled_at = models.DateTimeField(_("rappelé le"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Subject + plain text of the body, kept by ``save()`` for every writer (drafts, sends,
    # platform alerts). Indexed by migration 0002: a GIN index on its ``ostal_fr`` tsvector
    # on PostgreSQL, the FTS5 table ``messaging_message_fts`` (triggers) on SQLite.
    search_text = models.TextField(_("texte indexé"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["author", "-sent_at"], name="message_author_sent")]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``search_text`` in step with the subject and body (also on a partial save
        that touches them). ``QuerySet.update()`` and ``bulk_create`` bypass this: pass
        ``search_text=message_search_text(subject, body)`` there."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"subject", "body"} & set(update_fields):
            self.search_text = message_search_text(self.subject, self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def body_html(self) -> str:
        """The body to render (page and API): a platform message (no author) keeps the
        platform profile — escaped values, no link — even one stored before that rule."""
        if self.author_id is None:
            return platform_clean(self.body)
        return self.body

    @property
    def is_draft(self) -> bool:
        return self.sent_at is None


class Delivery(models.Model):
    """One recipient's copy of a message."""

    class Box(models.TextChoices):
        INBOX = "inbox", _("Boîte de réception")
        FOLDER = "folder", _("Dossier")
        TRASH = "trash", _("Corbeille")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_deliveries"
    )
    sent_at = models.DateTimeField()  # copied from the message: the inbox sorts on it
    box = models.CharField(max_length=8, choices=Box.choices, default=Box.INBOX)
    folder = models.ForeignKey(Folder, null=True, blank=True, on_delete=models.SET_NULL)
    read_at = models.DateTimeField(null=True, blank=True)
    trashed_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)  # recalled broadcast or purged from trash

    class Meta:
        verbose_name = _("remise")
        verbose_name_plural = _("remises")
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient"], name="delivery_unique")
        ]
        indexes = [
            models.Index(fields=["recipient", "box", "-sent_at"], name="delivery_box"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, hidden=False, box="inbox"),
                name="delivery_unread",
            ),
        ]


class MessageReport(models.Model):
    """A recipient reports a message to the school's admins."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="report_unique")
        ]


class Freeze(models.Model):
    """Messaging made read-only for a school, a département or a région."""

    class Scope(models.TextChoices):
        SCHOOL = "school", _("Établissement")
        DEPARTMENT = "department", _("Département")
        REGION = "region", _("Région")

    scope = models.CharField(_("périmètre"), max_length=12, choices=Scope.choices)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE)
    authority = models.ForeignKey(Authority, null=True, blank=True, on_delete=models.CASCADE)
    reason = models.CharField(_("motif"), max_length=300)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gel de la messagerie")
        verbose_name_plural = _("gels de la messagerie")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="school", school__isnull=False, authority__isnull=True))
                | (~Q(scope="school") & Q(school__isnull=True, authority__isnull=False)),
                name="freeze_scope_target",
            )
        ]

    @property
    def scope_label(self) -> str:
        if self.school is not None:
            return self.school.display_name
        return self.authority.name if self.authority else ""


class Attachment(models.Model):
    """A file joined to a message: checked by size and content type at upload, then kept
    in quarantine (not downloadable) until the antivirus job marks it clean."""

    class Scan(models.TextChoices):
        PENDING = "pending", _("En attente d'analyse antivirus")
        CLEAN = "clean", _("Sain")
        INFECTED = "infected", _("Infecté : en quarantaine")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to="messagerie/%Y/%m/")
    name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille"))
    scan = models.CharField(_("analyse"), max_length=8, choices=Scan.choices, default=Scan.PENDING)
    scanned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    @property
    def downloadable(self) -> bool:
        return self.scan == self.Scan.CLEAN
