"""Directory rules: identity keys, account states, logins, family links."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from ostal.directory import factories, services
from ostal.directory.logins import LoginAllocator, login_allocate, login_base, next_free_login
from ostal.directory.models import Person, Profile, Source
from ostal.directory.selectors import children_of, schools_of


def test_login_is_first_dot_last_in_ascii():
    """Logins are first.last in lower-case ASCII, whatever the accents and spaces."""
    assert login_base("Élodie", "Dupont-Lagarde") == "elodie.dupont-lagarde"
    assert login_base("Jean Marc", "N'Diaye") == "jean-marc.n-diaye"


def test_login_collision_gets_the_next_free_suffix():
    """A taken login gets the first free numeric suffix."""
    assert next_free_login("lea.martin", []) == "lea.martin"
    assert next_free_login("lea.martin", ["lea.martin", "lea.martin2"]) == "lea.martin3"


def test_two_namesakes_get_two_logins(db):
    """Two people with the same name never share a login."""
    a = services.person_create(profile=Profile.PUPIL, first_name="Léa", last_name="Martin")
    b = services.person_create(profile=Profile.PUPIL, first_name="Léa", last_name="Martin")
    assert (a.username, b.username) == ("lea.martin", "lea.martin2")
    assert login_allocate(first_name="Léa", last_name="Martin") == "lea.martin3"


def _source(code: str) -> Source:
    return Source.objects.create(code=code, label=code, kind=Source.Kind.AAF)


def test_the_same_jointure_in_two_academies_is_two_people(db):
    """AAF ids are unique only within one académie: (source, jointure) is the key."""
    montpellier, toulouse = _source("ac-montpellier"), _source("ac-toulouse")
    services.person_create(
        profile=Profile.PUPIL, last_name="A", source=montpellier, external_id="123"
    )
    services.person_create(profile=Profile.PUPIL, last_name="B", source=toulouse, external_id="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        services.person_create(
            profile=Profile.PUPIL, last_name="C", source=montpellier, external_id="123"
        )
    assert Person.objects.filter(external_id="123").count() == 2


@pytest.mark.parametrize(
    ("state", "can_log_in"),
    [(s, s == Person.State.ACTIVE) for s in Person.State.values],
)
def test_only_an_active_account_is_active(db, state, can_log_in):
    """To activate, suspended, detached and deleted accounts cannot log in."""
    person = services.person_create(profile=Profile.TEACHER, last_name="X", password="pw-123456789")
    services.person_set_state(person=person, state=state)
    person.refresh_from_db()
    assert person.is_active is can_log_in
    assert person.security_events.filter(kind="account_changed").exists()


def test_an_account_without_password_waits_for_activation(db):
    """An account created without a password is 'to activate' and has no usable password."""
    person = services.person_create(profile=Profile.RELATIVE, last_name="Y")
    assert person.state == Person.State.TO_ACTIVATE
    assert not person.has_usable_password()


def test_a_parent_sees_each_child_with_school_and_class(world):
    """A parent's children come with their own school and class, even across collectivités."""
    children = children_of(relative=world.parent)
    assert {(c.pupil.username, c.school.uai, c.school_class.code) for c in children} == {
        ("eleve", "0341111A", "4B"),
        ("frere", "0122222B", "2NDE1"),
    }
    assert {c.school.responsible_authority.kind for c in children} == {"department", "region"}


def test_children_of_costs_two_queries_whatever_the_family(world, django_assert_num_queries):
    """Listing a parent's children is two queries, however many children."""
    with django_assert_num_queries(2):
        children_of(relative=world.parent)
    with django_assert_num_queries(2):
        children_of(relative=world.other_parent)


def test_a_parents_schools_are_their_childrens_schools(world):
    """A parent belongs to the schools of their children, and only those."""
    assert [s.uai for s in schools_of(person=world.parent)] == ["0341111A", "0122222B"]  # by name
    assert [s.uai for s in schools_of(person=world.other_parent)] == ["0341111A"]


def test_assignment_is_on_a_class_or_a_group_not_both(world):
    """A teaching assignment names a class or a group, never both nor neither."""
    with pytest.raises(ValueError, match="classe ou sur un groupe"):
        services.teaching_assign(teacher=world.teacher, subject=None)


@pytest.mark.django_db
def test_an_import_allocates_logins_above_the_highest_taken_never_reusing_one():
    """Logins of one import follow the highest suffix already given for their stem (gaps are never filled: a login once given is never reused)."""
    for username, stem in (("marie.martin", "marie.martin"), ("marie.martin3", "marie.martin")):
        factories.person(
            profile=Profile.PUPIL, username=username, first_name="Marie", last_name="Martin"
        )
        Person.objects.filter(username=username).update(login_stem=stem)

    allocator = LoginAllocator()
    first = allocator.allocate(["marie.martin", "jean.roux", "marie.martin"])
    second = allocator.allocate(["jean.roux"])

    assert first == ["marie.martin4", "jean.roux", "marie.martin5"]
    assert second == ["jean.roux2"]
