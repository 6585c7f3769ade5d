"""Login rules: one generic error, lockout per account and per address, no open redirect,
and a security event for every attempt."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.directory import services
from ostal.directory.models import Person

LOGIN = reverse("accounts:login")
GENERIC = "Identifiant ou mot de passe incorrect"


def post_login(client, username, password, **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, **extra},
        REMOTE_ADDR=extra.pop("ip", "10.0.0.1"),
    )


def test_the_login_page_is_french_and_labelled(client, db):
    """The login page is in French and every field has a label."""
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert '<label for="id_username">Identifiant</label>' in html
    assert '<label for="id_password">Mot de passe</label>' in html


def test_a_good_password_logs_in_and_is_recorded(client, world):
    """A correct login opens the home page and leaves a 'login' security event."""
    response = post_login(client, "parent", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    event = SecurityEvent.objects.get(kind="login")
    assert event.subject == world.parent and event.ip_address == "10.0.0.1"


@pytest.mark.parametrize(
    "case", ["wrong_password", "unknown_account", "suspended_account", "to_activate"]
)
def test_every_failure_gets_the_same_generic_message(client, world, case):
    """Wrong password, unknown, suspended or unactivated account: one message, no hint."""
    username, password = "parent", PASSWORD
    if case == "wrong_password":
        password = "nope"
    elif case == "unknown_account":
        username = "nobody.here"
    elif case == "suspended_account":
        services.person_set_state(person=world.parent, state=Person.State.SUSPENDED)
    else:
        services.person_set_state(person=world.parent, state=Person.State.TO_ACTIVATE)
    response = post_login(client, username, password)
    assert response.status_code == 200
    assert GENERIC in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = SecurityEvent.objects.filter(kind="login_failed", username=username)
    assert failed.count() == 1


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, world):
    """After the failure limit, even the right password is refused with the lockout page."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "parent", "wrong", ip=f"10.1.0.{_}")
    response = post_login(client, "parent", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="lockout", subject=world.parent).exists()


def test_a_locked_unknown_account_looks_like_a_locked_real_one(client, world):
    """Lockout says nothing about whether the account exists."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "parent", "wrong", ip=f"10.2.0.{i}")
        post_login(client, "nobody.here", "wrong", ip=f"10.3.0.{i}")
    real = post_login(client, "parent", "wrong", ip="10.4.0.1")
    ghost = post_login(client, "nobody.here", "wrong", ip="10.4.0.2")
    assert real.status_code == ghost.status_code == 429
    strip = lambda r: r.content.decode().replace(r.wsgi_request.META.get("CSRF_COOKIE", ""), "")  # noqa: E731
    assert strip(real).count("bloquée") == strip(ghost).count("bloquée")


def test_one_address_spraying_many_accounts_is_locked_out(client, world):
    """Failures from one address across accounts lock that address out."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, f"someone{i}", "wrong", ip="10.5.5.5")
    response = post_login(client, "parent", PASSWORD, ip="10.5.5.5")
    assert response.status_code == 429
    assert AccessAttempt.objects.filter(ip_address="10.5.5.5").exists()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_redirects_off_site(client, world, target):
    """``next=`` only ever leads to a page of Ostal (no open redirect)."""
    response = post_login(client, "parent", PASSWORD, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_to_a_local_page_is_followed(client, world):
    """A local ``next=`` is honoured after login."""
    response = post_login(client, "parent", PASSWORD, next="/compte/")
    assert response["Location"] == "/compte/"


def test_logout_is_a_post_and_is_recorded(client, world):
    """Logging out takes a POST (no logout by link) and leaves a security event."""
    client.force_login(world.parent)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="logout", subject=world.parent).exists()


