"""The espace documentaire: every person's own folders and files, in their quota.

Invariants:
* a folder and a document belong to one owner; a document's folder (``None``: the root of
  the space) and a folder's parent are the owner's own;
* a document row exists only with its file stored (written first, removed again if the row
  cannot be made) and its size counted in the owner's ``Usage`` until it is purged;
* a file is **in quarantine** (not downloadable) until clamd found it clean;
* in the trash (``trashed_at``) things still count in the quota; the nightly purge deletes
  them ``DOCUMENTS_TRASH_DAYS`` after, files included.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Person, SchoolClass


class Folder(models.Model):
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="document_folders")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("nom"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    trashed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        indexes = [models.Index(fields=["owner", "parent", "name"])]

    def __str__(self) -> str:
        return self.name


class HandIn(models.Model):
    """A dépôt de devoirs: a teacher's folder where each pupil of a class drops their work
    before a deadline (later is accepted, flagged late); each pupil sees only their own
    files, the teacher sees everyone's."""

    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hand_ins")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="hand_ins")
    homework = models.ForeignKey(
        "homework.Homework",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hand_ins",
    )
    title = models.CharField(_("titre"), max_length=200)
    deadline = models.DateTimeField(_("à rendre avant le"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dépôt de devoirs")
        verbose_name_plural = _("dépôts de devoirs")
        indexes = [models.Index(fields=["school_class", "deadline"])]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    class Scan(models.TextChoices):
        PENDING = "pending", _("en quarantaine, analyse antivirus en cours")
        CLEAN = "clean", _("sain")
        INFECTED = "infected", _("virus détecté, bloqué en quarantaine")

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    folder = models.ForeignKey(
        Folder, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    # a pupil's work handed in (not in their own folders; counted in their quota)
    hand_in = models.ForeignKey(
        HandIn, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    name = models.CharField(_("nom"), max_length=200)
    file = models.FileField(_("fichier"), max_length=300)
    size = models.BigIntegerField(_("taille"))
    content_type = models.CharField(max_length=120)
    scan = models.CharField(max_length=10, choices=Scan.choices, default=Scan.PENDING)
    scan_signature = models.CharField(max_length=200, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    trashed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        indexes = [
            models.Index(fields=["owner", "folder", "name"]),
            models.Index(fields=["scan", "created_at"]),
            models.Index(fields=["trashed_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def downloadable(self) -> bool:
        return self.scan == self.Scan.CLEAN

    @property
    def late(self) -> bool:
        """Handed in after its hand-in folder's deadline."""
        return self.hand_in is not None and self.created_at > self.hand_in.deadline


class Usage(models.Model):
    """Bytes a person's space holds (trash included): the counter the quota is enforced on
    with one conditional ``UPDATE`` (two uploads cannot both take the last megabytes)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="document_usage"
    )
    used = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("espace utilisé")
