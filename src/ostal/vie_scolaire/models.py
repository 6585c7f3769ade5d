"""Vie scolaire: the register of each course occurrence, absences and lateness recorded
from it, the school's motives, and the families' justifications.

Rules held here:
* a register belongs to one course on one date (unique); it goes « à faire » → « en
  cours » → « fait »; once done (validated) it is locked for the teacher, and only vie
  scolaire or direction may correct it, each correction leaving a trace;
* an event (absence, lateness) concerns one pupil, one school and one day; recorded from a
  register it keeps that register (one event per pupil per register);
* an event is *justified* when it has a motive, *regularised* when vie scolaire accepted
  it (or its motive justifies by itself, « probant »); only regularised absences stop
  counting towards the legal alert (see ``counting.py``);
* a motive belongs to one school, with the flags the school sets: justifies by itself,
  choosable by parents, shown to parents (otherwise « confidentiel »);
* a justification is a parent's (motive, comment) for one event of their own child;
  vie scolaire accepts it (the event takes the motive and is regularised) or refuses it
  with a message the parent reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ostal.territory.models import School
from ostal.timetable.models import Course


class EventKind(models.TextChoices):
    ABSENCE = "absence", _("Absence")
    LATENESS = "lateness", _("Retard")


class Motive(models.Model):
    """A motive of absence or lateness of one school, with its flags."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("libellé"), max_length=120)
    kind = models.CharField(_("pour"), max_length=10, choices=EventKind.choices)
    proving = models.BooleanField(
        _("justifie à lui seul"),
        default=False,
        help_text=_("L'événement est régularisé dès que ce motif est retenu."),
    )
    parents_may_choose = models.BooleanField(_("proposé aux parents"), default=False)
    shown_to_parents = models.BooleanField(_("visible des parents"), default=True)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("motif")
        verbose_name_plural = _("motifs")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "label"], name="vie_scolaire_motive_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Register(models.Model):
    """The roll call of one course on one date."""

    class State(models.TextChoices):
        TODO = "todo", _("À faire")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Fait")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.TODO)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("appel fait par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("appel")
        verbose_name_plural = _("appels")
        constraints = [
            models.UniqueConstraint(fields=["course", "date"], name="vie_scolaire_register_unique")
        ]
        indexes = [models.Index(fields=["date", "state"])]

    @property
    def locked(self) -> bool:
        return self.state == self.State.DONE


class Event(models.Model):
    """An absence or a lateness of one pupil."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="school_life_events"
    )
    register = models.ForeignKey(
        Register, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("type"), max_length=10, choices=EventKind.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    late_minutes = models.PositiveSmallIntegerField(_("minutes de retard"), default=0)
    motive = models.ForeignKey(
        Motive, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regularised = models.BooleanField(_("régularisé"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("événement de vie scolaire")
        verbose_name_plural = _("événements de vie scolaire")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "pupil"],
                condition=models.Q(register__isnull=False),
                name="vie_scolaire_event_once_per_register",
            ),
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")),
                name="vie_scolaire_event_times",
            ),
        ]
        indexes = [
            models.Index(fields=["pupil", "date"]),
            models.Index(fields=["school", "date"]),
        ]

    @property
    def justified(self) -> bool:
        return self.motive_id is not None


class Justification(models.Model):
    """A parent's justification of one event of their child, and vie scolaire's answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("À traiter")
        ACCEPTED = "accepted", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="justifications")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    motive = models.ForeignKey(Motive, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("commentaire"), max_length=1000, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    answer = models.TextField(_("réponse de la vie scolaire"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(state="pending"),
                name="vie_scolaire_one_pending_justification",
            )
        ]


class Correction(models.Model):
    """The trace of a change made to a validated register by vie scolaire or direction."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="corrections")
    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.CharField(_("avant"), max_length=40)
    after = models.CharField(_("après"), max_length=40)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction d'appel")
        verbose_name_plural = _("corrections d'appel")
        ordering = ["created_at"]
