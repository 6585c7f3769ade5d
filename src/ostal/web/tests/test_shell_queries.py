"""The shell's query budget (issue 24): the empty authenticated view costs the session and
the user (two queries); the shell on top of it — menu, school and child switchers, unread
counter, freeze banner, deployment gate — at most five more, whatever the person, and the
same number however many children or schools they have. The menu's admin entries read the
person's roles from one query; they must agree with the predicates of their pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.accounts.abilities import may_read_security_log
from ostal.conftest import PASSWORD
from ostal.directory import factories, services
from ostal.directory.models import Person, Profile, SchoolAdmin
from ostal.feed.selectors import may_read_imports
from ostal.gar.abilities import may_read_gar_exports
from ostal.oidc.abilities import may_manage_clients
from ostal.pilotage.abilities import has_pilotage_role
from ostal.pilotage.models import PilotageRole
from ostal.pilotage.services import pilotage_role_grant
from ostal.sso.abilities import is_registry_manager
from ostal.territory.factories import SchoolFactory
from ostal.territory.models import Authority, School
from ostal.web.navigation import services_for
from ostal.web.shell import shell_roles

pytestmark = pytest.mark.urls("ostal.web.tests.urls")

SHELL_BUDGET = 5
FLOOR = 2  # session + user
EMPTY, SHELL = "/_banc/vide/", "/_banc/coquille/"


def _queries(client: Any, url: str, *, cold: bool = False) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _parent_of_children_in(schools: list[School], name: str) -> Person:
    children = [
        factories.pupil(
            school_class=factories.school_class(school=school, code=f"{name}{n}"),
            username=f"{name}.enfant{n}",
            password=PASSWORD,
        )
        for n, school in enumerate(schools)
    ]
    return factories.relative(children=children, username=f"{name}.parent", password=PASSWORD)


def _teacher_in(schools: list[School], name: str) -> Person:
    teacher = factories.teacher(school=schools[0], username=name, password=PASSWORD)
    for school in schools[1:]:
        services.affiliation_add(person=teacher, school=school, profile=Profile.TEACHER)
    return teacher


def _region_admin(name: str) -> Person:
    admin = factories.person(profile=Profile.AUTHORITY_STAFF, username=name, password=PASSWORD)
    region = Authority.objects.filter(kind=Authority.Kind.REGION).first()
    assert region is not None
    services.authority_role_grant(person=admin, authority=region, is_admin=True)
    return admin


@pytest.fixture
def three_schools(territory: None) -> list[School]:
    return [
        SchoolFactory(uai="0340001A", kind=School.Kind.COLLEGE, department_code="34"),
        SchoolFactory(uai="0340002B", kind=School.Kind.LYCEE, department_code="34"),
        SchoolFactory(uai="0120003C", kind=School.Kind.COLLEGE, department_code="12"),
    ]


def test_the_empty_view_costs_the_session_and_the_user(login, three_schools):
    """The benchmarks' floor reads the session and the user and nothing else."""
    parent = _parent_of_children_in(three_schools, "famille")
    client = login(parent)
    client.get(EMPTY)
    assert _queries(client, EMPTY) == FLOOR
    response = client.get(EMPTY)
    assert response.content.decode() == str(parent.pk)


@pytest.mark.parametrize("cold", [False, True], ids=["warm cache", "cold cache"])
def test_the_shell_costs_at_most_five_queries_whatever_the_person(
    login, three_schools, settings, cold
):
    """A parent of three children in three schools, a teacher in two schools and a region
    admin each get the shell (deployment gate on) in at most five queries above the floor,
    and as many as someone with one child or one school."""
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    personas = {
        "parent of 3": _parent_of_children_in(three_schools, "trois"),
        "parent of 1": _parent_of_children_in(three_schools[:1], "un"),
        "teacher in 2": _teacher_in(three_schools[:2], "prof.deux"),
        "teacher in 1": _teacher_in(three_schools[:1], "prof.un"),
        "region admin": _region_admin("admin.region"),
    }
    counts = {}
    for name, person in personas.items():
        client = login(person)
        client.get(SHELL)  # the session is warm
        counts[name] = _queries(client, SHELL, cold=cold) - FLOOR
        assert counts[name] == _queries(client, SHELL, cold=cold) - FLOOR, name
    assert all(n <= SHELL_BUDGET for n in counts.values()), counts
    assert counts["parent of 3"] == counts["parent of 1"], counts
    assert counts["teacher in 2"] == counts["teacher in 1"], counts
    # the shell really shows what it read: the three children, the two schools, the admin menu
    html = login(personas["parent of 3"]).get(SHELL).content.decode()
    for child in Person.objects.filter(username__startswith="trois.enfant"):
        assert child.first_name in html
    html = login(personas["region admin"]).get(SHELL).content.decode()
    assert "/annuaire/imports/" in html and "/o/applications/" in html


