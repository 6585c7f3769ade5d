"""Activation rules: login + code from the letter, one generic error, rate limited per
address and per login; then password (policy, never the code), charter, optional e-mail;
the account becomes active, its code cleared, its tokens revoked, and the person is in."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ostal.core.models import SecurityEvent
from ostal.directory.models import Person

ACTIVATE = reverse("accounts:activate")
FINISH = reverse("accounts:activate_finish")
GENERIC = "Identifiant ou code d&#x27;activation incorrect"
LIMITED = "Trop de tentatives"
CODE = "KLMNP23456"
GOOD = "Jardin-des-plantes-7"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def to_activate(person: Person, code: str = CODE) -> Person:
    person.state = Person.State.TO_ACTIVATE
    person.activation_code = code
    person.set_unusable_password()
    person.save()
    return person


def step1(client, username, code, ip="10.0.0.1", **extra):
    return client.post(ACTIVATE, {"username": username, "code": code, **extra}, REMOTE_ADDR=ip)


def step2(client, password=GOOD, charter="on", email=""):
    data = {"new_password1": password, "new_password2": password, "email": email}
    if charter:
        data["charter"] = charter
    return client.post(FINISH, data)


def test_the_activation_page_is_french_and_labelled(client, db):
    """The page says what to type, and each field has its label."""
    html = client.get(ACTIVATE).content.decode()
    assert '<html lang="fr">' in html
    assert '<label for="id_username">Identifiant</label>' in html
    assert '<label for="id_code">Code d&#x27;activation</label>' in html


def test_a_person_activates_their_account_and_is_logged_in(client, world):
    """Good code → choose a password, accept the charter → active, code cleared, logged in."""
    pupil = to_activate(world.pupil)
    response = step1(client, "eleve", "klmnp-23456")
    assert response.status_code == 302 and response["Location"] == FINISH
    response = step2(client)
    assert response.status_code == 302 and response["Location"] == "/"
    pupil.refresh_from_db()
    assert pupil.state == Person.State.ACTIVE
    assert pupil.activation_code == ""
    assert pupil.charter_accepted_at is not None
    assert pupil.check_password(GOOD)
    assert client.get("/").wsgi_request.user == pupil
    assert SecurityEvent.objects.filter(kind="activated", subject=pupil).exists()
    assert SecurityEvent.objects.filter(kind="credentials_revoked", subject=pupil).exists()


@pytest.mark.parametrize("case", ["wrong_code", "unknown_login", "no_code", "suspended", "empty"])
def test_every_failure_gets_the_same_generic_message(client, world, case):
    """Wrong code, unknown login, account without code, suspended account: one message."""
    to_activate(world.pupil)
    username, code = "eleve", CODE
    if case == "wrong_code":
        code = "KLMNP23457"
    elif case == "unknown_login":
        username = "personne.inconnue"
    elif case == "no_code":
        username = "parent"  # active, no code
    elif case == "suspended":
        Person.objects.filter(pk=world.pupil.pk).update(state=Person.State.SUSPENDED)
    else:
        code = "-"
    response = step1(client, username, code)
    assert response.status_code == 200
    assert GENERIC in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert "ostal_activation" not in client.session
    assert SecurityEvent.objects.filter(kind="login_failed", username=username).exists()


def test_the_step_2_page_cannot_be_reached_without_a_verified_code(client, world):
    """Going straight to the password step sends back to step 1; nothing changes."""
    to_activate(world.pupil)
    response = step2(client)
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    world.pupil.refresh_from_db()
    assert world.pupil.state == Person.State.TO_ACTIVATE


@override_settings(OSTAL_ACTIVATION_STEP_SECONDS=-1)
def test_the_verified_code_expires(client, world):
    """The verified person held in the session expires; the password step then refuses."""
    to_activate(world.pupil)
    step1(client, "eleve", CODE)
    response = step2(client)
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    world.pupil.refresh_from_db()
    assert world.pupil.state == Person.State.TO_ACTIVATE and world.pupil.activation_code == CODE


def test_a_new_code_issued_meanwhile_voids_the_step(client, world):
    """If an admin issues another code after step 1, step 2 refuses the old verification."""
    to_activate(world.pupil)
    step1(client, "eleve", CODE)
    Person.objects.filter(pk=world.pupil.pk).update(activation_code="QRSTU23456")
    assert step2(client)["Location"] == ACTIVATE
    world.pupil.refresh_from_db()
    assert world.pupil.state == Person.State.TO_ACTIVATE


def test_the_charter_must_be_accepted(client, world):
    """Without the charter box, nothing is written and the page says why."""
    to_activate(world.pupil)
    step1(client, "eleve", CODE)
    response = step2(client, charter="")
    assert response.status_code == 200
    assert "acceptez la charte" in response.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.state == Person.State.TO_ACTIVATE and world.pupil.activation_code == CODE


@pytest.mark.parametrize("password", [CODE, "klmnp-23456", CODE + "-Abc!"])
def test_the_code_is_refused_as_a_password(client, world, password):
    """The activation code (in any spelling) can never become the password."""
    to_activate(world.parent)
    step1(client, "parent", CODE)
    response = step2(client, password=password)
    assert response.status_code == 200
    assert "code d&#x27;activation ne peut pas servir" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.state == Person.State.TO_ACTIVATE


def test_staff_need_a_stronger_password_than_pupils(client, world):
    """A password a pupil may choose is refused to a teacher at activation."""
    to_activate(world.teacher)
    step1(client, "prof", CODE)
    response = step2(client, password="tramwaygrenat")
    assert "sortes de caract" in response.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.state == Person.State.TO_ACTIVATE
    response = step2(client, password="Tramway-grenat9")
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.state == Person.State.ACTIVE


def test_mismatched_passwords_are_refused(client, world):
    """The two password fields must match."""
    to_activate(world.pupil)
    step1(client, "eleve", CODE)
    response = client.post(
        FINISH, {"new_password1": GOOD, "new_password2": GOOD + "x", "charter": "on"}
    )
    assert "ne sont pas identiques" in response.content.decode()
    world.pupil.refresh_from_db()
    assert world.pupil.state == Person.State.TO_ACTIVATE


def test_activation_revokes_every_token(client, world):
    """API tokens issued before activation are gone after it."""
    to_activate(world.pupil)
    Token.objects.create(user=world.pupil)
    step1(client, "eleve", CODE)
    step2(client)
    assert not Token.objects.filter(user=world.pupil).exists()


def test_an_admin_reset_code_reactivates_an_active_account(client, world):
    """An active account holding an admin's reset code goes through activation again."""
    Person.objects.filter(pk=world.parent.pk).update(activation_code=CODE)
    world.parent.refresh_from_db()
    world.parent.set_unusable_password()
    world.parent.save()
    assert step1(client, "parent", CODE).status_code == 302
    assert step2(client, password="Nouveau-jardin-8").status_code == 302
    world.parent.refresh_from_db()
    assert world.parent.check_password("Nouveau-jardin-8") and world.parent.activation_code == ""


