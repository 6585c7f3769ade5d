"""The demo world, delivered the way real data is: a synthetic AAF delivery per académie
(``bench/aafgen``, preset *demo*) imported by the directory feed, then a few accounts
activated with the demo password and given their roles (school admin, collectivité staff).

The delivery is dated in the school year of today (``timezone.localdate()``), so the
classes, timetable and cahier de textes are those of the current year. The logins are kept
in ``var/demo-logins.json`` so that a later ``ostal dev`` prints them again.

Deterministic for a given date (seeded generator). Refused in the production profile.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q
from django.utils import timezone

from ostal.core.french import de
from ostal.directory import services
from ostal.directory.models import Person, Profile, RelativeLink, Source, school_year_of
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


def export_date(today: datetime.date | None = None) -> datetime.date:
    """The demo delivery's date: mid-September of today's school year (or today, early in
    the year), so that the imported classes are this year's."""
    today = today or timezone.localdate()
    return min(today, datetime.date(school_year_of(today), 9, 15))


def generate_deliveries(out: Path, date: datetime.date | None = None) -> None:
    day = (date or export_date()).isoformat()
    subprocess.run(  # noqa: S603 - our own generator, fixed arguments
        [sys.executable, "-m", "bench.aafgen", "--preset", "demo", "--out", str(out), "--quiet",
         "--date", day],
        cwd=settings.REPO_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def logins_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-logins.json"


def saved_logins() -> list[DemoLogin]:
    """The logins of the demo built earlier (empty when there is none)."""
    try:
        rows = json.loads(logins_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [DemoLogin(**row) for row in rows if isinstance(row, dict)]


def _department_with_colleges(family_school: School | None) -> Authority | None:
    """The département whose agent sees data: the one running the family's collège, else
    the first member département that runs a demo school (pilotage orders cover them)."""
    candidates = Authority.objects.filter(
        kind=Authority.Kind.DEPARTMENT,
        is_groupement_member=True,
        schools_responsible__is_open=True,
        schools_responsible__affiliations__isnull=False,
    ).distinct()
    if family_school is not None and family_school.responsible_authority_id is not None:
        preferred = candidates.filter(pk=family_school.responsible_authority_id).first()
        if preferred is not None:
            return preferred
    return candidates.order_by("code").first()


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


def _quiet(_line: str) -> None:
    return None


def build_demo(*, progress: Callable[[str], None] = _quiet) -> list[DemoLogin]:
    """Build the demo world; ``progress`` receives a line per step (the launcher prints them)."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("La démonstration ne peut pas être chargée en production.")
    ensure_territory()
    out = Path(settings.VAR_DIR) / "demo-aaf"
    date = export_date()
    year = school_year_of(date)
    progress(f"génération des annuaires de démonstration (année scolaire {year}-{year + 1})")
    generate_deliveries(out, date)
    for folder, code in DELIVERIES.items():
        source = Source.objects.get(code=code)
        progress(f"import de l'annuaire : {source.label}")
        run, report = aaf_import(source=source, path=out / folder)
        if report is None:
            raise RuntimeError(f"import de démonstration refusé : {run.error}")
    progress("activation des comptes de démonstration")
    logins: list[DemoLogin] = []
    parent = _family_across_schools()
    if parent is not None:
        children = children_of(relative=parent)
        names = " et ".join(
            f"{c.pupil.first_name} ({c.school_class}, {c.school.display_name})"
            for c in children
            if c.school
        )
        _activate(parent, f"parent {de(names)}", logins)
        first = children[0]
        where = first.school.display_name if first.school else ""
        _activate(first.pupil, f"élève {de(first.school_class)}, {where}", logins)
        school = first.school
        college = next(
            (c.school for c in children if c.school and c.school.kind == School.Kind.COLLEGE),
            school,
        )
    else:
        school = college = School.objects.order_by("uai").first()
    if school is not None:
        principal = (
            Person.objects.filter(affiliations__school=school, profile=Profile.DIRECTION)
            .order_by("pk")
            .first()
        )
        if principal is not None:
            services.school_admin_grant(person=principal, school=school)
            _activate(principal, f"direction et administration {de(school.display_name)}", logins)
        teacher = (
            Person.objects.filter(affiliations__school=school, profile=Profile.TEACHER)
            .annotate(n=Count("assignments", filter=Q(assignments__school_class__isnull=False)))
            .order_by("-n", "pk")
            .first()
        )
        if teacher is not None:
            _activate(teacher, f"enseignant, {school.display_name}", logins)
    progress("emploi du temps, cahier de textes et messages de la semaine")
    schoolday_demo(school=school)  # a week of timetable and cahier de textes (ostal.timetable)
    from ostal.messaging.demo import messaging_demo  # a few messages for the demo family

    messaging_demo(school=school, parent=parent)
    local = Source.objects.get(code="local")
    # A département that runs a demo collège (the family's if any), so its agent's
    # pilotage pages have orders and statistics.
    department = _department_with_colleges(college)
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

    progress("groupement de commande, bons de commande et statistiques d'usage")
    pilotage_demo_build(logins=logins)
    assert RelativeLink.objects.exists(), "the demo import linked no family"
    logins_file().write_text(
        json.dumps([asdict(login) for login in logins], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return logins
