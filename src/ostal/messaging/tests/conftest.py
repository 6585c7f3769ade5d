"""Messaging fixtures: the shared world plus two vie scolaire (CPE, surveillant), a deputy
head and a head teacher of 4B (so that no sender of the matrix is its own target)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ostal.conftest import EICAR as _EICAR
from ostal.conftest import EICAR_SIGNATURE as _EICAR_SIGNATURE
from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import HeadTeacher, Person, Profile


@dataclass
class MessagingWorld:
    world: World
    cpe: Person
    colleague: Person
    supervisor: Person
    deputy: Person

    def persona(self, name: str) -> Person:
        if name in {"cpe", "colleague", "supervisor", "deputy"}:
            return getattr(self, name)
        person = self.world.persona(name)
        assert person is not None
        return person


@pytest.fixture
def mw(world: World) -> MessagingWorld:
    cpe = factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="cpe",
        first_name="Karim",
        last_name="Lopez",
        password=PASSWORD,
    )
    colleague = factories.teacher(
        school=world.college,
        username="prof.principal",
        first_name="Laure",
        last_name="Martin",
        password=PASSWORD,
    )
    HeadTeacher.objects.create(teacher=colleague, school_class=world.class_4b)
    supervisor = factories.staff(
        school=world.college,
        profile=Profile.SCHOOL_LIFE,
        function="EDU",
        username="surveillant",
        first_name="Nora",
        last_name="Roux",
        password=PASSWORD,
    )
    deputy = factories.staff(
        school=world.college,
        profile=Profile.DIRECTION,
        function="DIR",
        username="adjoint",
        first_name="Paul",
        last_name="Simon",
        password=PASSWORD,
    )
    return MessagingWorld(world, cpe, colleague, supervisor, deputy)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The unread counter and the freeze banner are cached: each test starts empty."""
    from django.core.cache import cache

    cache.clear()


# The session's clamd (fixtures ``clamd_socket`` and ``clamd``) is in ``ostal/conftest.py``,
# shared with the espace documentaire.
EICAR = _EICAR
EICAR_SIGNATURE = _EICAR_SIGNATURE
