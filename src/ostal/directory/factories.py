"""Factories for people and their relations; the demo builds its world with them too.

Every factory goes through the directory services, so tests exercise the same code paths
as real use. Names come from French Faker, seeded for reproducible demos.
"""

from __future__ import annotations

from typing import Any, cast

import factory

from ostal.directory import services
from ostal.directory.models import Person, Profile, Subject, school_year_of


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    profile = Profile.PUPIL
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    civility = ""
    password = None
    school = None

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        return services.person_create(**kwargs)


def person(**kwargs: Any) -> Person:
    """A person built by ``PersonFactory`` (typed for callers)."""
    return cast(Person, PersonFactory(**kwargs))


def pupil(*, school_class: Any, **kwargs: Any) -> Person:
    person_ = person(profile=Profile.PUPIL, **kwargs)
    services.pupil_enrol(pupil=person_, school_class=school_class)
    return person_


def relative(*, children: list[Person], relation_code: str = "10", **kwargs: Any) -> Person:
    kwargs.setdefault("civility", "Mme" if relation_code == "10" else "M.")
    parent = person(profile=Profile.RELATIVE, **kwargs)
    for child in children:
        services.relative_link(
            relative=parent, pupil=child, relation_code=relation_code, is_financial=True
        )
    return parent


def staff(*, school: Any, profile: str, function: str = "", **kwargs: Any) -> Person:
    member = person(profile=profile, school=school, **kwargs)
    if function:
        services.function_add(person=member, school=school, code=function)
    return member


def teacher(*, school: Any, **kwargs: Any) -> Person:
    return staff(school=school, profile=Profile.TEACHER, function="ENS", **kwargs)


def school_class(*, school: Any, code: str, year: int | None = None) -> Any:
    return services.class_create(school=school, school_year=year or school_year_of(), code=code)


def subject(code: str, label: str) -> Subject:
    return Subject.objects.get_or_create(code=code, defaults={"label": label})[0]
