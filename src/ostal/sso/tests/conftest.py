"""Fixtures of the CAS tests: registered services and a world whose people have the facts
vie-scolaire software matches on (jointure, birth date, postal code)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ostal.directory.models import Person
from ostal.sso.models import ConnectedService
from ostal.sso.services import connected_service_create

SERVICE = "https://vie-scolaire.exemple.fr/cas/retour"
OTHER_SERVICE = "https://autre.exemple.fr/app/"
ALL_ATTRIBUTES = (
    "ENTPersonJointure",
    "ENTPersonProfils",
    "ENTPersonStructRattach",
    "ENTEleveClasses",
    "nom",
    "prenom",
    "dateNaissance",
    "codePostal",
    "categories",
)


def register(
    pattern: str,
    *,
    name: str | None = None,
    scope: str = ConnectedService.Scope.REGION,
    attributes: tuple[str, ...] = ALL_ATTRIBUTES,
    **kw: Any,
) -> ConnectedService:
    return connected_service_create(
        actor=None,
        name=name or pattern,
        url_pattern=pattern,
        scope=scope,
        released_attributes=list(attributes),
        **kw,
    )


@pytest.fixture
def people(world: Any) -> Any:
    """The pupil with the facts a vie-scolaire connector matches on."""
    Person.objects.filter(pk=world.pupil.pk).update(
        external_id="AAF-ELV-1",
        birth_date=datetime.date(2012, 3, 4),
        postal_code="34000",
    )
    world.pupil.refresh_from_db()
    return world


@pytest.fixture
def services(db: Any) -> tuple[ConnectedService, ConnectedService]:
    return (
        register(r"^https://vie-scolaire\.exemple\.fr/.*$", name="Vie scolaire"),
        register(r"^https://autre\.exemple\.fr/.*$", name="Autre", attributes=("nom",)),
    )
