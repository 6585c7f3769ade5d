"""The school admin console: only the admins of a school reach its console; the accounts
of the school are its staff, the pupils of its current classes and their relatives; a
person outside the school answers 404 for every action; every action is logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ostal.administration import selectors
from ostal.administration.services import OutOfScope, account_unlock
from ostal.administration.tests.conftest import lock_out, login_status
from ostal.core.models import SecurityEvent
from ostal.directory.models import Person

PERSONAS = [
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
    "anonymous",
]


def expected(persona: str, allowed: set[str]) -> int:
    if persona == "anonymous":
        return 302
    return 200 if persona in allowed else 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_school_s_admin_opens_its_console(login, world, persona):
    client = login(world.persona(persona))
    college = world.college.pk
    pages = [
        reverse("administration:school", args=[college]),
        reverse("administration:accounts", args=[college]),
        reverse("administration:account", args=[college, world.pupil.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == expected(persona, {"admin"}), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_index_leads_an_admin_to_their_school(login, world, persona):
    response = login(world.persona(persona)).get(reverse("administration:index"))
    if persona in {"admin", "other_admin"}:
        school = world.college if persona == "admin" else world.lycee
        assert response.status_code == 302
        assert response["Location"] == reverse("administration:school", args=[school.pk])
    else:
        assert response.status_code == expected(persona, set())


def test_an_admin_of_two_schools_chooses_one(login, world):
    from ostal.directory import services

    services.school_admin_grant(person=world.admin, school=world.lycee)
    response = login(world.admin).get(reverse("administration:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("administration:school", args=[world.college.pk]) in html
    assert reverse("administration:school", args=[world.lycee.pk]) in html


def test_the_menu_shows_administration_to_school_admins_only(login, world):
    url = reverse("administration:index")
    assert f'href="{url}"' in login(world.admin).get("/").content.decode()
    assert f'href="{url}"' not in login(world.teacher).get("/").content.decode()


def test_the_console_links_the_existing_admin_pages(login, world):
    html = login(world.admin).get(reverse("administration:school", args=[world.college.pk]))
    html = html.content.decode()
    for url in [
        reverse("administration:accounts", args=[world.college.pk]),
        reverse("web:class", args=[world.class_4b.pk]),
        reverse("accounts:security_log"),
        reverse("feed:runs"),
        reverse("rgpd:index"),
    ]:
        assert f'href="{url}' in html, url
    assert "Aucun compte verrouillé." in html


def test_the_accounts_of_the_school_are_its_people_only(world):
    people = set(selectors.accounts_of_school(school=world.college))
    assert {world.pupil, world.other_pupil, world.parent, world.other_parent} <= people
    assert {world.teacher, world.admin} <= people
    assert not {world.sibling, world.other_teacher, world.other_admin, world.agent} & people


def test_search_by_name_or_login(login, world):
    client = login(world.admin)
    url = reverse("administration:accounts", args=[world.college.pk])
    html = client.get(url, {"q": "petit"}).content.decode()
    assert "autre.eleve" in html and "autre.parent" in html
    assert ">eleve<" not in html
    assert "2 comptes" in html
    html = client.get(url, {"q": "zzz"}).content.decode()
    assert "Aucun compte ne correspond à cette recherche." in html and "0 compte" in html
    # another school's person is not found by name either
    assert "frere" not in client.get(url, {"q": "bruno"}).content.decode()


def test_a_bad_state_filter_is_a_clear_error(login, world):
    url = reverse("administration:accounts", args=[world.college.pk])
    response = login(world.admin).get(url, {"etat": "nimporte"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_locked_pupil_is_found_and_unlocked(login, world):
    lock_out(world.pupil.username)
    assert login_status(world.pupil.username) == 429
    client = login(world.admin)
    school_page = client.get(reverse("administration:school", args=[world.college.pk]))
    assert "1 compte est verrouillé" in school_page.content.decode()
    listing = client.get(
        reverse("administration:accounts", args=[world.college.pk]), {"etat": "locked"}
    ).content.decode()
    assert "1 compte" in listing and "Alice" in listing and "verrouillé" in listing
    page = reverse("administration:account", args=[world.college.pk, world.pupil.pk])
    assert "Déverrouiller le compte" in client.get(page).content.decode()

    response = client.post(
        reverse("administration:account_unlock", args=[world.college.pk, world.pupil.pk])
    )
    assert response.status_code == 302 and response["Location"] == page
    assert "est déverrouillé" in client.get(page).content.decode()
    assert not selectors.is_locked(world.pupil)
    assert login_status(world.pupil.username) == 302
    event = SecurityEvent.objects.get(kind="account_changed", data__action="unlock")
    assert event.actor == world.admin and event.subject == world.pupil
    assert event.data["school"] == world.college.uai and event.data["failures_cleared"] >= 1
    # the admin reads it in the security log of their scope; the lycée's admin does not
    log = client.get(reverse("accounts:security_log"), {"kind": "account_changed"})
    assert "(déverrouillage)" in log.content.decode()
    other = login(world.other_admin).get(
        reverse("accounts:security_log"), {"kind": "account_changed"}
    )
    assert "(déverrouillage)" not in other.content.decode()


def test_another_school_s_pupil_is_404_for_every_action(login, locked):
    """The collège's admin and the lycée's pupil: console pages, unlock, reset and letter
    all answer 404, and nothing changes."""
    world = locked
    client = login(world.admin)
    college, sibling = world.college.pk, world.sibling.pk
    Person.objects.filter(pk=sibling).update(activation_code="ABCDE23456")
    assert client.get(reverse("administration:account", args=[college, sibling])).status_code == 404
    unlock = reverse("administration:account_unlock", args=[college, sibling])
    assert client.post(unlock).status_code == 404
    # the lycée's console, with its own pupil
    lycee = world.lycee.pk
    assert client.get(reverse("administration:school", args=[lycee])).status_code == 404
    assert client.get(reverse("administration:accounts", args=[lycee])).status_code == 404
    assert (
        client.post(reverse("administration:account_unlock", args=[lycee, sibling])).status_code
        == 404
    )
    assert client.get(reverse("accounts:letter_person", args=[sibling])).status_code == 404
    reset = reverse("accounts:admin_reset", args=[sibling])
    assert client.post(reset, {"confirm": "1"}).status_code == 404
    assert selectors.is_locked(world.sibling)
    assert not SecurityEvent.objects.filter(actor=world.admin).exists()


def test_unknown_ids_are_404_too(login, world):
    client = login(world.admin)
    assert client.get(reverse("administration:school", args=[999999])).status_code == 404
    url = reverse("administration:account", args=[world.college.pk, 999999])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "other_admin", "parent", "agent"])
def test_nobody_else_unlocks(login, locked, persona):
    world = locked
    url = reverse("administration:account_unlock", args=[world.college.pk, world.pupil.pk])
    assert login(world.persona(persona)).post(url).status_code == 404
    assert selectors.is_locked(world.pupil)


def test_unlock_is_post_only(login, locked):
    world = locked
    url = reverse("administration:account_unlock", args=[world.college.pk, world.pupil.pk])
    assert login(world.admin).get(url).status_code == 405
    assert selectors.is_locked(world.pupil)


def test_the_service_refuses_out_of_scope_even_when_called_directly(locked):
    world = locked
    with pytest.raises(OutOfScope):
        account_unlock(actor=world.admin, school=world.college, person=world.sibling)
    with pytest.raises(OutOfScope):
        account_unlock(actor=world.admin, school=world.lycee, person=world.sibling)
    assert selectors.is_locked(world.sibling)
    assert not SecurityEvent.objects.filter(actor=world.admin).exists()


def test_reset_and_letter_from_the_console(login, world, monkeypatch):
    """The account page leads to the existing reset (logged) then to the letter (logged)."""
    from ostal.accounts import letters

    monkeypatch.setattr(letters, "letters_pdf", lambda **kw: b"%PDF-fake")
    client = login(world.admin)
    page = reverse("administration:account", args=[world.college.pk, world.pupil.pk])
    html = client.get(page).content.decode()
    reset = reverse("accounts:admin_reset", args=[world.pupil.pk])
    assert reset in html
    assert reverse("accounts:letter_person", args=[world.pupil.pk]) not in html
    client.post(reset, {"confirm": "1", "next": page})
    html = client.get(page).content.decode()
    letter = reverse("accounts:letter_person", args=[world.pupil.pk])
    assert letter in html
    assert client.get(letter).content == b"%PDF-fake"
    kinds = set(
        SecurityEvent.objects.filter(actor=world.admin, subject=world.pupil).values_list(
            "kind", flat=True
        )
    )
    assert {"account_changed", "letters_printed"} <= kinds
    # the account page shows the log of this account
    assert "activation imprimées" in client.get(page).content.decode()


def test_the_console_reads_of_the_lockout_cost_constant_queries(
    login, world, django_assert_max_num_queries
):
    for person in (world.pupil, world.other_pupil, world.parent):
        lock_out(person.username)
    client = login(world.admin)
    url = reverse("administration:accounts", args=[world.college.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        html = client.get(url).content.decode()
    assert html.count("<strong>verrouillé</strong>") == 3
