"""Writes on the directory made by hand (guests, collectivité staff, demo, tests).

The AAF importer writes in bulk through its own pipeline; these services are the one-person
use cases. Each runs in a transaction and leaves a security event where accounts change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.logins import login_allocate, login_base
from ostal.directory.models import (
    Affiliation,
    AuthorityRole,
    Enrolment,
    GroupMembership,
    HeadTeacher,
    Person,
    Profile,
    RelativeLink,
    SchoolAdmin,
    SchoolClass,
    Source,
    StaffFunction,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.territory.models import Authority, School


@transaction.atomic
def person_create(
    *,
    profile: str,
    last_name: str,
    first_name: str = "",
    username: str | None = None,
    password: str | None = None,
    source: Source | None = None,
    external_id: str = "",
    school: School | None = None,
    actor: Person | None = None,
    **fields: Any,
) -> Person:
    """Create a person and their account; attach them to ``school`` when given.

    Without a password the account waits for activation (state *to activate*).
    """
    person = Person.objects.create_user(
        username or login_allocate(first_name=first_name, last_name=last_name),
        password,
        login_stem=login_base(first_name, last_name),
        profile=profile,
        last_name=last_name,
        first_name=first_name,
        source=source,
        external_id=external_id,
        **fields,
    )
    if school is not None:
        affiliation_add(person=person, school=school, profile=profile, is_main=True)
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CREATED,
        actor=actor,
        subject=person,
        username=person.username,
    )
    return person


@transaction.atomic
def person_set_state(*, person: Person, state: str, actor: Person | None = None) -> Person:
    if state not in Person.State.values:
        raise ValueError(f"état de compte inconnu : {state}")
    previous = person.state
    person.state = state
    person.state_changed_at = timezone.now()
    person.save(update_fields=["state", "state_changed_at", "updated_at"])
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGED,
        actor=actor,
        subject=person,
        username=person.username,
        data={"state": [previous, state]},
    )
    return person


def affiliation_add(
    *, person: Person, school: School, profile: str, is_main: bool = False
) -> Affiliation:
    affiliation, _ = Affiliation.objects.get_or_create(
        person=person, school=school, profile=profile, defaults={"is_main": is_main}
    )
    return affiliation


def function_add(
    *, person: Person, school: School, code: str, label: str = "", discipline: str = ""
) -> StaffFunction:
    function, _ = StaffFunction.objects.get_or_create(
        person=person,
        school=school,
        code=code,
        discipline_code="",
        defaults={"label": label, "discipline_label": discipline},
    )
    return function


def class_create(*, school: School, school_year: int, code: str, label: str = "") -> SchoolClass:
    school_class, _ = SchoolClass.objects.get_or_create(
        school=school, school_year=school_year, code=code, defaults={"label": label or code}
    )
    return school_class


def group_create(*, school: School, school_year: int, code: str, label: str = "") -> TeachingGroup:
    group, _ = TeachingGroup.objects.get_or_create(
        school=school, school_year=school_year, code=code, defaults={"label": label or code}
    )
    return group


@transaction.atomic
def pupil_enrol(*, pupil: Person, school_class: SchoolClass) -> Enrolment:
    """Put a pupil in a class (and attach them to the class's school)."""
    affiliation_add(person=pupil, school=school_class.school, profile=Profile.PUPIL, is_main=True)
    enrolment, _ = Enrolment.objects.get_or_create(pupil=pupil, school_class=school_class)
    return enrolment


def group_join(*, person: Person, group: TeachingGroup) -> GroupMembership:
    membership, _ = GroupMembership.objects.get_or_create(person=person, group=group)
    return membership


def teaching_assign(
    *,
    teacher: Person,
    subject: Subject | None,
    school_class: SchoolClass | None = None,
    group: TeachingGroup | None = None,
) -> TeachingAssignment:
    if (school_class is None) == (group is None):
        raise ValueError("un service d'enseignement porte sur une classe ou sur un groupe")
    assignment, _ = TeachingAssignment.objects.get_or_create(
        teacher=teacher, school_class=school_class, group=group, subject=subject
    )
    return assignment


def head_teacher_set(*, teacher: Person, school_class: SchoolClass) -> HeadTeacher:
    head, _ = HeadTeacher.objects.get_or_create(teacher=teacher, school_class=school_class)
    return head


def relative_link(
    *,
    relative: Person,
    pupil: Person,
    legal_level: int = RelativeLink.LegalLevel.LEGAL_REPRESENTATIVE,
    relation_code: str = "",
    is_financial: bool = False,
    is_contact: bool = True,
) -> RelativeLink:
    link, _ = RelativeLink.objects.update_or_create(
        relative=relative,
        pupil=pupil,
        defaults={
            "legal_level": legal_level,
            "relation_code": relation_code,
            "is_financial": is_financial,
            "is_contact": is_contact,
        },
    )
    return link


@transaction.atomic
def school_admin_grant(
    *, person: Person, school: School, actor: Person | None = None
) -> SchoolAdmin:
    grant, created = SchoolAdmin.objects.get_or_create(person=person, school=school)
    if created:
        security_event_record(
            kind=SecurityEvent.Kind.ACCOUNT_CHANGED,
            actor=actor,
            subject=person,
            username=person.username,
            data={"school_admin_granted": school.uai},
        )
    return grant


def authority_role_grant(
    *, person: Person, authority: Authority, is_admin: bool = False
) -> AuthorityRole:
    role, _ = AuthorityRole.objects.update_or_create(
        person=person, authority=authority, defaults={"is_admin": is_admin}
    )
    return role


def source_get_or_create(*, code: str, label: str, kind: str, academy: Authority | None) -> Source:
    source, _ = Source.objects.get_or_create(
        code=code, defaults={"label": label, "kind": kind, "academy": academy}
    )
    return source
