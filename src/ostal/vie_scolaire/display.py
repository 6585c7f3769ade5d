"""How an event reads for people: its state and its motive (confidential motives hidden
from families)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ostal.vie_scolaire.models import Event, EventKind


def state_label(event: Event, *, pending: bool = False) -> str:
    absence = event.kind == EventKind.ABSENCE
    if event.regularised:
        return _("Régularisée") if absence else _("Régularisé")
    if pending:
        return _("Justificatif en attente")
    if event.motive_id is not None:
        return _("Justifiée, à régulariser") if absence else _("Justifié, à régulariser")
    return _("Non justifiée") if absence else _("Non justifié")


def motive_label(event: Event, *, family: bool) -> str:
    if event.motive is None:
        return ""
    if family and not event.motive.shown_to_parents:
        return _("Motif confidentiel")
    return event.motive.label


def what(event: Event) -> str:
    if event.kind == EventKind.ABSENCE:
        return _("Absence")
    return _("Retard de %(n)d min") % {"n": event.late_minutes}


def course_label(event: Event) -> str:
    if event.register is None:
        return ""
    return event.register.course.display_subject