def test_the_page_pays_the_shell_once(login, three_schools, settings):
    """/compte/ costs the shell once: its queries minus the shell page's are the page's own."""
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    parent = _parent_of_children_in(three_schools, "compte")
    client = login(parent)
    client.get("/compte/")
    client.get(SHELL)
    page, shell = _queries(client, "/compte/"), _queries(client, SHELL)
    assert page - shell <= 6, (page, shell)  # the account page's own reads
    assert shell - FLOOR <= SHELL_BUDGET


def _roles_world(three_schools: list[School]) -> dict[str, Person]:
    college, lycee, other = three_schools
    department = college.responsible_authority
    assert department is not None
    academy = college.academy
    assert academy is not None
    empty_authority = (
        Authority.objects.filter(kind=Authority.Kind.DEPARTMENT)
        .exclude(pk__in=School.objects.values("responsible_authority_id"))
        .first()
    )
    assert empty_authority is not None

    def staff(username: str) -> Person:
        return factories.person(profile=Profile.AUTHORITY_STAFF, username=username)

    people = {
        "pupil": factories.pupil(
            school_class=factories.school_class(school=college, code="R1"), username="r.eleve"
        ),
        "teacher": _teacher_in([college], "r.prof"),
        "school admin": factories.staff(school=lycee, profile=Profile.DIRECTION, username="r.dir"),
        "department admin": staff("r.dep"),
        "department member (not admin)": staff("r.dep.membre"),
        "admin of an authority without schools": staff("r.vide"),
        "academy admin": staff("r.aca"),
        "region admin": _region_admin("r.region"),
        "pilotage member": staff("r.pilotage"),
        "operator": factories.person(profile=Profile.AUTHORITY_STAFF, username="r.op"),
    }
    services.school_admin_grant(person=people["school admin"], school=lycee)
    services.authority_role_grant(
        person=people["department admin"], authority=department, is_admin=True
    )
    services.authority_role_grant(
        person=people["department member (not admin)"], authority=department
    )
    services.authority_role_grant(
        person=people["admin of an authority without schools"],
        authority=empty_authority,
        is_admin=True,
    )
    services.authority_role_grant(person=people["academy admin"], authority=academy, is_admin=True)
    pilotage_role_grant(
        person=people["pilotage member"], authority=department, role=PilotageRole.Role.MEMBER
    )
    Person.objects.filter(pk=people["operator"].pk).update(is_staff=True)
    people["operator"].refresh_from_db()
    return people


def test_the_menu_shows_an_admin_entry_exactly_when_its_page_lets_the_person_in(
    three_schools,
):
    """Each admin entry of the menu (read from the one-query roles) agrees with the
    predicate its pages ask, for every kind of person."""
    people = _roles_world(three_schools)
    pages = {
        "security_log": may_read_security_log,
        "feed": may_read_imports,
        "cas_services": is_registry_manager,
        "oidc_clients": may_manage_clients,
        "pilotage": has_pilotage_role,
        "gar_exports": may_read_gar_exports,
    }
    seen_any = set()
    for name, person in people.items():
        fresh = Person.objects.get(pk=person.pk)  # no remembered answer on the object
        menu = {s.key for s in services_for(fresh)}
        for key, predicate in pages.items():
            allowed = bool(predicate(Person.objects.get(pk=person.pk)))
            assert (key in menu) == allowed, (name, key, allowed)
            if allowed:
                seen_any.add(key)
        assert getattr(fresh, "_ostal_shell_roles", None) == shell_roles(fresh)
    assert seen_any == set(pages)  # every entry was shown to someone


def test_a_granted_or_removed_role_shows_in_the_menu_on_the_next_page(login, three_schools):
    """The cached roles are dropped by every grant and removal: the next page's menu shows
    the new entry, then hides it again."""
    teacher = _teacher_in(three_schools[:1], "prof.promu")
    client = login(teacher)
    assert "/annuaire/imports/" not in client.get(SHELL).content.decode()
    grant = services.school_admin_grant(person=teacher, school=three_schools[0])
    assert "/annuaire/imports/" in client.get(SHELL).content.decode()
    assert SchoolAdmin.objects.filter(person=teacher).exists()
    grant.delete()
    assert "/annuaire/imports/" not in client.get(SHELL).content.decode()
    assert not SchoolAdmin.objects.filter(person=teacher).exists()
    assert "/pilotage/" not in client.get(SHELL).content.decode()
    pilotage_role_grant(
        person=teacher,
        authority=three_schools[0].responsible_authority,
        role=PilotageRole.Role.MEMBER,
    )
    assert "/pilotage/" in client.get(SHELL).content.decode()
