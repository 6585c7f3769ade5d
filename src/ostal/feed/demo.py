"""The demo world, delivered the way real data is: a synthetic AAF delivery per académie
(``bench/aafgen``, preset *demo*) imported by the directory feed, then a few accounts
activated with the demo password and given their roles (school admin, collectivité staff).

Deterministic (seeded generator). Refused in the production profile.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q

from ostal.directory import services
from ostal.directory.models import Person, Profile, RelativeLink, Source
from ostal.directory.selectors import children_of
from ostal.feed.services import aaf_import
from ostal.territory.factories import ensure_territory
from ostal.territory.models import Authority, School
from ostal.timetable.demo import schoolday_demo

DEMO_PASSWORD = "ostal-demo"  # noqa: S105 - demo only; refused in the production profile
DELIVERIES = {"ac-11": "ac-montpellier", "ac-16": "ac-toulouse"}


@dataclass
class DemoLogin:
    username: str
    role: str


def generate_deliveries(out: Path) -> None:
    subprocess.run(  # noqa: S603 - our own generator, fixed arguments
        [sys.executable, "-m", "bench.aafgen", "--preset", "demo", "--out", str(out), "--quiet"],
        cwd=settings.REPO_DIR,
        check=True,
    )


def _activate(person: Person, role: str, logins: list[DemoLogin]) -> Person:
    person.set_password(DEMO_PASSWORD)
    person.state = Person.State.ACTIVE
    person.activation_code = ""
    person.save(update_fields=["password", "state", "activation_code", "updated_at"])
    logins.append(DemoLogin(person.username, role))
    return person


def _family_across_schools() -> Person | None:
    """A parent whose children are in two schools, a collège and a lycée if possible."""
    candidates = (
        Person.objects.filter(profile=Profile.RELATIVE, state=Person.State.TO_ACTIVATE)
        .annotate(n=Count("children_links"))
        .filter(n__gte=2)
        .order_by("-n", "pk")[:200]
    )
    best, best_score = None, -1
    for parent in candidates:
        schools = {c.school for c in children_of(relative=parent) if c.school}
        kinds = {s.kind for s in schools}
        score = (
            len(schools) * 2
            + (School.Kind.COLLEGE in kinds)
            + any(k != School.Kind.COLLEGE for k in kinds)
        )
        if score > best_score:
            best, best_score = parent, score
    return best


def build_demo() -> list[DemoLogin]:
    if settings.PRODUCTION:
        raise ImproperlyConfigured("La démonstration ne peut pas être chargée en production.")
    ensure_territory()
    out = Path(settings.VAR_DIR) / "demo-aaf"
    generate_deliveries(out)
    for folder, code in DELIVERIES.items():
        run, report = aaf_import(source=Source.objects.get(code=code), path=out / folder)
        if report is None:
            raise RuntimeError(f"import de démonstration refusé : {run.error}")
    logins: list[DemoLogin] = []
    parent = _family_across_schools()
    if parent is not None:
        children = children_of(relative=parent)
        names = ", ".join(
            f"{c.pupil.first_name} ({c.school_class}, {c.school.name})"
            for c in children
            if c.school
        )
        _activate(parent, f"parent de {names}", logins)
        first = children[0]
        where = first.school.name if first.school else ""
        _activate(first.pupil, f"élève de {first.school_class}, {where}", logins)
        school = first.school
    else:
        school = School.objects.order_by("uai").first()
    if school is not None:
        principal = (
            Person.objects.filter(affiliations__school=school, profile=Profile.DIRECTION)
            .order_by("pk")
            .first()
        )
        if principal is not None:
            services.school_admin_grant(person=principal, school=school)
            _activate(principal, f"direction et administration de {school.name}", logins)
        teacher = (
            Person.objects.filter(affiliations__school=school, profile=Profile.TEACHER)
            .annotate(n=Count("assignments", filter=Q(assignments__school_class__isnull=False)))
            .order_by("-n", "pk")
            .first()
        )
        if teacher is not None:
            _activate(teacher, f"enseignant, {school.name}", logins)
    schoolday_demo(school=school)  # a week of timetable and cahier de textes (ostal.timetable)
    from ostal.messaging.demo import messaging_demo  # a few messages for the demo family

    messaging_demo(school=school, parent=parent)
    local = Source.objects.get(code="local")
    # The département where the family's school is (the one that runs its collèges).
    department = school.department if school else None
    for authority, first_name, last_name in (
        (department, "Julien", "Roux"),
        (Authority.objects.filter(kind=Authority.Kind.REGION).first(), "Nadia", "Benali"),
    ):
        if authority is None:
            continue
        agent = services.person_create(
            profile=Profile.AUTHORITY_STAFF,
            first_name=first_name,
            last_name=last_name,
            source=local,
        )
        services.authority_role_grant(person=agent, authority=authority, is_admin=True)
        _activate(agent, f"administration, {authority.name}", logins)
    from ostal.pilotage.demo import pilotage_demo_build  # the groupement, its orders, audience

    pilotage_demo_build(logins=logins)
    assert RelativeLink.objects.exists(), "the demo import linked no family"
    return logins
