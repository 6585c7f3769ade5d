"""Marks: the school's periods, evaluations and the marks of each pupil.

Rules held here (issue 20, sdet-reference part 2 §4.2):
* a school splits its year into periods, three trimestres or two semestres, with dates
  (the periodicity is voted by the school's board, so the direction chooses it); a school
  that chose nothing gets the default periods of ``periods.default_periods``;
* an evaluation belongs to a class or a group (never both), a subject and the teacher who
  set it; it has a date, a title, a scale (« sur N ») and a coefficient;
* a pupil has at most one mark per evaluation: a value between 0 and the scale, or one of
  the special codes (``abs`` absent, ``disp`` exempt, ``nr`` not handed in, ``nn`` not
  marked), never both;
* nothing of an evaluation is shown to pupils or families before it is published
  (``published_at``); every write is logged in ``EvaluationEvent``;
* after its class council, a class's period is locked (``CouncilLock``): the marks of
  its pupils in that period no longer change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import SchoolClass, Subject, TeachingGroup
from ostal.territory.models import School


class Period(models.Model):
    """A period of a school's year: trimestre or semestre ``index`` of ``count``."""

    class Kind(models.TextChoices):
        TRIMESTER = "trimester", _("Trimestres")
        SEMESTER = "semester", _("Semestres")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    kind = models.CharField(_("découpage"), max_length=10, choices=Kind.choices)
    index = models.PositiveSmallIntegerField(_("numéro"))
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))

    class Meta:
        verbose_name = _("période")
        verbose_name_plural = _("périodes")
        ordering = ["school_year", "index"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "school_year", "index"], name="evaluation_period_unique"
            ),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="period_order"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.SEMESTER:
            return str(_("Semestre %(n)s") % {"n": self.index})
        return str(_("Trimestre %(n)s") % {"n": self.index})


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def published(self) -> EvaluationQuerySet:
        """What pupils and families may see: published evaluations only (the one rule)."""
        return self.filter(published_at__isnull=False)


class Evaluation(models.Model):
    """A test, a piece of work or an oral, marked for a class or a group in a subject."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations_set"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("intitulé"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("noté sur"), default=20)
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2, default=1)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school_class__isnull=False) & Q(group__isnull=True))
                | (Q(school_class__isnull=True) & Q(group__isnull=False)),
                name="evaluation_class_xor_group",
            ),
            models.CheckConstraint(
                condition=Q(scale__gte=1) & Q(scale__lte=100), name="evaluation_scale_range"
            ),
            models.CheckConstraint(
                condition=Q(coefficient__gt=0) & Q(coefficient__lte=20),
                name="evaluation_coefficient_range",
            ),
        ]
        indexes = [models.Index(fields=["school", "school_year", "date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audience(self) -> SchoolClass | TeachingGroup:
        return self.school_class or self.group  # type: ignore[return-value]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Mark(models.Model):
    """One pupil's result in one evaluation: a value out of the scale, or a special code."""

    class Special(models.TextChoices):
        NONE = "", _("—")
        ABSENT = "abs", _("Absent")
        EXEMPT = "disp", _("Dispensé")
        NOT_HANDED_IN = "nr", _("Non rendu")
        NOT_MARKED = "nn", _("Non noté")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="marks")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marks"
    )
    value = models.DecimalField(_("note"), max_digits=5, decimal_places=2, null=True, blank=True)
    special = models.CharField(
        _("code"), max_length=4, choices=Special.choices, blank=True, default=""
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "pupil"], name="mark_unique"),
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(special=""))
                | (Q(value__isnull=True) & ~Q(special="")),
                name="mark_value_xor_special",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="mark_value_positive"
            ),
        ]
        indexes = [models.Index(fields=["pupil", "evaluation"])]


class EvaluationEvent(models.Model):
    """The audit log of marks: who created, marked, published or withdrew what, and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Évaluation créée")
        UPDATED = "updated", _("Évaluation modifiée")
        MARKED = "marked", _("Notes saisies")
        PUBLISHED = "published", _("Évaluation publiée")
        UNPUBLISHED = "unpublished", _("Publication retirée")
        DELETED = "deleted", _("Évaluation supprimée")
        PERIODS_SET = "periods", _("Périodes choisies")
        LOCKED = "locked", _("Période verrouillée (conseil de classe)")
        UNLOCKED = "unlocked", _("Période déverrouillée")

    at = models.DateTimeField(_("date"), auto_now_add=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    evaluation_ref = models.PositiveBigIntegerField(_("évaluation"), null=True, blank=True)
    data = models.JSONField(_("détail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("journal des notes")
        verbose_name_plural = _("journal des notes")
        ordering = ["-at"]


class CouncilLock(models.Model):
    """A class's period locked after its class council: its marks no longer change."""

    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    period_index = models.PositiveSmallIntegerField(_("période"))
    locked_at = models.DateTimeField(_("verrouillée le"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("verrou du conseil de classe")
        verbose_name_plural = _("verrous du conseil de classe")
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "school_year", "period_index"], name="council_lock_unique"
            )
        ]
