"""Writes on marks: periods, evaluations, the mark grid, publication.

Rules: only a teacher of the subject in the class or group (``can_mark``) sets and marks
an evaluation; a grid is saved whole or not at all (one unreadable cell and nothing is
stored, every wrong cell named); only pupils of the audience (or already marked in it) get
a mark; publication shows the evaluation to pupils and families, withdrawing it hides it
again; the school's management chooses the periods. Every write is logged
(``EvaluationEvent``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ostal.directory.models import Person, SchoolClass, Subject
from ostal.evaluation.abilities import (
    Audience,
    can_choose_periods,
    can_lock_period,
    can_mark,
    can_unlock_period,
    is_teacher_of_subject,
)
from ostal.evaluation.marks import MarkError, parse_mark
from ostal.evaluation.models import CouncilLock, Evaluation, EvaluationEvent, Mark, Period
from ostal.evaluation.periods import period_of, school_year_bounds
from ostal.evaluation.selectors import locked_classes, periods_of, roster_of
from ostal.territory.models import School

MAX_SCALE = 100
MAX_COEFFICIENT = Decimal(20)


def _log(
    kind: str, *, actor: Person, school: School, evaluation: Evaluation | None = None, **data: Any
) -> None:
    EvaluationEvent.objects.create(
        kind=kind,
        actor=actor,
        school=school,
        evaluation_ref=evaluation.pk if evaluation else None,
        data=data,
    )


def _clean_fields(
    *, audience: Audience, day: date, title: str, scale: int, coefficient: Decimal | str
) -> tuple[str, int, Decimal]:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Donnez un intitulé à l'évaluation."
    elif len(title) > 200:
        errors["title"] = "L'intitulé fait 200 caractères au plus."
    if not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        errors["scale"] = f"Le barème est un nombre entier de 1 à {MAX_SCALE}."
    try:
        coef = Decimal(str(coefficient).replace(",", "."))
        if (
            not coef.is_finite()
            or not 0 < coef <= MAX_COEFFICIENT
            or coef != coef.quantize(Decimal("0.01"))
        ):
            raise InvalidOperation
    except InvalidOperation:
        errors["coefficient"] = (
            "Le coefficient est un nombre de 0,01 à 20 (deux décimales au plus)."
        )
        coef = Decimal(1)
    first, last = school_year_bounds(audience.school_year)
    if not first <= day <= last:
        errors["date"] = (
            f"La date doit être dans l'année scolaire {audience.school_year}-"
            f"{audience.school_year + 1} (du {first:%d/%m/%Y} au {last:%d/%m/%Y})."
        )
    if errors:
        raise ValidationError(errors)
    return title, scale, coef


def _check_unlocked(audience: Audience, day: date) -> None:
    """Refuse a write in a period locked by a class council (of the class, or of a class
    of one of the group's pupils)."""
    periods = periods_of(school=audience.school, school_year=audience.school_year)
    period = period_of(day, periods)
    locked = locked_classes(audience=audience, period_index=period.index)
    if locked:
        names = ", ".join(sorted(str(c) for c in locked))
        raise ValidationError(
            f"{period.label} est verrouillé après le conseil de classe ({names}) : "
            "les notes de cette période ne changent plus."
        )


@transaction.atomic
def evaluation_create(
    *,
    teacher: Person,
    audience: Audience,
    subject: Subject,
    day: date,
    title: str,
    scale: int = 20,
    coefficient: Decimal | str = Decimal(1),
) -> Evaluation:
    """A teacher of the subject in the class or group sets an evaluation (unpublished)."""
    if not is_teacher_of_subject(teacher, audience, subject):
        raise PermissionDenied
    title, scale, coef = _clean_fields(
        audience=audience, day=day, title=title, scale=scale, coefficient=coefficient
    )
    _check_unlocked(audience, day)
    evaluation = Evaluation.objects.create(
        school=audience.school,
        school_year=audience.school_year,
        school_class=audience if isinstance(audience, SchoolClass) else None,
        group=None if isinstance(audience, SchoolClass) else audience,
        subject=subject,
        teacher=teacher,
        date=day,
        title=title,
        scale=scale,
        coefficient=coef,
    )
    _log(EvaluationEvent.Kind.CREATED, actor=teacher, school=audience.school, evaluation=evaluation)
    return evaluation


@transaction.atomic
def evaluation_update(
    *,
    teacher: Person,
    evaluation: Evaluation,
    day: date,
    title: str,
    scale: int,
    coefficient: Decimal | str,
) -> Evaluation:
    """Change the date, title, scale or coefficient; a scale below a mark already given is
    refused (the mark would no longer fit)."""
    if not can_mark(teacher, evaluation):
        raise PermissionDenied
    title, scale, coef = _clean_fields(
        audience=evaluation.audience, day=day, title=title, scale=scale, coefficient=coefficient
    )
    _check_unlocked(evaluation.audience, evaluation.date)
    _check_unlocked(evaluation.audience, day)
    if evaluation.marks.filter(value__gt=scale).exists():
        raise ValidationError(
            {
                "scale": f"Une note déjà saisie dépasse {scale} : corrigez-la avant de changer le barème."
            }
        )
    evaluation.date, evaluation.title, evaluation.scale, evaluation.coefficient = (
        day,
        title,
        scale,
        coef,
    )
    evaluation.save()
    _log(
        EvaluationEvent.Kind.UPDATED, actor=teacher, school=evaluation.school, evaluation=evaluation
    )
    return evaluation


@transaction.atomic
def marks_save(*, teacher: Person, evaluation: Evaluation, cells: Mapping[int, str]) -> int:
    """Save the grid: ``cells`` maps a pupil's id to what was typed. Returns how many marks
    changed. Raises ``ValidationError`` whose ``error_dict`` is keyed by pupil id (as a
    string) when a cell cannot be read: then nothing is stored."""
    if not can_mark(teacher, evaluation):
        raise PermissionDenied
    _check_unlocked(evaluation.audience, evaluation.date)
    pupils = {p.pk: p for p in roster_of(evaluation=evaluation)}
    errors: dict[str, str] = {}
    parsed: dict[int, tuple[Decimal | None, str] | None] = {}
    for pupil_id, raw in cells.items():
        if pupil_id not in pupils:
            errors[str(pupil_id)] = "Cet élève n'est pas dans la classe ou le groupe évalué."
            continue
        try:
            parsed[pupil_id] = parse_mark(raw, scale=evaluation.scale)
        except MarkError as exc:
            errors[str(pupil_id)] = f"{pupils[pupil_id].display_name} : {exc}"
    if errors:
        raise ValidationError(errors)
    existing = {m.pupil_id: m for m in evaluation.marks.filter(pupil_id__in=list(parsed))}
    changed = 0
    to_create: list[Mark] = []
    for pupil_id, result in parsed.items():
        mark = existing.get(pupil_id)
        if result is None:
            if mark is not None:
                mark.delete()
                changed += 1
            continue
        value, special = result
        if mark is None:
            to_create.append(
                Mark(evaluation=evaluation, pupil_id=pupil_id, value=value, special=special)
            )
        elif (mark.value, mark.special) != (value, special):
            mark.value, mark.special = value, special
            mark.save(update_fields=["value", "special", "updated_at"])
        else:
            continue
        changed += 1
    Mark.objects.bulk_create(to_create)
    if changed:
        _log(
            EvaluationEvent.Kind.MARKED,
            actor=teacher,
            school=evaluation.school,
            evaluation=evaluation,
            changed=changed,
        )
    return changed


@transaction.atomic
def evaluation_publish(*, teacher: Person, evaluation: Evaluation, publish: bool = True) -> None:
    """Show the evaluation and its marks to pupils and families (or hide them again)."""
    if not can_mark(teacher, evaluation):
        raise PermissionDenied
    if publish == evaluation.is_published:
        return
    _check_unlocked(evaluation.audience, evaluation.date)
    evaluation.published_at = timezone.now() if publish else None
    evaluation.save(update_fields=["published_at", "updated_at"])
    kind = EvaluationEvent.Kind.PUBLISHED if publish else EvaluationEvent.Kind.UNPUBLISHED
    _log(kind, actor=teacher, school=evaluation.school, evaluation=evaluation)


@transaction.atomic
def periods_set(
    *,
    actor: Person,
    school: School,
    school_year: int,
    kind: str,
    ranges: list[tuple[date, date]],
) -> list[Period]:
    """The management chooses trimestres (3 periods) or semestres (2) and their dates:
    in order, without overlap, inside the school year."""
    if not can_choose_periods(actor, school):
        raise PermissionDenied
    expected = {Period.Kind.TRIMESTER: 3, Period.Kind.SEMESTER: 2}.get(kind)  # type: ignore[call-overload]
    if expected is None:
        raise ValidationError("Choisissez des trimestres ou des semestres.")
    if len(ranges) != expected:
        raise ValidationError(f"Il faut {expected} périodes.")
    first, last = school_year_bounds(school_year)
    previous_end: date | None = None
    for number, (start, end) in enumerate(ranges, start=1):
        if start > end:
            raise ValidationError(f"Période {number} : la fin est avant le début.")
        if start < first or end > last:
            raise ValidationError(
                f"Période {number} : hors de l'année scolaire "
                f"(du {first:%d/%m/%Y} au {last:%d/%m/%Y})."
            )
        if previous_end is not None and start <= previous_end:
            raise ValidationError(
                f"Période {number} : elle commence avant la fin de la période précédente."
            )
        previous_end = end
    Period.objects.filter(school=school, school_year=school_year).delete()
    periods = Period.objects.bulk_create(
        Period(school=school, school_year=school_year, kind=kind, index=i, start=s, end=e)
        for i, (s, e) in enumerate(ranges, start=1)
    )
    _log(
        EvaluationEvent.Kind.PERIODS_SET,
        actor=actor,
        school=school,
        school_year=school_year,
        division=kind,
        ranges=[[s.isoformat(), e.isoformat()] for s, e in ranges],
    )
    return periods


@transaction.atomic
def period_lock(*, actor: Person, school_class: SchoolClass, period_index: int) -> CouncilLock:
    """After the class council, its head teacher or the school's management locks the
    class's period: no evaluation of its pupils in that period changes any more."""
    if not can_lock_period(actor, school_class):
        raise PermissionDenied
    periods = periods_of(school=school_class.school, school_year=school_class.school_year)
    if period_index not in {p.index for p in periods}:
        raise ValidationError("Cette période n'existe pas.")
    lock, created = CouncilLock.objects.get_or_create(
        school_class=school_class,
        school_year=school_class.school_year,
        period_index=period_index,
        defaults={"locked_by": actor},
    )
    if created:
        _log(
            EvaluationEvent.Kind.LOCKED,
            actor=actor,
            school=school_class.school,
            school_class=school_class.pk,
            period=period_index,
        )
    return lock


@transaction.atomic
def period_unlock(*, actor: Person, school_class: SchoolClass, period_index: int) -> None:
    """Only the school's management reopens a locked period (logged)."""
    if not can_unlock_period(actor, school_class):
        raise PermissionDenied
    deleted, _ = CouncilLock.objects.filter(
        school_class=school_class,
        school_year=school_class.school_year,
        period_index=period_index,
    ).delete()
    if deleted:
        _log(
            EvaluationEvent.Kind.UNLOCKED,
            actor=actor,
            school=school_class.school,
            school_class=school_class.pk,
            period=period_index,
        )
