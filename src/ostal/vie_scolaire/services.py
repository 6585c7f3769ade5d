"""Writes of vie scolaire: roll calls, corrections, motives, justifications.

Every write checks the actor's right itself (pages and API call the same functions) and is
atomic: bad input raises ``ValidationError`` with a French message and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ostal.directory.models import Person
from ostal.territory.models import School
from ostal.timetable.selectors import Occurrence
from ostal.vie_scolaire.abilities import is_parent_of, is_school_life_of, may_call
from ostal.vie_scolaire.models import (
    Correction,
    Event,
    EventKind,
    Justification,
    Motive,
    Register,
)

PRESENT, ABSENT, LATE = "present", "absent", "late"
STATUSES = (PRESENT, ABSENT, LATE)
COMMENT_MAX = 1000

# (label, kind, proving, parents may choose, shown to parents): a short list drawn from the
# defaults of OPEN-ENT-NG/presences and the legitimate motives of L131-8.
DEFAULT_MOTIVES: list[tuple[str, str, bool, bool, bool]] = [
    ("Maladie avec certificat", EventKind.ABSENCE, True, True, True),
    ("Maladie sans certificat", EventKind.ABSENCE, False, True, True),
    ("Maladie transmissible d'un membre de la famille", EventKind.ABSENCE, False, True, True),
    ("Réunion solennelle de famille", EventKind.ABSENCE, False, True, True),
    ("Rendez-vous médical", EventKind.ABSENCE, False, True, True),
    ("Raisons familiales", EventKind.ABSENCE, False, True, True),
    ("Problèmes de transport", EventKind.ABSENCE, False, True, True),
    ("Sortie scolaire", EventKind.ABSENCE, True, False, True),
    ("Infirmerie", EventKind.ABSENCE, True, False, True),
    ("Rendez-vous PsyEN", EventKind.ABSENCE, True, False, False),
    ("Motif non valable", EventKind.ABSENCE, False, False, True),
    ("Retard de bus", EventKind.LATENESS, False, True, True),
    ("Panne de réveil", EventKind.LATENESS, False, True, True),
    ("Rendez-vous médical", EventKind.LATENESS, False, True, True),
    ("Motif non valable", EventKind.LATENESS, False, False, True),
]


def ensure_motives(school: School) -> None:
    """Give a school the default motives the first time it needs them (idempotent)."""
    if Motive.objects.filter(school=school).exists():
        return
    Motive.objects.bulk_create(
        [
            Motive(
                school=school,
                label=label,
                kind=kind,
                proving=proving,
                parents_may_choose=parents,
                shown_to_parents=shown,
            )
            for label, kind, proving, parents, shown in DEFAULT_MOTIVES
        ],
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class Mark:
    status: str
    late_minutes: int = 0


def _label(event: Event | None) -> str:
    if event is None:
        return _("présent")
    if event.kind == EventKind.ABSENCE:
        return _("absent")
    return _("en retard de %(n)d min") % {"n": event.late_minutes}


def _duration(occ: Occurrence) -> int:
    start = datetime.combine(occ.day, occ.start)
    return int((datetime.combine(occ.day, occ.end) - start).total_seconds() // 60)


def _check_marks(marks: dict[int, Mark], roster_ids: set[int], occ: Occurrence) -> None:
    unknown = set(marks) - roster_ids
    if unknown:
        raise ValidationError(_("L'appel nomme un élève qui n'est pas de ce cours."))
    longest = _duration(occ)
    for mark in marks.values():
        if mark.status not in STATUSES:
            raise ValidationError(_("Choisissez présent, absent ou en retard pour chaque élève."))
        if mark.status == LATE and not 1 <= mark.late_minutes <= longest:
            raise ValidationError(
                _("Le retard se compte en minutes, de 1 à %(n)d pour ce cours.") % {"n": longest}
            )


def _plus_minutes(occ: Occurrence, minutes: int) -> time:
    return (datetime.combine(occ.day, occ.start) + timedelta(minutes=minutes)).time()


@transaction.atomic
def roll_call_save(
    *,
    actor: Person,
    occ: Occurrence,
    roster_ids: set[int],
    marks: dict[int, Mark],
    validate: bool,
) -> Register:
    """Save the roll call of an occurrence: pupils not in ``marks`` are present.

    The teacher of the occurrence calls it until it is validated; then it is locked and
    only vie scolaire or direction of the school may correct it, each change traced.
    """
    school = occ.course.school
    manager = is_school_life_of(actor, school)
    if occ.cancelled or not (may_call(actor, occ) or manager):
        raise PermissionDenied
    _check_marks(marks, roster_ids, occ)
    ensure_motives(school)
    register, _created = Register.objects.select_for_update().get_or_create(
        course=occ.course, date=occ.day
    )
    correcting = register.locked
    if correcting and not manager:
        raise ValidationError(
            _("Cet appel est validé : seule la vie scolaire peut encore le corriger.")
        )
    existing = {e.pupil_id: e for e in Event.objects.filter(register=register)}
    for pupil_id in roster_ids:
        mark = marks.get(pupil_id, Mark(PRESENT))
        event = existing.get(pupil_id)
        before = _label(event)
        if mark.status == PRESENT:
            if event is not None:
                event.delete()
                event = None
        else:
            kind = EventKind.ABSENCE if mark.status == ABSENT else EventKind.LATENESS
            minutes = mark.late_minutes if mark.status == LATE else 0
            end = (
                occ.end if kind == EventKind.ABSENCE else min(occ.end, _plus_minutes(occ, minutes))
            )
            if event is None:
                event = Event(
                    school=school,
                    pupil_id=pupil_id,
                    register=register,
                    date=occ.day,
                    created_by=actor,
                )
            elif event.kind != kind:
                event.motive = None
                event.regularised = False
                event.justifications.all().delete()
            event.kind = kind
            event.start_time = occ.start
            event.end_time = end
            event.late_minutes = minutes
            event.save()
        after = _label(event)
        if correcting and before != after:
            Correction.objects.create(
                register=register, pupil_id=pupil_id, actor=actor, before=before, after=after
            )
    if not correcting:
        register.called_by = actor
        register.state = Register.State.DONE if validate else Register.State.IN_PROGRESS
        if validate:
            register.validated_at = timezone.now()
        register.save()
    return register


def _motive_for(event: Event, motive_id: int | None, *, by_parent: bool) -> Motive:
    motive = (
        Motive.objects.filter(pk=motive_id, school_id=event.school_id, kind=event.kind, active=True)
        .filter(**({"parents_may_choose": True} if by_parent else {}))
        .first()
        if motive_id is not None
        else None
    )
    if motive is None:
        raise ValidationError(_("Choisissez un motif dans la liste."))
    return motive


@transaction.atomic
def justification_submit(
    *, parent: Person, event: Event, motive_id: int | None, comment: str
) -> Justification:
    """A parent justifies an absence or lateness of their own child."""
    if not is_parent_of(parent, event.pupil_id):
        raise PermissionDenied
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(_("Le commentaire dépasse %(n)d caractères.") % {"n": COMMENT_MAX})
    if event.regularised:
        raise ValidationError(_("Cet événement est déjà régularisé par la vie scolaire."))
    if Justification.objects.filter(event=event, state=Justification.State.PENDING).exists():
        raise ValidationError(_("Un justificatif est déjà en attente pour cet événement."))
    motive = _motive_for(event, motive_id, by_parent=True)
    return Justification.objects.create(event=event, author=parent, motive=motive, comment=comment)


@transaction.atomic
def justification_decide(
    *, actor: Person, justification: Justification, accept: bool, answer: str
) -> Justification:
    """Vie scolaire accepts (the event takes the motive, regularised) or refuses (with a
    message to the family) a pending justification."""
    event = justification.event
    if not is_school_life_of(actor, event.school):
        raise PermissionDenied
    answer = (answer or "").strip()
    if justification.state != Justification.State.PENDING:
        raise ValidationError(_("Ce justificatif a déjà été traité."))
    if len(answer) > COMMENT_MAX:
        raise ValidationError(_("La réponse dépasse %(n)d caractères.") % {"n": COMMENT_MAX})
    if not accept and not answer:
        raise ValidationError(_("Dites à la famille pourquoi le justificatif est refusé."))
    justification.state = Justification.State.ACCEPTED if accept else Justification.State.REFUSED
    justification.answer = answer
    justification.decided_by = actor
    justification.decided_at = timezone.now()
    justification.save()
    if accept:
        event.motive = justification.motive
        event.regularised = True
        event.save(update_fields=["motive", "regularised"])
    return justification


@transaction.atomic
def event_set_motive(*, actor: Person, event: Event, motive_id: int | None) -> Event:
    """Vie scolaire gives an event its motive: justified; regularised at once when the
    motive justifies by itself (« probant »)."""
    if not is_school_life_of(actor, event.school):
        raise PermissionDenied
    motive = _motive_for(event, motive_id, by_parent=False)
    event.motive = motive
    event.regularised = motive.proving
    event.save(update_fields=["motive", "regularised"])
    return event


@transaction.atomic
def event_regularise(*, actor: Person, event: Event) -> Event:
    """Vie scolaire accepts the motive of a justified event."""
    if not is_school_life_of(actor, event.school):
        raise PermissionDenied
    if event.motive_id is None:
        raise ValidationError(_("Donnez d'abord un motif à cet événement."))
    event.regularised = True
    event.save(update_fields=["regularised"])
    return event


# -- The school's motives, managed by its vie scolaire and direction ---------------------

MOTIVE_LABEL_MAX = 120


def _motive_fields(
    *,
    school: School,
    kind: str,
    label: str,
    parents_may_choose: bool,
    shown_to_parents: bool,
    exclude_pk: int | None = None,
) -> str:
    """The cleaned label, or a French ``ValidationError`` (blank, too long, duplicate in the
    school for that kind, proposed to parents yet hidden from them)."""
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError(_("Donnez un libellé au motif."))
    if len(label) > MOTIVE_LABEL_MAX:
        raise ValidationError(_("Le libellé dépasse %(n)d caractères.") % {"n": MOTIVE_LABEL_MAX})
    twins = Motive.objects.filter(school=school, kind=kind, label__iexact=label)
    if exclude_pk is not None:
        twins = twins.exclude(pk=exclude_pk)
    if twins.exists():
        raise ValidationError(
            _("Un motif « %(label)s » existe déjà pour ce type.") % {"label": label}
        )
    if parents_may_choose and not shown_to_parents:
        raise ValidationError(_("Un motif proposé aux parents doit leur être visible."))
    return label


def _save_motive(motive: Motive) -> Motive:
    try:
        with transaction.atomic():
            motive.save()
    except IntegrityError:  # a twin saved at the same moment
        raise ValidationError(
            _("Un motif « %(label)s » existe déjà pour ce type.") % {"label": motive.label}
        ) from None
    return motive


@transaction.atomic
def motive_create(
    *,
    actor: Person,
    school: School,
    kind: str,
    label: str,
    proving: bool,
    parents_may_choose: bool,
    shown_to_parents: bool,
) -> Motive:
    """Add a motive to the school (after its default motives, so that they are not lost)."""
    if not is_school_life_of(actor, school):
        raise PermissionDenied
    if kind not in EventKind.values:
        raise ValidationError(_("Choisissez s'il s'agit d'un motif d'absence ou de retard."))
    ensure_motives(school)
    label = _motive_fields(
        school=school,
        kind=kind,
        label=label,
        parents_may_choose=parents_may_choose,
        shown_to_parents=shown_to_parents,
    )
    return _save_motive(
        Motive(
            school=school,
            kind=kind,
            label=label,
            proving=proving,
            parents_may_choose=parents_may_choose,
            shown_to_parents=shown_to_parents,
        )
    )


@transaction.atomic
def motive_update(
    *,
    actor: Person,
    motive: Motive,
    label: str,
    proving: bool,
    parents_may_choose: bool,
    shown_to_parents: bool,
) -> Motive:
    """Change a motive's label and flags. Its kind stays (events of that kind carry it);
    events already given it keep it, and their « régularisé » state does not change."""
    if not is_school_life_of(actor, motive.school):
        raise PermissionDenied
    motive.label = _motive_fields(
        school=motive.school,
        kind=motive.kind,
        label=label,
        parents_may_choose=parents_may_choose,
        shown_to_parents=shown_to_parents,
        exclude_pk=motive.pk,
    )
    motive.proving = proving
    motive.parents_may_choose = parents_may_choose
    motive.shown_to_parents = shown_to_parents
    return _save_motive(motive)


@transaction.atomic
def motive_set_active(*, actor: Person, motive: Motive, active: bool) -> Motive:
    """Deactivate (no longer offered to anyone; events that have it keep it) or reactivate
    a motive. Motives are never deleted: events point to them."""
    if not is_school_life_of(actor, motive.school):
        raise PermissionDenied
    motive.active = active
    motive.save(update_fields=["active"])
    return motive