def test_the_email_given_at_activation_is_confirmed_by_its_link(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """An e-mail given at activation gets a signed link; following it confirms the address."""
    to_activate(world.parent)
    step1(client, "parent", CODE)
    with django_capture_on_commit_callbacks(execute=True):
        step2(client, password="Nouveau-jardin-8", email="diane@example.org")
    world.parent.refresh_from_db()
    assert world.parent.email == "diane@example.org" and world.parent.email_confirmed_at is None
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["diane@example.org"]
    link = re.search(r"http://testserver(/comptes/courriel/confirmer/\S+/)", mailoutbox[0].body)
    assert link
    client.logout()
    assert client.get(link.group(1)).status_code == 200
    world.parent.refresh_from_db()
    assert world.parent.email_confirmed_at is None  # GET confirms nothing
    response = client.post(link.group(1))
    assert response.status_code == 200 and "est confirmée" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.email_confirmed_at is not None
    assert SecurityEvent.objects.filter(kind="email_confirmed", subject=world.parent).exists()


def test_an_invalid_email_is_refused_with_a_clear_message(client, world):
    """A malformed e-mail stops the activation with a French message."""
    to_activate(world.parent)
    step1(client, "parent", CODE)
    response = step2(client, password="Nouveau-jardin-8", email="pas-une-adresse")
    assert (
        response.status_code == 200 and "adresse électronique valide" in response.content.decode()
    )
    world.parent.refresh_from_db()
    assert world.parent.state == Person.State.TO_ACTIVATE


@override_settings(OSTAL_ACTIVATION_RATE_PER_LOGIN="3/h", OSTAL_ACTIVATION_RATE_PER_ADDRESS="100/h")
def test_attempts_are_limited_per_login_from_any_address(client, world):
    """After 3 tries on one login (from several addresses), even the right code is refused."""
    to_activate(world.pupil)
    for n in range(3):
        step1(client, "eleve", "AAAAA22222", ip=f"10.0.0.{n + 1}")
    response = step1(client, "eleve", CODE, ip="10.0.0.9")
    assert response.status_code == 429 and LIMITED in response.content.decode()
    assert "ostal_activation" not in client.session
    assert SecurityEvent.objects.filter(kind="lockout", username="eleve").exists()


@override_settings(OSTAL_ACTIVATION_RATE_PER_LOGIN="100/h", OSTAL_ACTIVATION_RATE_PER_ADDRESS="3/h")
def test_attempts_are_limited_per_address_across_logins(client, world):
    """One address spraying several logins is stopped after 3 tries."""
    to_activate(world.pupil)
    for name in ("a.b", "c.d", "e.f"):
        step1(client, name, CODE)
    assert step1(client, "eleve", CODE).status_code == 429
    assert step1(client, "eleve", CODE, ip="10.0.0.2").status_code == 302


@override_settings(OSTAL_ACTIVATION_RATE_PER_LOGIN="1/h")
def test_a_locked_login_tells_nothing_about_whether_it_exists(client, world):
    """Locked: an existing and an unknown login get the very same answer."""
    to_activate(world.pupil)
    answers = []
    for login in ("eleve", "inconnu.total"):
        step1(client, login, "AAAAA22222")
        response = step1(client, login, "AAAAA22222")
        page = re.sub(r'value="[^"]*"', 'value=""', response.content.decode())
        answers.append((response.status_code, page))
    assert answers[0] == answers[1]


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_next_never_leaves_the_site(client, world, target):
    """``next=`` pointing elsewhere is ignored: the person lands on the home page."""
    to_activate(world.pupil)
    step1(client, "eleve", CODE, next=target)
    response = step2(client)
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_local_next_is_followed(client, world):
    """A local ``next=`` (e.g. back to a CAS login) is followed after activation."""
    to_activate(world.pupil)
    step1(client, "eleve", CODE, next="/etablissement/")
    assert step2(client)["Location"] == "/etablissement/"


def test_the_charter_page_is_public(client, db):
    """The charter can be read before activation."""
    response = client.get(reverse("accounts:charter"))
    assert response.status_code == 200
    assert "<h1>Charte d'utilisation" in response.content.decode()
