"""Reads on the directory, always scoped to the person asking.

"Missing" and "forbidden" are the same answer (``None`` or 404): a selector never tells
whether an object it will not show exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from ostal.directory.abilities import can_view_class
from ostal.directory.models import (
    Affiliation,
    Enrolment,
    HeadTeacher,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.territory.models import School


@dataclass(frozen=True, slots=True)
class Child:
    """A parent's child as the shell shows it: who, which school, which class."""

    pupil: Person
    link: RelativeLink
    school: School | None
    school_class: SchoolClass | None


def current_enrolments() -> QuerySet[Enrolment]:
    """Enrolments in this year's classes. "This year" is what the directory says: the
    rentrée rollover archives last year's classes, so current means not archived."""
    return Enrolment.objects.filter(school_class__archived=False).select_related(
        "school_class__school"
    )


def children_of(*, relative: Person) -> list[Child]:
    """The pupils a parent is responsible for, each with their current school and class.

    Two queries whatever the number of children (pinned by a test).
    """
    links = (
        RelativeLink.objects.filter(relative=relative)
        .select_related("pupil")
        .prefetch_related(
            Prefetch(
                "pupil__enrolments",
                # the school as ``schools_of`` reads it: the shell takes a parent's schools
                # from here (web.context.ActiveContext.schools)
                queryset=current_enrolments().select_related(
                    "school_class__school__academy",
                    "school_class__school__responsible_authority",
                    "school_class__school__cite_scolaire_head",
                ),
                to_attr="current",
            )
        )
        .order_by("pupil__birth_date", "pupil__first_name", "pupil_id")
    )
    children = []
    for link in links:
        current = link.pupil.current  # type: ignore[attr-defined]
        school_class = current[0].school_class if current else None
        children.append(
            Child(
                pupil=link.pupil,
                link=link,
                school=school_class.school if school_class else None,
                school_class=school_class,
            )
        )
    return children


def child_of(*, relative: Person, pupil_id: int | None) -> Child | None:
    """One of a parent's children by id; ``None`` when it is not theirs (or does not exist)."""
    for child in children_of(relative=relative):
        if child.pupil.pk == pupil_id:
            return child
    return None


def schools_of(*, person: Person) -> list[School]:
    """The schools a person belongs to; for a parent, the schools of their children."""
    if person.profile == Profile.RELATIVE:
        ids = Enrolment.objects.filter(
            pupil__relative_links__relative=person,
            school_class__archived=False,
        ).values("school_class__school_id")
        return list(
            School.objects.filter(pk__in=ids)
            .select_related("academy", "responsible_authority", "cite_scolaire_head")
            .order_by("name")
        )
    return list(
        School.objects.filter(affiliations__person=person)
        .select_related("academy", "responsible_authority", "cite_scolaire_head")
        .distinct()
        .order_by("-affiliations__is_main", "name")
    )


def current_class_of(*, pupil: Person) -> SchoolClass | None:
    enrolment = current_enrolments().filter(pupil=pupil).first()
    return enrolment.school_class if enrolment else None


def teachers_of_class(*, school_class: SchoolClass) -> list[TeachingAssignment]:
    return list(
        TeachingAssignment.objects.filter(school_class=school_class)
        .select_related("teacher", "subject")
        .order_by("subject__label", "teacher__last_name")
    )


def head_teachers_of_class(*, school_class: SchoolClass) -> list[Person]:
    return [
        h.teacher
        for h in HeadTeacher.objects.filter(school_class=school_class).select_related("teacher")
    ]


def classes_taught_by(*, teacher: Person, school: School | None = None) -> QuerySet[SchoolClass]:
    """Current classes a teacher teaches or is head teacher of, with their pupil counts."""
    qs = SchoolClass.objects.filter(
        Q(assignments__teacher=teacher) | Q(head_teachers__teacher=teacher),
        archived=False,
    )
    if school is not None:
        qs = qs.filter(school=school)
    ids = qs.values("pk")
    return (
        SchoolClass.objects.filter(pk__in=ids)
        .select_related("school")
        .annotate(pupil_count=Count("enrolments", distinct=True))
        .order_by("school__name", "code")
    )


def classes_of_school(*, viewer: Person, school: School) -> QuerySet[SchoolClass]:
    """The school's current classes with their pupil counts, for its management (empty for
    anyone else): the way from « Mon établissement » to each class page."""
    from ostal.directory.abilities import is_management_of_school

    if not is_management_of_school(viewer, school):
        return SchoolClass.objects.none()
    return (
        SchoolClass.objects.filter(school=school, archived=False)
        .annotate(pupil_count=Count("enrolments", distinct=True))
        .order_by("code")
    )


def groups_taught_by(*, teacher: Person) -> QuerySet[TeachingGroup]:
    return (
        TeachingGroup.objects.filter(assignments__teacher=teacher, archived=False)
        .distinct()
        .select_related("school")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("code")
    )


def class_for_viewer(*, viewer: Person, class_id: int) -> SchoolClass | None:
    """A class the viewer may see the roster of, or ``None`` (missing and forbidden alike)."""
    school_class = SchoolClass.objects.select_related("school").filter(pk=class_id).first()
    if school_class is None or not can_view_class(viewer, school_class):
        return None
    return school_class


def class_roster(*, school_class: SchoolClass) -> list[Person]:
    return list(
        Person.objects.filter(enrolments__school_class=school_class).order_by(
            "last_name", "first_name"
        )
    )


def school_staff(*, school: School, profiles: tuple[str, ...]) -> list[Person]:
    return list(
        Person.objects.filter(affiliations__school=school, affiliations__profile__in=profiles)
        .filter(state=Person.State.ACTIVE)
        .distinct()
        .order_by("profile", "last_name")
    )


def school_counts(*, school: School) -> dict[str, int]:
    counts = Affiliation.objects.filter(school=school).values("profile").annotate(n=Count("id"))
    by_profile = {row["profile"]: row["n"] for row in counts}
    return {
        "pupils": by_profile.get(Profile.PUPIL, 0),
        "teachers": by_profile.get(Profile.TEACHER, 0) + by_profile.get(Profile.LIBRARIAN, 0),
        "staff": sum(n for p, n in by_profile.items() if p not in {Profile.PUPIL, Profile.TEACHER}),
        "classes": SchoolClass.objects.filter(school=school, archived=False).count(),
    }
