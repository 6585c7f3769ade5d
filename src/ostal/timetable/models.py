"""The timetable: weekly courses of a school year, their one-day changes, and imports.

Rules held here:
* a course is a weekly slot (weekday, start, end) of one school and school year, for
  classes and/or groups of the directory, taught by teachers of the directory, in a room;
  it runs on the weeks listed in ``weeks`` (Mondays; A/B alternation is two courses with
  complementary weeks) between ``first_date`` and ``last_date``;
* an import never invents a class, group, teacher or subject: unknown references are
  reported and left out (a course without any known class or group is not created);
* a change (cancelled course, replacement teacher, room change) concerns one date of a
  course and is notified to the pupils, parents and teachers concerned;
* the private iCalendar feed of a person is reached by a random token they can revoke.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ostal.core.french import subject_label
from ostal.directory.models import SchoolClass, Subject, TeachingGroup
from ostal.territory.models import School


class Course(models.Model):
    """A weekly course of the timetable."""

    class Origin(models.TextChoices):
        EDT = "edt", _("Export EDT / PRONOTE")
        CSV = "csv", _("Fichier CSV")
        ICAL = "ical", _("Fichier iCalendar")
        MANUAL = "manual", _("Saisie manuelle")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="courses")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    origin = models.CharField(_("origine"), max_length=8, choices=Origin.choices)
    external_id = models.CharField(_("identifiant dans la source"), max_length=64, blank=True)
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_label = models.CharField(_("matière (libellé de la source)"), max_length=160)
    classes = models.ManyToManyField(SchoolClass, blank=True, related_name="courses")
    groups = models.ManyToManyField(TeachingGroup, blank=True, related_name="courses")
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="courses_taught"
    )
    room = models.CharField(_("salle"), max_length=120, blank=True)
    weekday = models.PositiveSmallIntegerField(_("jour"), help_text=_("1 = lundi … 7 = dimanche"))
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    first_date = models.DateField(_("premier jour"))
    last_date = models.DateField(_("dernier jour"))
    # ISO dates of the Mondays of the weeks the course runs; empty = every week.
    weeks = models.JSONField(_("semaines"), default=list, blank=True)

    class Meta:
        verbose_name = _("cours")
        verbose_name_plural = _("cours")
        ordering = ["weekday", "start_time"]
        indexes = [models.Index(fields=["school", "school_year", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")), name="course_times"
            ),
            models.CheckConstraint(
                condition=models.Q(first_date__lte=models.F("last_date")), name="course_dates"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.display_subject} ({self.get_weekday_display_short()} {self.start_time:%H:%M})"
        )

    @property
    def display_subject(self) -> str:
        return subject_label(self.subject.label if self.subject else self.subject_label)

    def get_weekday_display_short(self) -> str:
        return str(WEEKDAYS[self.weekday - 1])

    def runs_on(self, day: date) -> bool:
        """Whether the course is scheduled on ``day`` (holidays are checked elsewhere)."""
        if day.isoweekday() != self.weekday or not (self.first_date <= day <= self.last_date):
            return False
        if not self.weeks:
            return True
        monday = day - timedelta(days=day.weekday())
        return monday.isoformat() in self.week_set

    @property
    def week_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_week_set", None)
        if cached is None:
            cached = frozenset(self.weeks)
            self._week_set = cached
        return cached


WEEKDAYS = [
    _("lundi"),
    _("mardi"),
    _("mercredi"),
    _("jeudi"),
    _("vendredi"),
    _("samedi"),
    _("dimanche"),
]


class CourseChange(models.Model):
    """A change of one course on one date, entered by the school's staff."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("Cours annulé")
        REPLACEMENT = "replacement", _("Professeur remplaçant")
        ROOM = "room", _("Changement de salle")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    replacement_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("professeur remplaçant"),
    )
    room = models.CharField(_("nouvelle salle"), max_length=120, blank=True)
    note = models.CharField(_("message"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("modification de cours")
        verbose_name_plural = _("modifications de cours")
        constraints = [
            models.UniqueConstraint(fields=["course", "date", "kind"], name="course_change_unique")
        ]
        indexes = [models.Index(fields=["date"])]


class CourseNotice(models.Model):
    """A notification of a course change to one person concerned (shown on their day page)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_notices"
    )
    change = models.ForeignKey(CourseChange, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("avis de modification")
        verbose_name_plural = _("avis de modification")
        constraints = [
            models.UniqueConstraint(fields=["person", "change"], name="course_notice_unique")
        ]


class TimetableImport(models.Model):
    """One import of a timetable file, with its report (also kept for dry runs)."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("Réussi")
        FAILED = "failed", _("Refusé")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    origin = models.CharField(_("format"), max_length=8, choices=Course.Origin.choices)
    filename = models.CharField(_("fichier"), max_length=255)
    dry_run = models.BooleanField(_("simulation"), default=False)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    error = models.TextField(_("erreur"), blank=True)
    report = models.JSONField(_("rapport"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("import d'emploi du temps")
        verbose_name_plural = _("imports d'emploi du temps")
        ordering = ["-created_at"]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret of a person's private iCalendar feed; revoking replaces it."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("lien d'agenda privé")
        verbose_name_plural = _("liens d'agenda privés")
