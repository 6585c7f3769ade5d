"""Password and e-mail rules of a signed-in person, and the forgotten password: a change
keeps the current session and closes the others and every token; only a confirmed e-mail
receives reset links; the forgotten-password page answers the same whatever happened."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.directory.models import Person

CHANGE = reverse("accounts:password_change")
EMAIL = reverse("accounts:email_change")
FORGOT = reverse("accounts:password_forgot")
NEW = "Jardin-des-plantes-7"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def confirmed(person: Person, email: str = "diane@example.org") -> Person:
    Person.objects.filter(pk=person.pk).update(email=email, email_confirmed_at=timezone.now())
    person.refresh_from_db()
    return person


# --- Password change ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [CHANGE, EMAIL])
def test_anonymous_people_are_sent_to_login(client, db, name):
    """The password and e-mail pages need a signed-in person."""
    response = client.get(name)
    assert response.status_code == 302 and response["Location"].startswith("/comptes/connexion/")


def test_a_password_change_keeps_this_session_and_closes_the_others(login, world):
    """The current session stays, another browser's session and every API token die."""
    client = login(world.parent)
    other = Client()
    other.force_login(world.parent, backend="django.contrib.auth.backends.ModelBackend")
    Token.objects.create(user=world.parent)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:account")
    world.parent.refresh_from_db()
    assert world.parent.check_password(NEW)
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    assert not Token.objects.filter(user=world.parent).exists()
    assert SecurityEvent.objects.filter(kind="password_changed", subject=world.parent).exists()


def test_a_wrong_current_password_changes_nothing(login, world):
    """A wrong current password is refused with a French message; nothing is written."""
    client = login(world.parent)
    response = client.post(
        CHANGE, {"old_password": "faux", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    assert "mot de passe actuel est incorrect" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.check_password(PASSWORD)


def test_a_password_change_follows_the_staff_policy(login, world):
    """A teacher cannot choose a pupil-grade password."""
    client = login(world.teacher)
    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "tramwaygrenat",
            "new_password2": "tramwaygrenat",
        },
    )
    assert "sortes de caract" in response.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)


@override_settings(OSTAL_PASSWORD_CHECK_RATE="2/h")
def test_guessing_the_current_password_is_rate_limited(login, world):
    """After 2 tries in an hour, even the right current password is not checked."""
    client = login(world.parent)
    for _ in range(2):
        client.post(CHANGE, {"old_password": "faux", "new_password1": NEW, "new_password2": NEW})
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 429 and "Trop de tentatives" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.check_password(PASSWORD)


# --- E-mail change -------------------------------------------------------------------------


def test_a_new_email_stays_unconfirmed_until_its_link_is_followed(
    login, world, mailoutbox, django_capture_on_commit_callbacks
):
    """New address → unconfirmed, link sent to it, the old confirmed address is told."""
    confirmed(world.parent, "ancienne@example.org")
    client = login(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EMAIL, {"email": "nouvelle@example.org", "old_password": PASSWORD})
    assert response.status_code == 302
    world.parent.refresh_from_db()
    assert world.parent.email == "nouvelle@example.org"
    assert world.parent.email_confirmed_at is None
    assert sorted(m.to[0] for m in mailoutbox) == ["ancienne@example.org", "nouvelle@example.org"]
    mail = next(m for m in mailoutbox if m.to == ["nouvelle@example.org"])
    path = re.search(r"http://testserver(/\S+/)", mail.body).group(1)
    client.post(path)
    world.parent.refresh_from_db()
    assert world.parent.email_confirmed_at is not None


def test_a_link_for_a_replaced_address_confirms_nothing(
    login, world, mailoutbox, django_capture_on_commit_callbacks
):
    """A confirmation link made for a previous address is refused once it was changed."""
    client = login(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EMAIL, {"email": "une@example.org", "old_password": PASSWORD})
        client.post(EMAIL, {"email": "deux@example.org", "old_password": PASSWORD})
    first = next(m for m in mailoutbox if m.to == ["une@example.org"])
    path = re.search(r"http://testserver(/\S+/)", first.body).group(1)
    response = client.post(path)
    assert response.status_code == 400 and "pas valable" in response.content.decode()
    world.parent.refresh_from_db()
    assert world.parent.email == "deux@example.org" and world.parent.email_confirmed_at is None


def test_a_forged_confirmation_link_is_refused(client, world):
    """A token not signed by the server confirms nothing."""
    response = client.post(reverse("accounts:email_confirm", args=["eyJwIjoxfQ:forged:sig"]))
    assert response.status_code == 400