def test_passwords_are_hashed_with_argon2_in_real_settings():
    """The deployed hasher is argon2id tuned for small hosts (tests use a fast one)."""
    from django.utils.module_loading import import_string

    import ostal.settings as real

    hasher = import_string(real.PASSWORD_HASHERS[0])()
    assert hasher.algorithm == "argon2"
    encoded = hasher.encode("secret", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=47104,t=2,p=1$")
    assert hasher.verify("secret", encoded) and not hasher.verify("other", encoded)


def test_the_login_page_links_to_activation_and_forgotten_password(client, db):
    """The login page leads to account activation and to the forgotten-password page."""
    html = client.get(LOGIN).content.decode()
    assert f'href="{reverse("accounts:activate")}"' in html
    assert f'href="{reverse("accounts:password_forgot")}"' in html
    assert "Autres façons de se connecter" in html  # federated logins (EduConnect, académies)


@pytest.fixture
def low_address_limits(settings):
    from django.core.cache import cache

    cache.clear()
    settings.OSTAL_LOGIN_FAILURES_PER_ADDRESS = "3/10m"
    settings.OSTAL_LOGIN_RATE_PER_ADDRESS = "100/m"
    yield settings
    cache.clear()


def test_one_address_spraying_with_changing_browsers_is_slowed(client, world, low_address_limits):
    """One address failing on many accounts, whatever its user agent, is refused next."""
    for i in range(3):
        client.post(
            LOGIN,
            {"username": f"someone{i}", "password": "wrong"},
            REMOTE_ADDR="10.6.6.6",
            HTTP_USER_AGENT=f"bot/{i}",
        )
    response = client.post(
        LOGIN,
        {"username": "parent", "password": PASSWORD},
        REMOTE_ADDR="10.6.6.6",
        HTTP_USER_AGENT="bot/9",
    )
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind="lockout", data__limit="address").exists()
    # Another address is not affected.
    assert post_login(client, "parent", PASSWORD, ip="10.6.6.7").status_code == 302


def test_the_address_limit_looks_the_same_for_real_and_unknown_accounts(
    client, world, low_address_limits
):
    """Refused by the address limit: same page whether the account exists or not."""
    for i in range(3):
        post_login(client, f"ghost{i}", "wrong", ip="10.7.7.7")
    real = post_login(client, "parent", PASSWORD, ip="10.7.7.7")
    ghost = post_login(client, "nobody.here", "whatever", ip="10.7.7.7")
    assert real.status_code == ghost.status_code == 429
    body = lambda r: r.content.decode().split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert body(real) == body(ghost)


def test_too_many_posts_from_one_address_are_refused(client, world, settings):
    """Even successful logins are capped per address (a flood is refused)."""
    from django.core.cache import cache

    cache.clear()
    settings.OSTAL_LOGIN_RATE_PER_ADDRESS = "2/m"
    assert post_login(client, "parent", PASSWORD, ip="10.8.8.8").status_code == 302
    client.logout()
    assert post_login(client, "parent", PASSWORD, ip="10.8.8.8").status_code == 302
    client.logout()
    assert post_login(client, "parent", PASSWORD, ip="10.8.8.8").status_code == 429
    cache.clear()


def test_an_old_hash_is_upgraded_to_the_tuned_argon2_at_login(client, world, settings):
    """A PBKDF2 (or Django-default argon2) hash is re-hashed with the tuned argon2 at login."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    settings.PASSWORD_HASHERS = [
        "ostal.accounts.hashers.TunedArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    world.parent.password = PBKDF2PasswordHasher().encode(PASSWORD, "somesalt", iterations=1000)
    world.parent.save(update_fields=["password"])
    assert post_login(client, "parent", PASSWORD).status_code == 302
    world.parent.refresh_from_db()
    assert world.parent.password.startswith("argon2$argon2id$v=19$m=47104,t=2,p=1$")


def test_login_page_names_the_site_not_the_host(client, settings, db):
    """The login page shows the deployment's name (OSTAL_SITE_NAME), never the request's
    host such as « 127.0.0.1:8000 »."""
    settings.OSTAL_SITE_NAME = "ENT Occitanie"
    response = client.get("/comptes/connexion/", HTTP_HOST="127.0.0.1")
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["site_name"] == "ENT Occitanie"
    assert "<title>Connexion – ENT Occitanie</title>" in page and "127.0.0.1" not in page
