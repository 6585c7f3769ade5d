"""Reads on the cahier de textes, scoped to the person asking.

Missing and forbidden are the same ``None``. Pupils and parents never see an entry, nor
the work given in it, before its ``visible_from``: one rule, ``published()`` on the
querysets (``LessonEntry.is_published`` for one entry), applied by ``visible_lessons``,
``lesson_visible_to`` and every read below; only the writers of the class or group and
the school's management (``sees_drafts``) see what is prepared ahead. Every read here is
a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from ostal.directory.models import (
    Enrolment,
    GroupMembership,
    Person,
    SchoolClass,
    TeachingGroup,
)
from ostal.homework.abilities import Audience, can_read_cahier, can_write_cahier, sees_drafts
from ostal.homework.models import Homework, HomeworkDone, LessonEntry, LessonQuerySet


def audience_for_reader(*, viewer: Person, kind: str, pk: int) -> Audience | None:
    """The class (``kind="classe"``) or group (``"groupe"``) whose cahier de textes the
    viewer may read."""
    model: type[SchoolClass] | type[TeachingGroup] = (
        SchoolClass if kind == "classe" else TeachingGroup
    )
    audience = model.objects.select_related("school").filter(pk=pk).first()
    if audience is None or not can_read_cahier(viewer, audience):
        return None
    return audience


def audience_for_writer(*, writer: Person, kind: str, pk: int) -> Audience | None:
    model: type[SchoolClass] | type[TeachingGroup] = (
        SchoolClass if kind == "classe" else TeachingGroup
    )
    audience = model.objects.select_related("school").filter(pk=pk, archived=False).first()
    if audience is None or not can_write_cahier(writer, audience):
        return None
    return audience


def _audience_q(audience: Audience, prefix: str = "") -> Q:
    if isinstance(audience, SchoolClass):
        return Q(**{f"{prefix}school_class": audience})
    return Q(**{f"{prefix}group": audience})


def _full(qs: QuerySet[LessonEntry]) -> QuerySet[LessonEntry]:
    return qs.select_related("author", "subject", "school_class", "group").prefetch_related(
        Prefetch("homework", queryset=Homework.objects.order_by("due_date", "pk")),
        "attachments",
    )


def visible_lessons(*, viewer: Person, audience: Audience) -> LessonQuerySet:
    """The entries of a class or group the viewer may see (drafts only for those who
    ``sees_drafts``)."""
    qs = LessonEntry.objects.filter(_audience_q(audience))
    return qs if sees_drafts(viewer, audience) else qs.published()


def lesson_visible_to(*, viewer: Person, lesson: LessonEntry) -> bool:
    """One entry under the same rule as ``visible_lessons``."""
    return lesson.is_published or sees_drafts(viewer, lesson.audience)


def lessons_of_audience(
    *, viewer: Person, audience: Audience, start: date | None = None, end: date | None = None
) -> list[LessonEntry]:
    """The cahier de textes of a class or group, as the viewer may read it (3 queries)."""
    qs = visible_lessons(viewer=viewer, audience=audience)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return list(_full(qs).order_by("date", "start_time", "pk"))


def lesson_for_writer(*, writer: Person, pk: int) -> LessonEntry | None:
    lesson = LessonEntry.objects.select_related("school_class__school", "group__school").filter(
        pk=pk
    )
    found = lesson.first()
    if found is None or not can_write_cahier(writer, found.audience):
        return None
    return found


def _pupil_audiences(pupil: Person) -> Q:
    """The pupil's current classes and groups, as a filter on ``school_class``/``group``.

    The ids are read first (two small queries): an ``IN`` list lets PostgreSQL use the
    (class, date) and (group, date) indexes, where an ``OR`` of subqueries scans."""
    classes = list(
        Enrolment.objects.filter(pupil=pupil, school_class__archived=False).values_list(
            "school_class_id", flat=True
        )
    )
    groups = list(
        GroupMembership.objects.filter(person=pupil, group__archived=False).values_list(
            "group_id", flat=True
        )
    )
    return Q(school_class_id__in=classes) | Q(group_id__in=groups)


@dataclass
class PupilWork:
    """A pupil's cahier de textes over a range: lessons by slot, work by due date."""

    lessons: dict[tuple[int | None, date], LessonEntry] = field(default_factory=dict)
    lessons_without_slot: list[LessonEntry] = field(default_factory=list)
    due: dict[date, list[Homework]] = field(default_factory=lambda: defaultdict(list))
    done: set[int] = field(default_factory=set)


def pupil_work(*, pupil: Person, start: date, end: date) -> PupilWork:
    """Visible lessons held and work due between ``start`` and ``end`` for a pupil, and
    which work they ticked done (5 queries whatever the range)."""
    audiences = _pupil_audiences(pupil)
    work = PupilWork()
    lessons = _full(LessonEntry.objects.published().filter(audiences, date__range=(start, end)))
    for lesson in lessons:
        if lesson.course_id is not None:
            work.lessons[(lesson.course_id, lesson.date)] = lesson
        else:
            work.lessons_without_slot.append(lesson)
    due = (
        Homework.objects.published()
        .filter(audiences, due_date__range=(start, end))
        .select_related("lesson__subject")
        .order_by("due_date", "lesson__start_time", "pk")
    )
    for item in due:
        work.due[item.due_date].append(item)
    work.done = set(
        HomeworkDone.objects.filter(
            pupil=pupil, homework__due_date__range=(start, end)
        ).values_list("homework_id", flat=True)
    )
    return work


