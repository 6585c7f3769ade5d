"""Factories for schools; the territory itself comes from its data file (``load_territory``)."""

from __future__ import annotations

from typing import Any

import factory
from django.conf import settings

from ostal.territory.models import Authority, School
from ostal.territory.services import school_create, territory_load_file


def ensure_territory() -> None:
    """Load the deployment's territory file once (tests and demo)."""
    if not Authority.objects.exists():
        from pathlib import Path

        territory_load_file(path=Path(settings.OSTAL_TERRITORY_FILE))


def department(code: str) -> Authority:
    ensure_territory()
    return Authority.objects.get(kind=Authority.Kind.DEPARTMENT, code=code)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    uai = factory.Sequence(lambda n: f"{340000 + n:07d}{'ABCDEFGHJKLMNPRSTUVWXYZ'[n % 23]}")
    name = factory.Faker("city", locale="fr_FR")
    kind = School.Kind.COLLEGE
    commune = factory.Faker("city", locale="fr_FR")
    postal_code = "34000"
    department_code = "34"

    @classmethod
    def _create(cls, model_class: type[School], *args: Any, **kwargs: Any) -> School:
        code = kwargs.pop("department_code")
        kind = kwargs["kind"]
        prefix = {"college": "Collège", "lycee_agricole": "Lycée agricole"}.get(kind, "Lycée")
        kwargs["name"] = (
            kwargs["name"] if kwargs["name"].startswith(prefix) else f"{prefix} {kwargs['name']}"
        )
        return school_create(department=department(code), **kwargs)
