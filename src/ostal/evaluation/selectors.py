"""Reads on marks, always scoped to the person asking.

Rule: pupils and families see published evaluations only (``Evaluation.objects.published``),
a pupil their own marks, a parent their children's; "missing" and "forbidden" are the same
``None`` (404). Averages follow ``marks.py``: a pupil's subject average is taken over their
own marks of the period, whatever the class they had them in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ostal.directory.models import (
    Enrolment,
    GroupMembership,
    Person,
    Profile,
    SchoolClass,
    TeachingAssignment,
)
from ostal.directory.selectors import current_class_of
from ostal.evaluation.abilities import can_mark, can_read_class_marks, can_read_evaluation
from ostal.evaluation.marks import Scored, Stats, stats, weighted_average
from ostal.evaluation.models import CouncilLock, Evaluation, Mark, Period
from ostal.evaluation.periods import current_period, default_periods, range_of
from ostal.territory.models import School


def periods_of(*, school: School, school_year: int) -> list[Period]:
    """The school's periods for the year, or the default trimestres (unsaved)."""
    stored = list(Period.objects.filter(school=school, school_year=school_year).order_by("index"))
    return stored or default_periods(school, school_year)


def locked_classes(*, audience: SchoolClass | Any, period_index: int) -> list[SchoolClass]:
    """The classes locked for that period among the audience's: the class itself, or the
    classes of a group's pupils."""
    if isinstance(audience, SchoolClass):
        classes: Any = [audience.pk]
    else:
        classes = Enrolment.objects.filter(pupil__group_memberships__group=audience).values(
            "school_class_id"
        )
    locks = CouncilLock.objects.filter(
        school_class_id__in=classes, school_year=audience.school_year, period_index=period_index
    ).select_related("school_class")
    return [lock.school_class for lock in locks]


def council_lock_of(*, school_class: SchoolClass, period_index: int) -> CouncilLock | None:
    return (
        CouncilLock.objects.filter(
            school_class=school_class,
            school_year=school_class.school_year,
            period_index=period_index,
        )
        .select_related("locked_by")
        .first()
    )


def choose_period(periods: list[Period], index: int | None) -> Period:
    """The period numbered ``index``, else today's."""
    for period in periods:
        if period.index == index:
            return period
    return current_period(timezone.localdate(), periods)


def teaching_services(*, teacher: Person) -> list[TeachingAssignment]:
    """The teacher's current services with a subject (class or group × subject)."""
    return list(
        TeachingAssignment.objects.filter(teacher=teacher, subject__isnull=False)
        .filter(
            Q(school_class__isnull=False, school_class__archived=False)
            | Q(group__isnull=False, group__archived=False)
        )
        .select_related("subject", "school_class__school", "group__school")
        .order_by("school_class__code", "group__code", "subject__label")
    )


def service_for_teacher(*, teacher: Person, pk: int) -> TeachingAssignment | None:
    return next((s for s in teaching_services(teacher=teacher) if s.pk == pk), None)


def _audience_filter(service: TeachingAssignment) -> dict[str, Any]:
    if service.school_class_id:
        return {"school_class_id": service.school_class_id}
    return {"group_id": service.group_id}


def evaluations_of_service(*, service: TeachingAssignment) -> QuerySet[Evaluation]:
    """Every evaluation of the service (any of its teachers), with the count of marks."""
    audience = service.school_class or service.group
    assert audience is not None
    return (
        Evaluation.objects.filter(
            subject_id=service.subject_id or 0,
            school_year=audience.school_year,
            **_audience_filter(service),
        )
        .select_related("subject", "school_class", "group")
        .annotate(marked=Count("marks"))
        .order_by("date", "pk")
    )


def evaluation_for_marker(*, user: Person, pk: int) -> Evaluation | None:
    evaluation = (
        Evaluation.objects.select_related("subject", "school", "school_class", "group", "teacher")
        .filter(pk=pk)
        .first()
    )
    return evaluation if evaluation is not None and can_mark(user, evaluation) else None


def evaluation_for_reader(*, user: Person, pk: int) -> Evaluation | None:
    evaluation = (
        Evaluation.objects.select_related("subject", "school", "school_class", "group", "teacher")
        .filter(pk=pk)
        .first()
    )
    return evaluation if evaluation is not None and can_read_evaluation(user, evaluation) else None


def roster_of(*, evaluation: Evaluation) -> list[Person]:
    """Who is marked: the pupils now in the class or group, and those already marked in
    this evaluation who have since left it (a change of class keeps their mark)."""
    members: QuerySet[Any, Any]
    if evaluation.school_class_id:
        members = Enrolment.objects.filter(school_class_id=evaluation.school_class_id).values(
            "pupil_id"
        )
    else:
        members = GroupMembership.objects.filter(group_id=evaluation.group_id).values("person_id")
    marked = Mark.objects.filter(evaluation=evaluation).values("pupil_id")
    return list(
        Person.objects.filter(Q(pk__in=members) | Q(pk__in=marked), profile=Profile.PUPIL).order_by(
            "last_name", "first_name", "pk"
        )
    )


