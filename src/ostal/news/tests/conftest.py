"""The news world: the conftest's world, plus two more classes of the collège (4A, 4C)
with a pupil and a parent each, a département admin and a region admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ostal.conftest import PASSWORD, World
from ostal.directory import factories, services
from ostal.directory.models import Person, Profile, SchoolClass
from ostal.news.services import NewsInput
from ostal.territory.models import Authority


@dataclass
class NewsWorld:
    w: World
    class_4a: SchoolClass
    class_4c: SchoolClass
    pupil_4a: Person
    parent_4a: Person
    pupil_4c: Person
    parent_4c: Person
    dept_admin: Person
    region_admin: Person


@pytest.fixture
def nw(world: World) -> NewsWorld:
    college = world.college
    class_4a = factories.school_class(school=college, code="4A")
    class_4c = factories.school_class(school=college, code="4C")
    pupil_4a = factories.pupil(school_class=class_4a, first_name="Ilyès", last_name="Amrani")
    parent_4a = factories.relative(
        children=[pupil_4a],
        username="parent.4a",
        password=PASSWORD,
        first_name="Karima",
        last_name="Amrani",
    )
    pupil_4c = factories.pupil(school_class=class_4c, first_name="Lucas", last_name="Martin")
    parent_4c = factories.relative(
        children=[pupil_4c],
        username="parent.4c",
        password=PASSWORD,
        first_name="Marie",
        last_name="Martin",
    )
    dept = college.responsible_authority
    assert dept is not None
    dept_admin = factories.person(profile=Profile.AUTHORITY_STAFF, username="agent.dept")
    services.authority_role_grant(person=dept_admin, authority=dept, is_admin=True)
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    region_admin = factories.person(profile=Profile.AUTHORITY_STAFF, username="agent.region")
    services.authority_role_grant(person=region_admin, authority=region, is_admin=True)
    return NewsWorld(
        world,
        class_4a,
        class_4c,
        pupil_4a,
        parent_4a,
        pupil_4c,
        parent_4c,
        dept_admin,
        region_admin,
    )


def news_input(**kw: Any) -> NewsInput:
    """A valid input (override what the test is about)."""
    kw.setdefault("title", "Sortie au musée")
    kw.setdefault("body", "Les élèves visiteront le musée Fabre.")
    return NewsInput(**kw)
