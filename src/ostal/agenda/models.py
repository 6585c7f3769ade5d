"""The agenda's data: calendars (a person's, a class's, a group's, a school's), their events
with an optional RFC 5545 recurrence, and the invitations to a personal event.

Invariants: a calendar belongs to exactly one owner of its kind (one calendar per person,
class, group or school); an event ends after it starts; times are stored in UTC and a
recurrence is expanded in Europe/Paris local time (``recurrence.py``); an event's ``uid``
is stable (the iCalendar UID: re-importing a file updates, never duplicates).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import SchoolClass, TeachingGroup
from ostal.territory.models import School


def _new_uid() -> str:
    return f"{uuid.uuid4()}@ostal"


class Calendar(models.Model):
    """One calendar: personal (its owner), of a class or group (its teachers write, its
    pupils and their parents read), or of a school (its management writes, its people read)."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("personnel")
        CLASS = "class", _("classe")
        GROUP = "group", _("groupe")
        SCHOOL = "school", _("établissement")

    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agenda_calendars",
    )
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        TeachingGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(kind="personal"), name="agenda_one_personal"
            ),
            models.UniqueConstraint(
                fields=["school_class"], condition=Q(kind="class"), name="agenda_one_per_class"
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(kind="group"), name="agenda_one_per_group"
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(kind="school"), name="agenda_one_per_school"
            ),
            models.CheckConstraint(
                name="agenda_owner_matches_kind",
                condition=(
                    Q(kind="personal", owner__isnull=False)
                    | Q(kind="class", school_class__isnull=False)
                    | Q(kind="group", group__isnull=False)
                    | Q(kind="school", school__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from ostal.core.french import school_name

        if self.kind == self.Kind.PERSONAL:
            return str(_("Agenda personnel"))
        if self.kind == self.Kind.CLASS and self.school_class is not None:
            return str(_("Classe %(name)s")) % {"name": self.school_class}
        if self.kind == self.Kind.GROUP and self.group is not None:
            return str(_("Groupe %(name)s")) % {"name": self.group}
        if self.school is not None:
            return school_name(self.school.name)
        return str(_("Agenda"))


class Event(models.Model):
    """An event of a calendar; with ``rrule`` it repeats (RFC 5545 ``RRULE`` value, without
    the ``RRULE:`` prefix), less the local dates in ``exdates`` and, if ``skip_holidays``,
    the days without school of the zone."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="events")
    uid = models.CharField(_("identifiant iCalendar"), max_length=255, default=_new_uid)
    title = models.CharField(_("titre"), max_length=200)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False)
    rrule = models.CharField(_("règle de répétition"), max_length=500, blank=True)
    exdates = models.JSONField(_("dates exclues"), default=list, blank=True)
    skip_holidays = models.BooleanField(_("sauf vacances et jours fériés"), default=False)
    audiences = models.JSONField(_("publics"), default=list, blank=True)  # profile codes
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "uid"], name="agenda_event_uid"),
            models.CheckConstraint(
                name="agenda_event_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
        ]
        indexes = [models.Index(fields=["calendar", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A person invited to a personal event, and their answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("sans réponse")
        ACCEPTED = "accepted", _("accepte")
        DECLINED = "declined", _("décline")
        MAYBE = "maybe", _("peut-être")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_invitations"
    )
    answer = models.CharField(
        _("réponse"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    created_at = models.DateTimeField(_("invité le"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="agenda_one_invitation")
        ]