@dataclass(frozen=True, slots=True)
class GridRow:
    pupil: Person
    mark: Mark | None

    @property
    def typed(self) -> str:
        """The cell as the teacher typed it (« 15,5 », « abs »)."""
        if self.mark is None:
            return ""
        if self.mark.special:
            return self.mark.special
        from ostal.evaluation.marks import display

        return display(self.mark.value)


def grid_of(*, evaluation: Evaluation) -> list[GridRow]:
    marks = {m.pupil_id: m for m in Mark.objects.filter(evaluation=evaluation)}
    return [GridRow(p, marks.get(p.pk)) for p in roster_of(evaluation=evaluation)]


def evaluation_stats(*, evaluation: Evaluation) -> Stats:
    """Average, lowest, highest of an evaluation, on its own scale (special values out)."""
    return stats(m.value for m in Mark.objects.filter(evaluation=evaluation) if not m.special)


# --- A pupil's marks (pupil, parent, mobile app) -----------------------------------------


@dataclass(frozen=True, slots=True)
class MarkLine:
    evaluation: Evaluation
    mark: Mark
    class_stats: Stats

    @property
    def label(self) -> str:
        return self.mark.get_special_display() if self.mark.special else ""


@dataclass(frozen=True, slots=True)
class SubjectLine:
    subject_id: int
    subject_label: str
    average: Decimal | None
    class_stats: Stats
    marks: int


@dataclass
class Report:
    pupil: Person
    school_class: SchoolClass | None
    periods: list[Period] = field(default_factory=list)
    period: Period | None = None
    marks: list[MarkLine] = field(default_factory=list)
    subjects: list[SubjectLine] = field(default_factory=list)
    start: date | None = None
    end: date | None = None


def _published_in(school_year: int, start: date, end: date) -> Q:
    return Q(
        evaluation__published_at__isnull=False,
        evaluation__school_year=school_year,
        evaluation__date__gte=start,
        evaluation__date__lte=end,
    )


def pupil_report(
    *, pupil: Person, period_index: int | None = None, school_class: SchoolClass | None = None
) -> Report:
    """A pupil's published marks of a period, each with the evaluation's class average,
    lowest and highest, and their averages per subject with the class's (the pupil's
    current class: the mean, lowest and highest of its pupils' subject averages).

    Five queries whatever the number of marks (pinned by a test).
    """
    school_class = school_class or current_class_of(pupil=pupil)
    report = Report(pupil=pupil, school_class=school_class)
    if school_class is None:
        return report
    periods = periods_of(school=school_class.school, school_year=school_class.school_year)
    period = choose_period(periods, period_index)
    start, end = range_of(period, periods)
    report.periods, report.period, report.start, report.end = periods, period, start, end
    window = _published_in(school_class.school_year, start, end)
    own = list(
        Mark.objects.filter(window, pupil=pupil)
        .select_related("evaluation__subject", "evaluation__school_class", "evaluation__group")
        .order_by("-evaluation__date", "-evaluation_id")
    )
    per_evaluation: dict[int, list[Decimal | None]] = defaultdict(list)
    for evaluation_id, value, special in Mark.objects.filter(
        evaluation_id__in=[m.evaluation_id for m in own]
    ).values_list("evaluation_id", "value", "special"):
        per_evaluation[evaluation_id].append(None if special else value)
    report.marks = [MarkLine(m.evaluation, m, stats(per_evaluation[m.evaluation_id])) for m in own]
    classmates = Enrolment.objects.filter(school_class=school_class).values("pupil_id")
    scored: dict[tuple[int, int], list[Scored]] = defaultdict(list)
    for pupil_id, subject_id, value, special, scale, coef in Mark.objects.filter(
        window, Q(pupil_id__in=classmates) | Q(pupil=pupil)
    ).values_list(
        "pupil_id",
        "evaluation__subject_id",
        "value",
        "special",
        "evaluation__scale",
        "evaluation__coefficient",
    ):
        scored[(pupil_id, subject_id)].append(Scored(value, special, scale, coef))
    per_subject: dict[int, list[Decimal | None]] = defaultdict(list)
    for (_pupil_id, subject_id), items in scored.items():
        per_subject[subject_id].append(weighted_average(items))
    labels: dict[int, str] = {}
    counts: dict[int, int] = defaultdict(int)
    for m in own:
        labels[m.evaluation.subject_id] = m.evaluation.subject.display_label
        counts[m.evaluation.subject_id] += 1
    report.subjects = sorted(
        (
            SubjectLine(
                subject_id,
                label,
                weighted_average(scored[(pupil.pk, subject_id)]),
                stats(per_subject[subject_id]),
                counts[subject_id],
            )
            for subject_id, label in labels.items()
        ),
        key=lambda s: s.subject_label,
    )
    return report


