"""Reads of vie scolaire, scoped to the person asking ("missing" and "forbidden" are the
same ``None`` / empty answer).

Registers are not created ahead by a cron: the registers a school expects on a day are its
timetable's occurrences of that day (changes applied: a cancelled course has none, a
replaced one is the substitute's), joined with the registers already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    Person,
    RelativeLink,
    SchoolAdmin,
)
from ostal.territory.models import School
from ostal.timetable.models import Course
from ostal.timetable.selectors import Occurrence, courses_of_teacher, occurrences
from ostal.vie_scolaire.abilities import SCHOOL_LIFE_PROFILES, is_school_life_of, may_call
from ostal.vie_scolaire.counting import Counts, MonthCount, Span, count
from ostal.vie_scolaire.models import Event, EventKind, Justification, Motive, Register

#: A register not done this long after the course starts is « oublié ».
FORGOTTEN_AFTER = timedelta(minutes=15)


@dataclass
class Slot:
    """An occurrence with its register (``None`` while nobody opened it)."""

    occ: Occurrence
    register: Register | None
    forgotten: bool = False

    @property
    def state_label(self) -> str:
        if self.register is None:
            return str(Register.State.TODO.label)
        return str(self.register.get_state_display())

    @property
    def done(self) -> bool:
        return self.register is not None and self.register.locked


def _registers(occs: list[Occurrence]) -> dict[tuple[int, date], Register]:
    if not occs:
        return {}
    days = {o.day for o in occs}
    return {
        (r.course_id, r.date): r
        for r in Register.objects.filter(course_id__in={o.course.pk for o in occs}, date__in=days)
    }


def _forgotten(occ: Occurrence, register: Register | None, now: datetime) -> bool:
    if occ.cancelled or (register is not None and register.locked):
        return False
    starts = timezone.make_aware(datetime.combine(occ.day, occ.start))
    return now >= starts + FORGOTTEN_AFTER


def _slots(occs: list[Occurrence]) -> list[Slot]:
    registers = _registers(occs)
    now = timezone.now()
    slots = []
    for occ in occs:
        register = registers.get((occ.course.pk, occ.day))
        slots.append(Slot(occ, register, _forgotten(occ, register, now)))
    return slots


def teacher_slots(*, teacher: Person, day: date) -> list[Slot]:
    """The courses the teacher gives on ``day`` (replacements included, cancelled left
    visible but without register), each with its register."""
    days = occurrences(
        courses=courses_of_teacher(teacher=teacher, start=day, end=day),
        start=day,
        end=day,
        teacher=teacher,
    )
    return _slots([o for d in days for o in d.occurrences])


def school_slots(*, school: School, day: date) -> list[Slot]:
    """Every course of the school on ``day`` with its register (vie scolaire's view). Only
    the courses of that weekday are loaded: their prefetches are most of the cost."""
    courses = Course.objects.filter(school=school, weekday=day.isoweekday())
    days = occurrences(courses=courses, start=day, end=day)
    return _slots([o for d in days for o in d.occurrences if not o.cancelled])


def occurrence_to_call(*, user: Person, course_id: int, day: date) -> Occurrence | None:
    """The occurrence whose roll ``user`` may call or correct, if any."""
    course = Course.objects.filter(pk=course_id).select_related("school").first()
    if course is None:
        return None
    days = occurrences(courses=Course.objects.filter(pk=course.pk), start=day, end=day)
    occ = next((o for d in days for o in d.occurrences), None)
    if occ is None or occ.cancelled:
        return None
    if may_call(user, occ) or is_school_life_of(user, course.school):
        return occ
    return None


def roster(*, course: Course) -> list[Person]:
    """The pupils of the course's classes and groups (current ones), by name."""
    by_class = Enrolment.objects.filter(
        school_class__in=course.classes.all(), school_class__archived=False
    ).values("pupil_id")
    by_group = GroupMembership.objects.filter(
        group__in=course.groups.all(), group__archived=False
    ).values("person_id")
    return list(
        Person.objects.filter(Q(pk__in=by_class) | Q(pk__in=by_group)).order_by(
            "last_name", "first_name"
        )
    )


def register_of(occ: Occurrence) -> Register | None:
    return Register.objects.filter(course=occ.course, date=occ.day).first()


def events_of_register(register: Register | None) -> dict[int, Event]:
    if register is None:
        return {}
    return {e.pupil_id: e for e in Event.objects.filter(register=register)}


def managed_schools(*, user: Person) -> list[School]:
    """The schools whose vie scolaire the person runs (two queries)."""
    ids = set(
        Affiliation.objects.filter(person=user, profile__in=SCHOOL_LIFE_PROFILES).values_list(
            "school_id", flat=True
        )
    ) | set(SchoolAdmin.objects.filter(person=user).values_list("school_id", flat=True))
    return list(School.objects.filter(pk__in=ids).order_by("name"))


def _events() -> QuerySet[Event]:
    return Event.objects.select_related("pupil", "motive", "register__course__subject")


def absences_of_day(*, school: School, day: date) -> list[Event]:
    return list(
        _events().filter(school=school, date=day).order_by("pupil__last_name", "start_time")
    )


def pending_justifications(*, school: School) -> list[Justification]:
    return list(
        Justification.objects.filter(event__school=school, state=Justification.State.PENDING)
        .select_related("event__pupil", "event__motive", "motive", "author")
        .order_by("created_at")
    )


def justification_for_manager(*, user: Person, pk: int) -> Justification | None:
    found = (
        Justification.objects.filter(pk=pk)
        .select_related("event__pupil", "event__school", "motive", "author")
        .first()
    )
    if found is None or not is_school_life_of(user, found.event.school):
        return None
    return found


def spans(events: list[Event]) -> list[Span]:
    return [
        Span(
            kind=e.kind,
            day=e.date,
            start=e.start_time,
            end=e.end_time,
            regularised=e.regularised,
            from_register=e.register_id is not None,
        )
        for e in events
    ]


@dataclass
class Alert:
    pupil: Person
    month: MonthCount


def alerts(*, school: School, year: int, month: int) -> list[Alert]:
    """Pupils of the school at or above the legal threshold of unjustified half-days in the
    month (one query for the month's absences)."""
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    by_pupil: dict[int, list[Event]] = {}
    people: dict[int, Person] = {}
    for e in Event.objects.filter(
        school=school, date__range=(first, last), kind=EventKind.ABSENCE
    ).select_related("pupil"):
        by_pupil.setdefault(e.pupil_id, []).append(e)
        people[e.pupil_id] = e.pupil
    found = []
    for pupil_id, evs in by_pupil.items():
        month_count = count(spans(evs)).month(year, month)
        if month_count.alert:
            found.append(Alert(people[pupil_id], month_count))
    return sorted(found, key=lambda a: (-a.month.unjustified, a.pupil.last_name))


@dataclass
class PupilRecord:
    """A pupil's events as a family or the pupil sees them."""

    pupil: Person
    events: list[Event] = field(default_factory=list)
    pending: set[int] = field(default_factory=set)  # events with a pending justification
    last_answers: dict[int, Justification] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)