def test_an_email_change_needs_the_current_password(login, world):
    """Without the right password, the address does not change."""
    client = login(world.parent)
    response = client.post(EMAIL, {"email": "x@example.org", "old_password": "faux"})
    assert response.status_code == 200
    world.parent.refresh_from_db()
    assert world.parent.email == ""


# --- Forgotten password --------------------------------------------------------------------


def forgot(client, identifier, ip="10.0.0.1"):
    return client.post(FORGOT, {"identifier": identifier}, REMOTE_ADDR=ip)


def _page(response) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', response.content.decode())


def test_the_forgotten_password_page_says_the_same_whatever_happened(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """Confirmed e-mail, unconfirmed e-mail, no e-mail, unknown login: one same page."""
    confirmed(world.parent)
    Person.objects.filter(pk=world.teacher.pk).update(email="prof@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        pages = {forgot(client, who).status_code for who in ("parent", "prof", "eleve", "nul")}
        bodies = {_page(forgot(client, who)) for who in ("parent", "prof", "eleve", "nul")}
    assert pages == {200}
    assert len(bodies) == 1
    assert "adressez-vous à l&#x27;administrateur" in bodies.pop()
    assert {m.to[0] for m in mailoutbox} == {"diane@example.org"}


def test_a_reset_link_is_sent_by_confirmed_email_address_too(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """Typing the confirmed address itself also sends the link."""
    confirmed(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        forgot(client, "Diane@Example.org")
    assert len(mailoutbox) == 1
    assert SecurityEvent.objects.filter(kind="reset_requested", subject=world.parent).exists()


@override_settings(OSTAL_RESET_RATE_PER_IDENTIFIER="2/h")
def test_reset_requests_are_rate_limited_silently(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """Past the limit, no more mail is sent, and the page still says the same thing."""
    confirmed(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        pages = [_page(forgot(client, "parent", ip=f"10.0.1.{n}")) for n in range(4)]
    assert len(mailoutbox) == 2
    assert len(set(pages)) == 1


def reset_link(client, person, mailoutbox, capture) -> str:
    confirmed(person)
    with capture(execute=True):
        forgot(client, person.username)
    return re.search(r"http://testserver(/\S+/)", mailoutbox[-1].body).group(1)


def test_a_reset_link_sets_a_new_password_and_revokes_everything(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """The link → new password (policy) → old password, sessions and tokens gone, link
    dead."""
    Token.objects.create(user=world.parent)
    elsewhere = Client()
    elsewhere.force_login(world.parent, backend="django.contrib.auth.backends.ModelBackend")
    path = reset_link(client, world.parent, mailoutbox, django_capture_on_commit_callbacks)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].endswith("/definir/")
    page = response["Location"]
    response = client.post(page, {"new_password1": "court", "new_password2": "court"})
    assert response.status_code == 200 and "trop court" in response.content.decode()
    response = client.post(page, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    world.parent.refresh_from_db()
    assert world.parent.check_password(NEW)
    assert not Token.objects.filter(user=world.parent).exists()
    assert elsewhere.get("/").status_code == 302
    assert SecurityEvent.objects.filter(kind="password_reset", subject=world.parent).exists()
    assert client.get(path).status_code == 400  # used once


def test_a_tampered_reset_link_is_refused(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    """A link whose token was changed is refused and sets nothing."""
    path = reset_link(client, world.parent, mailoutbox, django_capture_on_commit_callbacks)
    response = client.get(path[:-3] + "xx/")
    assert response.status_code == 400 and "pas valable" in response.content.decode()
    response = client.post(
        reverse("accounts:password_reset_confirm", args=["MQ", "definir"]),
        {"new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 400
    world.parent.refresh_from_db()
    assert world.parent.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("url", "label"),
    [
        (CHANGE, '<label for="id_old_password">Mot de passe actuel</label>'),
        (EMAIL, '<label for="id_email">Nouvelle adresse électronique</label>'),
        (FORGOT, '<label for="id_identifier">Identifiant ou adresse électronique</label>'),
    ],
)
def test_the_pages_are_french_and_labelled(login, world, url, label):
    """Password, e-mail and forgotten-password pages render with labelled fields."""
    response = login(world.parent).get(url) if url != FORGOT else login(None).get(url)
    assert response.status_code == 200
    assert label in response.content.decode()