# --- A service's and a class's tables (teachers, head teacher, direction) -----------------


@dataclass
class ServiceTable:
    """The service's pupils × evaluations of a period, with each pupil's average."""

    evaluations: list[Evaluation]
    rows: list[tuple[Person, list[Mark | None], Decimal | None]]
    period: Period
    periods: list[Period]


def service_table(*, service: TeachingAssignment, period_index: int | None = None) -> ServiceTable:
    """Four queries whatever the size of the class and the number of evaluations."""
    audience = service.school_class or service.group
    assert audience is not None
    periods = periods_of(school=audience.school, school_year=audience.school_year)
    period = choose_period(periods, period_index)
    start, end = range_of(period, periods)
    evaluations = list(
        Evaluation.objects.filter(
            subject_id=service.subject_id or 0,
            school_year=audience.school_year,
            date__gte=start,
            date__lte=end,
            **_audience_filter(service),
        ).order_by("date", "pk")
    )
    marks = Mark.objects.filter(evaluation__in=[e.pk for e in evaluations])
    by_cell = {(m.pupil_id, m.evaluation_id): m for m in marks}
    members: QuerySet[Any, Any]
    if service.school_class_id:
        members = Enrolment.objects.filter(school_class_id=service.school_class_id).values(
            "pupil_id"
        )
    else:
        members = GroupMembership.objects.filter(group_id=service.group_id).values("person_id")
    marked = {pupil_id for pupil_id, _e in by_cell}
    pupils = Person.objects.filter(
        Q(pk__in=members) | Q(pk__in=marked), profile=Profile.PUPIL
    ).order_by("last_name", "first_name", "pk")
    rows = []
    for pupil in pupils:
        cells = [by_cell.get((pupil.pk, e.pk)) for e in evaluations]
        average = weighted_average(
            Scored(m.value, m.special, e.scale, e.coefficient)
            for m, e in zip(cells, evaluations, strict=True)
            if m is not None
        )
        rows.append((pupil, cells, average))
    return ServiceTable(evaluations, rows, period, periods)


def class_for_marks_reader(*, user: Person, pk: int) -> SchoolClass | None:
    school_class = SchoolClass.objects.select_related("school").filter(pk=pk).first()
    if school_class is None or not can_read_class_marks(user, school_class):
        return None
    return school_class


def readable_classes(*, user: Person) -> list[SchoolClass]:
    """Classes whose marks the person reads: head teacher, or management of the school."""
    from ostal.directory.abilities import MANAGEMENT_PROFILES

    return list(
        SchoolClass.objects.filter(archived=False)
        .filter(
            Q(head_teachers__teacher=user)
            | Q(school__admins__person=user)
            | Q(
                school__affiliations__person=user,
                school__affiliations__profile__in=MANAGEMENT_PROFILES,
            )
        )
        .select_related("school")
        .distinct()
        .order_by("school__name", "code")
    )


@dataclass
class ClassTable:
    """A class's pupils × subjects averages of a period (published evaluations only)."""

    subjects: list[tuple[int, str]]
    rows: list[tuple[Person, list[Decimal | None]]]
    subject_stats: list[Stats]
    period: Period
    periods: list[Period]


def class_table(*, school_class: SchoolClass, period_index: int | None = None) -> ClassTable:
    periods = periods_of(school=school_class.school, school_year=school_class.school_year)
    period = choose_period(periods, period_index)
    start, end = range_of(period, periods)
    pupils = list(
        Person.objects.filter(enrolments__school_class=school_class).order_by(
            "last_name", "first_name", "pk"
        )
    )
    scored: dict[tuple[int, int], list[Scored]] = defaultdict(list)
    labels: dict[int, str] = {}
    for pupil_id, subject_id, label, value, special, scale, coef in Mark.objects.filter(
        _published_in(school_class.school_year, start, end), pupil__in=pupils
    ).values_list(
        "pupil_id",
        "evaluation__subject_id",
        "evaluation__subject__label",
        "value",
        "special",
        "evaluation__scale",
        "evaluation__coefficient",
    ):
        scored[(pupil_id, subject_id)].append(Scored(value, special, scale, coef))
        labels[subject_id] = label
    from ostal.core.french import subject_label

    subjects = sorted(((k, subject_label(v)) for k, v in labels.items()), key=lambda s: s[1])
    rows = [
        (p, [weighted_average(scored.get((p.pk, s), [])) for s, _l in subjects]) for p in pupils
    ]
    subject_stats = [stats(row[i] for _p, row in rows) for i in range(len(subjects))]
    return ClassTable(subjects, rows, subject_stats, period, periods)