def family_ids(*, user: Person) -> list[int]:
    """The pupils whose events ``user`` may read as a family: themselves (a pupil) or their
    children (a parent). Nobody else's."""
    if user.is_pupil:
        return [user.pk]
    if user.is_relative:
        return list(
            RelativeLink.objects.filter(relative=user)
            .order_by("pupil__first_name")
            .values_list("pupil_id", flat=True)
        )
    return []


def records(*, pupil_ids: list[int], since: date) -> list[PupilRecord]:
    """The events of these pupils since ``since`` with their justifications (three queries
    whatever the number of pupils)."""
    pupils = {p.pk: p for p in Person.objects.filter(pk__in=pupil_ids)}
    recs = {pk: PupilRecord(pupils[pk]) for pk in pupil_ids if pk in pupils}
    evs = list(_events().filter(pupil_id__in=list(recs), date__gte=since))
    for e in evs:
        recs[e.pupil_id].events.append(e)
    owner = {e.pk: e.pupil_id for e in evs}
    for j in Justification.objects.filter(event__in=list(owner)).order_by("created_at"):
        rec = recs[owner[j.event_id]]
        if j.state == Justification.State.PENDING:
            rec.pending.add(j.event_id)
        else:
            rec.last_answers[j.event_id] = j
    for rec in recs.values():
        rec.counts = count(spans(rec.events))
    return list(recs.values())


def event_for_family(*, user: Person, pk: int) -> Event | None:
    """An event of the person's own family (pupil: theirs; parent: their children's)."""
    event = _events().filter(pk=pk).select_related("school").first()
    if event is None or event.pupil_id not in family_ids(user=user):
        return None
    return event


def parent_motives(*, event: Event) -> list[Motive]:
    return list(
        Motive.objects.filter(
            school_id=event.school_id, kind=event.kind, active=True, parents_may_choose=True
        )
    )


def event_for_manager(*, user: Person, pk: int) -> Event | None:
    """An event of a school whose vie scolaire the person runs."""
    event = _events().filter(pk=pk).select_related("school").first()
    if event is None or not is_school_life_of(user, event.school):
        return None
    return event


def school_motives(*, event: Event) -> list[Motive]:
    return list(Motive.objects.filter(school_id=event.school_id, kind=event.kind, active=True))


def managed_school(*, user: Person, wanted: int | None) -> School | None:
    """The school asked for among those the person manages (the first one if none asked;
    ``None`` when the one asked is not theirs)."""
    schools = managed_schools(user=user)
    if wanted is None:
        return schools[0] if schools else None
    return next((s for s in schools if s.pk == wanted), None)


def motives_of_school(*, school: School) -> list[tuple[Motive, int]]:
    """All the school's motives, active first, each with how many events have it (two
    queries)."""
    uses = dict(
        Event.objects.filter(school=school, motive__isnull=False)
        .values("motive_id")
        .annotate(n=Count("id"))
        .values_list("motive_id", "n")
    )
    motives = Motive.objects.filter(school=school).order_by("-active", "kind", "label")
    return [(m, uses.get(m.pk, 0)) for m in motives]


def motive_for_manager(*, user: Person, pk: int) -> Motive | None:
    """A motive of a school whose vie scolaire the person runs."""
    motive = Motive.objects.filter(pk=pk).select_related("school").first()
    if motive is None or not is_school_life_of(user, motive.school):
        return None
    return motive
