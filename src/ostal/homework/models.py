"""The cahier de textes: the legal record of every lesson and of the work given.

Rules held here (circulaire 2010-136):
* an entry belongs to a class or a group (``audience``), a subject and a date, usually to
  a slot of the timetable; it holds the content of the lesson (sanitized rich text),
  attachments and links, and is hidden from pupils and parents until ``visible_from``;
* work given (``Homework``) carries the day it was given (the entry's date) and the day it
  is due, its instructions, an estimated time, and whether it is a test (for the load);
* the record is kept even when the timetable is re-imported (a re-import keeps the
  course, so the link stays; it is nulled only if the course is deleted);
* a pupil ticks their own work done; that tick is private to them and their parents.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.core.french import subject_label
from ostal.directory.models import SchoolClass, Subject, TeachingGroup
from ostal.territory.models import School
from ostal.timetable.models import Course


class LessonQuerySet(models.QuerySet["LessonEntry"]):
    def published(self) -> LessonQuerySet:
        """The entries pupils and parents may see: their ``visible_from`` has passed. The
        one visibility rule (``selectors.visible_lessons`` chooses who needs it)."""
        return self.filter(visible_from__lte=timezone.now())


class HomeworkQuerySet(models.QuerySet["Homework"]):
    def published(self) -> HomeworkQuerySet:
        """Work pupils and parents may see: its entry's ``visible_from`` has passed (the
        same rule as ``LessonQuerySet.published``)."""
        return self.filter(lesson__visible_from__lte=timezone.now())


class LessonEntry(models.Model):
    """One lesson of the cahier de textes of a class or group."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="lessons"
    )
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="lessons"
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="lessons"
    )
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_label = models.CharField(_("matière"), max_length=160)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lessons_written"
    )
    date = models.DateField(_("date de la séance"))
    start_time = models.TimeField(_("heure"), null=True, blank=True)
    title = models.CharField(_("titre"), max_length=200)
    content = models.TextField(_("contenu de la séance"), blank=True)
    links = models.JSONField(_("liens"), default=list, blank=True)
    visible_from = models.DateTimeField(_("visible à partir du"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance du cahier de textes")
        verbose_name_plural = _("séances du cahier de textes")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school_class__isnull=False) & Q(group__isnull=True))
                | (Q(school_class__isnull=True) & Q(group__isnull=False)),
                name="lesson_class_xor_group",
            )
        ]
        indexes = [
            models.Index(fields=["school_class", "date"]),
            models.Index(fields=["group", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.display_subject} — {self.title}"

    @property
    def display_subject(self) -> str:
        """The subject's label with its accents; ``subject_label`` keeps the source's."""
        return subject_label(self.subject_label)

    @property
    def audience(self) -> SchoolClass | TeachingGroup:
        audience = self.school_class or self.group
        assert audience is not None
        return audience

    @property
    def is_published(self) -> bool:
        """Shown to pupils and parents (``LessonQuerySet.published`` for one entry)."""
        return self.visible_from <= timezone.now()


class Homework(models.Model):
    """Work to do for a date, given during a lesson."""

    lesson = models.ForeignKey(LessonEntry, on_delete=models.CASCADE, related_name="homework")
    # Copied from the lesson so that a class's load is one indexed query.
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="homework"
    )
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="homework"
    )
    due_date = models.DateField(_("à faire pour le"))
    instructions = models.TextField(_("travail à faire"))
    estimated_minutes = models.PositiveSmallIntegerField(_("durée estimée (minutes)"), default=0)
    is_test = models.BooleanField(_("contrôle ou devoir surveillé"), default=False)
    online_submission = models.BooleanField(_("à rendre en ligne"), default=False)

    objects = HomeworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("travail à faire")
        verbose_name_plural = _("travaux à faire")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["school_class", "due_date"]),
            models.Index(fields=["group", "due_date"]),
        ]


class HomeworkDone(models.Model):
    """A pupil ticked a piece of work done."""

    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="done_by")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="homework_done"
    )
    done_at = models.DateTimeField(_("fait le"), auto_now_add=True)

    class Meta:
        verbose_name = _("travail fait")
        verbose_name_plural = _("travaux faits")
        constraints = [
            models.UniqueConstraint(fields=["homework", "pupil"], name="homework_done_unique")
        ]


class Submission(models.Model):
    """A pupil's online hand-in for work that asks for it."""

    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="submissions")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    file = models.FileField(_("fichier"), upload_to="cahier-de-textes/rendus/%Y/%m/")
    name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    submitted_at = models.DateTimeField(_("rendu le"), auto_now=True)

    class Meta:
        verbose_name = _("travail rendu")
        verbose_name_plural = _("travaux rendus")
        constraints = [
            models.UniqueConstraint(fields=["homework", "pupil"], name="submission_unique")
        ]


class Attachment(models.Model):
    """A file joined to a lesson (checked by content type and size; no antivirus here)."""

    lesson = models.ForeignKey(LessonEntry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to="cahier-de-textes/%Y/%m/")
    name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")


class WriteGrant(models.Model):
    """The school's management lets someone write in a class's or group's cahier de textes
    without teaching it (a replacement not yet in the timetable, an assistant)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cahier_grants"
    )
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("accordé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("droit d'écriture au cahier de textes")
        verbose_name_plural = _("droits d'écriture au cahier de textes")