def pupils_work(
    *, audiences: dict[int, tuple[set[int], set[int]]], start: date, end: date
) -> dict[int, PupilWork]:
    """``pupil_work`` of several pupils at once, given each pupil's current class and group
    ids (5 queries whatever the number of pupils)."""
    classes: set[int] = set().union(*(c for c, _ in audiences.values()))
    groups: set[int] = set().union(*(g for _, g in audiences.values()))
    found = {pk: PupilWork() for pk in audiences}
    if not (classes or groups):
        return found
    where = Q(school_class_id__in=classes) | Q(group_id__in=groups)

    def readers(item: LessonEntry | Homework) -> list[PupilWork]:
        return [
            found[pk]
            for pk, (pupil_classes, pupil_groups) in audiences.items()
            if item.school_class_id in pupil_classes or item.group_id in pupil_groups
        ]

    for lesson in _full(LessonEntry.objects.published().filter(where, date__range=(start, end))):
        for work in readers(lesson):
            if lesson.course_id is not None:
                work.lessons[(lesson.course_id, lesson.date)] = lesson
            else:
                work.lessons_without_slot.append(lesson)
    due = (
        Homework.objects.published()
        .filter(where, due_date__range=(start, end))
        .select_related("lesson__subject")
        .order_by("due_date", "lesson__start_time", "pk")
    )
    for item in due:
        for work in readers(item):
            work.due[item.due_date].append(item)
    for pupil_id, homework_id in HomeworkDone.objects.filter(
        pupil__in=list(audiences), homework__due_date__range=(start, end)
    ).values_list("pupil_id", "homework_id"):
        found[pupil_id].done.add(homework_id)
    return found


def teacher_lessons(
    *, teacher: Person, start: date, end: date
) -> dict[tuple[int, date], LessonEntry]:
    """The teacher's own entries of the range, by timetable slot (one query)."""
    return {
        (lesson.course_id, lesson.date): lesson
        for lesson in LessonEntry.objects.filter(
            author=teacher, date__range=(start, end), course__isnull=False
        ).prefetch_related("homework")
        if lesson.course_id is not None
    }


def homework_for_pupil(*, pupil: Person, pk: int) -> Homework | None:
    return (
        Homework.objects.published()
        .filter(_pupil_audiences(pupil), pk=pk)
        .select_related("school_class", "group")
        .first()
    )


@dataclass
class LoadDay:
    day: date
    items: list[Homework]

    @property
    def tests(self) -> int:
        return sum(1 for h in self.items if h.is_test)

    @property
    def minutes(self) -> int:
        return sum(h.estimated_minutes for h in self.items)


def homework_load(
    *, viewer: Person, school_class: SchoolClass, start: date, end: date
) -> list[LoadDay]:
    """The work due each day for a class, its groups' work included, as the viewer may
    see it (one query, plus one ``sees_drafts`` per class or group with work prepared
    ahead): the « tableau de la charge de travail » of the circulaire. Pupils and parents
    see only published work (``published()``); a writer or the school's management also
    sees the work prepared ahead in the classes and groups whose drafts they see."""
    groups = GroupMembership.objects.filter(person__enrolments__school_class=school_class).values(
        "group_id"
    )
    items = Homework.objects.filter(
        Q(school_class=school_class) | Q(group_id__in=groups), due_date__range=(start, end)
    )
    drafts_seen = sees_drafts(viewer, school_class)
    if not drafts_seen:
        items = items.published()
    seen: dict[tuple[str, int], bool] = {("classe", school_class.pk): drafts_seen}
    by_day: dict[date, list[Homework]] = defaultdict(list)
    items = items.select_related(
        "lesson__subject", "group", "lesson__school_class__school", "lesson__group__school"
    )
    for item in items.order_by("due_date", "pk"):
        if not item.lesson.is_published:
            audience = item.lesson.audience
            key = ("classe" if isinstance(audience, SchoolClass) else "groupe", audience.pk)
            if key not in seen:
                seen[key] = sees_drafts(viewer, audience)
            if not seen[key]:
                continue
        by_day[item.due_date].append(item)
    return [LoadDay(day, by_day[day]) for day in sorted(by_day)]


def readable_audiences(*, viewer: Person) -> list[Audience]:
    """Classes and groups whose cahier de textes the viewer writes in or reads by their
    role (teachers: the ones they teach; management: all current classes of their schools)."""
    from ostal.directory.abilities import MANAGEMENT_PROFILES
    from ostal.directory.models import Affiliation, SchoolAdmin

    schools = set(
        Affiliation.objects.filter(person=viewer, profile__in=MANAGEMENT_PROFILES).values_list(
            "school_id", flat=True
        )
    ) | set(SchoolAdmin.objects.filter(person=viewer).values_list("school_id", flat=True))
    class_q = (
        Q(assignments__teacher=viewer)
        | Q(head_teachers__teacher=viewer)
        | Q(courses__teachers=viewer)
        | Q(school_id__in=schools)
    )
    group_q = (
        Q(assignments__teacher=viewer) | Q(courses__teachers=viewer) | Q(school_id__in=schools)
    )
    classes = (
        SchoolClass.objects.filter(class_q, archived=False).distinct().select_related("school")
    )
    groups = (
        TeachingGroup.objects.filter(group_q, archived=False).distinct().select_related("school")
    )
    return [*classes.order_by("code"), *groups.order_by("code")]
