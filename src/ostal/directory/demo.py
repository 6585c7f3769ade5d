"""A realistic synthetic slice of the region, for the demo and for browser tests.

Three départements of both académies, collèges and lycées, a lycée agricole, classes with
pupils, parents (some with one child in a collège and another in a lycée of another
département), teachers with their subjects and head-teacher duties, direction, vie
scolaire, secretariat, school admins and collectivité staff. Deterministic (seeded).

Only the named demo accounts get a password (``DEMO_PASSWORD``); every other account waits
for activation, as real accounts do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from faker import Faker

from ostal.directory import factories, services
from ostal.directory.logins import login_base
from ostal.directory.models import Person, Profile, SchoolClass
from ostal.territory.factories import SchoolFactory, ensure_territory
from ostal.territory.models import Authority, School

DEMO_PASSWORD = "ostal-demo"  # noqa: S105 - demo only; refused in the production profile

SUBJECTS = [
    ("020700", "FRANÇAIS"),
    ("061300", "MATHÉMATIQUES"),
    ("040600", "HISTOIRE-GÉOGRAPHIE"),
    ("030201", "ANGLAIS LV1"),
    ("030602", "ESPAGNOL LV2"),
    ("062900", "SCIENCES DE LA VIE ET DE LA TERRE"),
    ("063000", "PHYSIQUE-CHIMIE"),
    ("100100", "ÉDUCATION PHYSIQUE ET SPORTIVE"),
    ("030900", "OCCITAN"),
]

SCHOOLS = [
    # uai, kind, name, commune, postal code, département
    ("0341234A", School.Kind.COLLEGE, "Collège Frédéric Bazille", "Montpellier", "34000", "34"),
    ("0340056B", School.Kind.LYCEE, "Lycée Joffre", "Montpellier", "34000", "34"),
    ("0300789C", School.Kind.COLLEGE, "Collège Les Oliviers", "Nîmes", "30000", "30"),
    ("0120345D", School.Kind.LYCEE, "Lycée Foch", "Rodez", "12000", "12"),
    (
        "0120678E",
        School.Kind.LYCEE_AGRICOLE,
        "Lycée agricole La Roque",
        "Onet-le-Château",
        "12850",
        "12",
    ),
]

CLASS_CODES = {
    School.Kind.COLLEGE: ["6A", "5A", "4A", "4B", "3A"],
    School.Kind.LYCEE: ["2NDE1", "2NDE2", "1G1", "TG1"],
    School.Kind.LYCEE_AGRICOLE: ["2NDE-GT", "1STAV", "TSTAV"],
}


@dataclass
class DemoLogin:
    username: str
    role: str


@transaction.atomic
def build_demo(*, pupils_per_class: int = 12, seed: int = 2026) -> list[DemoLogin]:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("La démonstration ne peut pas être chargée en production.")
    ensure_territory()
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    subjects = [factories.subject(code, label) for code, label in SUBJECTS]
    logins: list[DemoLogin] = []

    def named(profile: str, first: str, last: str, role: str, **kw: object) -> dict[str, object]:
        username = login_base(first, last)
        logins.append(DemoLogin(username, role))
        return {
            "username": username,
            "password": DEMO_PASSWORD,
            "first_name": first,
            "last_name": last,
            **kw,
        }

    classes_by_school: dict[str, list[SchoolClass]] = {}
    for uai, kind, name, commune, postal_code, dept in SCHOOLS:
        school: School = SchoolFactory(  # type: ignore[assignment]
            uai=uai,
            kind=kind,
            name=name,
            commune=commune,
            postal_code=postal_code,
            department_code=dept,
        )
        classes = [factories.school_class(school=school, code=code) for code in CLASS_CODES[kind]]
        classes_by_school[uai] = classes
        first_school = uai == "0341234A"
        principal = factories.staff(
            school=school,
            profile=Profile.DIRECTION,
            function="DIR",
            civility="Mme",
            **(
                named(Profile.DIRECTION, "Claire", "Fabre", f"principale, admin. de {name}")
                if first_school
                else {"first_name": fake.first_name_female(), "last_name": fake.last_name()}
            ),
        )
        services.school_admin_grant(person=principal, school=school)
        factories.staff(
            school=school,
            profile=Profile.SCHOOL_LIFE,
            function="EDU",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            civility="M.",
        )
        factories.staff(
            school=school,
            profile=Profile.ADMIN_STAFF,
            function="ADF",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
        )
        teachers: list[Person] = []
        for i in range(7):
            extra = (
                named(Profile.TEACHER, "Paul", "Vidal", f"professeur de mathématiques, {name}")
                if first_school and i == 1
                else {"first_name": fake.first_name(), "last_name": fake.last_name()}
            )
            teachers.append(
                factories.teacher(school=school, civility="M." if i % 2 else "Mme", **extra)
            )
        for n, school_class in enumerate(classes):
            for t, subj in zip(teachers, subjects[:7], strict=True):
                services.teaching_assign(teacher=t, subject=subj, school_class=school_class)
            services.head_teacher_set(
                teacher=teachers[n % len(teachers)], school_class=school_class
            )
            for _ in range(pupils_per_class):
                child = factories.pupil(
                    school_class=school_class,
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                    birth_date=fake.date_of_birth(minimum_age=11, maximum_age=18),
                )
                parents = [
                    factories.relative(
                        children=[child],
                        relation_code="10",
                        first_name=fake.first_name_female(),
                        last_name=child.last_name,
                    )
                ]
                if rng.random() < 0.7:
                    parents.append(
                        factories.relative(
                            children=[child],
                            relation_code="20",
                            first_name=fake.first_name_male(),
                            last_name=child.last_name,
                        )
                    )

    # The demo family: one child in a collège (Hérault), one in a lycée (Aveyron), so the
    # two children are under two collectivités and two académies.
    college_class = classes_by_school["0341234A"][3]  # 4B
    lycee_class = classes_by_school["0120345D"][0]  # 2NDE1
    lea = factories.pupil(
        school_class=college_class, **named(Profile.PUPIL, "Léa", "Martin", "élève de 4B (collège)")
    )
    hugo = factories.pupil(
        school_class=lycee_class, **named(Profile.PUPIL, "Hugo", "Martin", "élève de 2nde (lycée)")
    )
    factories.relative(
        children=[lea, hugo],
        relation_code="10",
        **named(
            Profile.RELATIVE,
            "Sophie",
            "Martin",
            "parent de Léa (collège, Hérault) et Hugo (lycée, Aveyron)",
        ),
    )
    # A teacher working in two schools (school switcher).
    vidal = Person.objects.get(username="paul.vidal")
    services.affiliation_add(
        person=vidal, school=School.objects.get(uai="0340056B"), profile=Profile.TEACHER
    )
    services.teaching_assign(
        teacher=vidal, subject=subjects[1], school_class=classes_by_school["0340056B"][0]
    )
    # Collectivité staff.
    herault = Authority.objects.get(kind=Authority.Kind.DEPARTMENT, code="34")
    agent = factories.person(
        profile=Profile.AUTHORITY_STAFF,
        **named(Profile.AUTHORITY_STAFF, "Julien", "Roux", "agent du Département de l'Hérault"),
    )
    services.authority_role_grant(person=agent, authority=herault, is_admin=True)
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    region_agent = factories.person(
        profile=Profile.AUTHORITY_STAFF,
        **named(Profile.AUTHORITY_STAFF, "Nadia", "Benali", "agente de la Région Occitanie"),
    )
    services.authority_role_grant(person=region_agent, authority=region, is_admin=True)
    return logins
