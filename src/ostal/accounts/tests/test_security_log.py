"""The security log: admins read the events of the people of their scope (staff of their
schools, pupils enrolled there, those pupils' relatives); region admins and operators read
everything; nobody else reads it. Everyone sees their own recent activity."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory import services
from ostal.directory.models import Person, Profile
from ostal.territory.models import Authority

LOG = reverse("accounts:security_log")
SUBJECTS = [
    "pupil",
    "sibling",
    "parent",
    "other_pupil",
    "other_parent",
    "teacher",
    "other_teacher",
    "admin",
    "other_admin",
    "agent",
]
COLLEGE_PEOPLE = {"pupil", "parent", "other_pupil", "other_parent", "teacher", "admin"}
LYCEE_PEOPLE = {"sibling", "parent", "other_teacher", "other_admin"}
EVERYONE = {*SUBJECTS, "nobody.here"}


def record_failures(world) -> None:
    """One failed login per persona, plus one for a login that matches nobody."""
    for name in SUBJECTS:
        person = world.persona(name)
        security_event_record(
            kind=SecurityEvent.Kind.LOGIN_FAILED, subject=person, username=person.username
        )
    security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, username="nobody.here")


def seen(response, world) -> set[str]:
    html = response.content.decode()
    names = {n for n in SUBJECTS if f"({world.persona(n).username})" in html}
    return names | ({"nobody.here"} if "nobody.here" in html else set())


def make_region_admin(world) -> Person:
    person = Person.objects.create_user(
        "region.admin", "x", profile=Profile.AUTHORITY_STAFF, last_name="Région"
    )
    region = Authority.objects.filter(kind=Authority.Kind.REGION).first()
    services.authority_role_grant(person=person, authority=region, is_admin=True)
    return person


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", None),
        ("pupil", 404),
        ("parent", 404),
        ("teacher", 404),
        ("other_teacher", 404),
        ("agent", 404),  # collectivité staff without the admin flag
        ("admin", COLLEGE_PEOPLE),
        ("other_admin", LYCEE_PEOPLE),
        ("collectivite_admin", COLLEGE_PEOPLE),
        ("region_admin", EVERYONE),
        ("operator", EVERYONE),
    ],
)
def test_who_reads_whose_security_events(world, login, viewer, expected):
    """Each viewer sees exactly the events of the people of their scope."""
    record_failures(world)
    if viewer == "collectivite_admin":
        services.authority_role_grant(
            person=world.agent, authority=world.college.responsible_authority, is_admin=True
        )
        person = world.agent
    elif viewer == "region_admin":
        person = make_region_admin(world)
    elif viewer == "operator":
        person = Person.objects.create_user(
            "exploitant", "x", profile=Profile.GUEST, last_name="Op", is_staff=True
        )
    else:
        person = world.persona(viewer)
    response = login(person).get(LOG, {"kind": "login_failed"})
    if expected is None:
        assert response.status_code == 302 and response["Location"].startswith("/comptes/")
    elif expected == 404:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert seen(response, world) == expected


@pytest.mark.parametrize(("viewer", "listed"), [("admin", True), ("pupil", False)])
def test_the_log_is_in_the_navigation_of_admins_only(world, login, viewer, listed):
    """The services menu lists the security log for admins only."""
    html = login(world.persona(viewer)).get("/").content.decode()
    assert (f'href="{LOG}"' in html) is listed


def test_the_log_filters_by_kind_login_and_dates(world, login, time_machine):
    """Filters: kind, login typed (also unknown ones), and an inclusive date range."""
    time_machine.move_to("2026-10-01 10:00:00+02:00", tick=False)
    security_event_record(kind=SecurityEvent.Kind.LOGIN, subject=world.pupil, username="eleve")
    time_machine.move_to("2026-10-03 10:00:00+02:00", tick=False)
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, subject=world.pupil, username="eleve"
    )
    security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, subject=world.teacher)
    operator = Person.objects.create_user(
        "exploitant", "x", profile=Profile.GUEST, last_name="Op", is_staff=True
    )
    client = login(operator)
    page = client.get(LOG, {"username": "ELEVE"})
    events = list(page.context["page"])
    assert {e.kind for e in events} >= {"login", "login_failed"}
    assert {e.subject for e in events} == {world.pupil}
    page = client.get(LOG, {"username": "eleve", "kind": "login"})
    assert [e.kind for e in page.context["page"]] == ["login"]
    page = client.get(LOG, {"since": "2026-10-02", "until": "2026-10-03", "username": "eleve"})
    assert [e.kind for e in page.context["page"]] == ["login_failed"]
    page = client.get(LOG, {"since": "2026-10-01", "until": "2026-10-01", "username": "eleve"})
    assert [e.kind for e in page.context["page"]] == ["login"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"since": "2026-10-05", "until": "2026-10-01"},
            "La date de début est après la date de fin.",
        ),
        ({"since": "hier"}, "Date de début invalide"),
        ({"kind": "nope"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_filters_get_a_clear_french_message(world, login, params, message):
    """A bad filter is explained in French and the unfiltered log is shown."""
    response = login(world.admin).get(LOG, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_log_is_paginated_with_a_constant_number_of_queries(
    world, login, django_assert_max_num_queries
):
    """The log page costs the same number of queries for 5 or 120 events (paginated)."""
    client = login(world.admin)
    for _ in range(5):
        security_event_record(kind=SecurityEvent.Kind.LOGIN, subject=world.pupil, actor=world.admin)
    with django_assert_max_num_queries(20) as small:
        client.get(LOG)
    for _ in range(115):
        security_event_record(
            kind=SecurityEvent.Kind.LOGIN, subject=world.teacher, actor=world.admin
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LOG)
    assert len(response.context["page"].object_list) == 50
    second = client.get(LOG, {"page": 2})
    assert second.context["page"].number == 2 and "Page 2 sur 3" in second.content.decode()


def test_the_profile_shows_my_own_recent_activity_only(world, login):
    """ "Activité récente de mon compte" lists my events, never another person's."""
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, subject=world.parent, username="parent"
    )
    security_event_record(kind=SecurityEvent.Kind.LOCKOUT, subject=world.other_parent)
    html = login(world.parent).get(reverse("web:account")).content.decode()
    assert "Activité récente de mon compte" in html
    assert "Échec de connexion" in html and "Verrouillage" not in html


def test_the_profile_links_to_every_account_page(world, login):
    """The profile shows e-mail state, and links to e-mail, password, MFA and sessions."""
    world.admin.email = "helene@example.org"
    world.admin.save()
    html = login(world.admin).get(reverse("web:account")).content.decode()
    for name in ["email_change", "password_change", "mfa_setup", "sessions"]:
        assert f'href="{reverse("accounts:" + name)}"' in html
    assert "helene@example.org" in html and "non confirmé" in html
    assert "obligatoire, non activée" in html
