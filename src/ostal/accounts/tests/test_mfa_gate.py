"""Second factor: mandatory for admins (school, collectivité, region) and operators,
optional for other staff, never asked of pupils and parents; until the code is given, a
session reaches nothing but the second-factor pages."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ostal.accounts import mfa
from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent
from ostal.directory import services
from ostal.directory.models import Person, Profile

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:mfa_setup")
VERIFY = reverse("accounts:mfa_verify")
RECOVERY = reverse("accounts:mfa_recovery_codes")


@pytest.fixture(autouse=True)
def gate_on(settings):
    cache.clear()
    settings.OSTAL_MFA_ENFORCED = True
    yield
    cache.clear()


def password_login(username: str, next_url: str = "") -> tuple[Client, object]:
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT="Firefox/140.0")
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client, client.post(LOGIN, data)


def code(device: TOTPDevice, drift: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"


def enrol(client: Client, person: Person) -> list[str]:
    """Go through the setup page with a code computed from the device key."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302 and response["Location"].startswith(RECOVERY)
    return shown_codes(client.get(RECOVERY).content.decode())


def shown_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>(\w+)</code></li>", page)


@pytest.mark.parametrize("persona", ["admin", "other_admin"])
def test_a_school_admin_is_sent_to_setup_after_the_password(world, persona):
    """A school admin without a second factor is sent to the setup page after login."""
    person = world.persona(persona)
    client, response = password_login(person.username)
    assert response.status_code == 302 and response["Location"] == SETUP
    assert client.session["_auth_user_id"] == str(person.pk)


def test_collectivite_region_admins_and_operators_must_use_a_second_factor(world):
    """Collectivité and region admins (AuthorityRole admin) and operators: mandatory too."""
    services.authority_role_grant(
        person=world.agent, authority=world.college.responsible_authority, is_admin=True
    )
    _client, response = password_login("agent")
    assert response["Location"] == SETUP
    operator = Person.objects.create_user(
        "exploitant", PASSWORD, profile=Profile.GUEST, last_name="Op", is_staff=True
    )
    _client, response = password_login(operator.username)
    assert response["Location"] == SETUP


@pytest.mark.parametrize("persona", ["pupil", "parent", "teacher", "agent"])
def test_people_without_an_admin_role_are_not_asked(world, persona):
    """Pupils, parents and staff who did not choose a second factor go straight in."""
    client, response = password_login(world.persona(persona).username)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("persona", ["pupil", "parent"])
def test_pupils_and_parents_are_never_offered_a_second_factor(world, persona):
    """The setup page does not exist for pupils and parents; the profile says nothing."""
    client, _ = password_login(world.persona(persona).username)
    assert client.get(SETUP).status_code == 404
    assert "Double authentification" not in client.get(reverse("web:account")).content.decode()
    assert not TOTPDevice.objects.exists()


def test_an_admin_reaches_nothing_before_the_second_factor(world):
    """Before setup, classes, the profile and the API are closed; logout still works."""
    client, _ = password_login("admin")
    class_url = reverse("web:class", args=[world.class_4b.pk])
    response = client.get(class_url)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fclasses%2F{world.class_4b.pk}%2F"
    assert client.get(reverse("web:account"))["Location"].startswith(SETUP)
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "second_factor_required"
    assert client.get(VERIFY)["Location"].startswith(SETUP)
    assert client.post(reverse("accounts:logout")).status_code == 200


def test_setup_with_a_first_code_enables_the_factor_and_shows_recovery_codes_once(world):
    """The first code confirms the app; 10 recovery codes are shown once; access opens."""
    client, _ = password_login("admin", next_url=reverse("web:account"))
    page = client.get(SETUP).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page and 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=world.admin)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302
    shown = shown_codes(client.get(RECOVERY).content.decode())
    stored = {t.token for t in StaticToken.objects.filter(device__user=world.admin)}
    # Only keyed digests are stored, never the codes themselves.
    assert len(shown) == 10 and stored == {mfa.recovery_digest(c) for c in shown}
    assert not stored & set(shown)
    again = client.get(RECOVERY).content.decode()
    assert not shown_codes(again) and "Il vous reste 10 codes" in again
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("web:class", args=[world.class_4b.pk])).status_code in {200, 404}
    assert client.get("/api/v1/me/").status_code == 200
    assert SecurityEvent.objects.filter(kind="mfa_enabled", subject=world.admin).exists()


def test_a_wrong_first_code_enables_nothing(world):
    """A wrong code at setup: a clear message, the device stays unconfirmed, event logged."""
    client, _ = password_login("admin")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Ce code ne correspond pas" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.admin, confirmed=True).exists()
    assert not StaticToken.objects.exists()
    assert SecurityEvent.objects.filter(kind="mfa_failed", subject=world.admin).exists()


def test_next_login_asks_for_the_code_and_accepts_the_app_code(world):
    """Once enrolled, the admin logs in with password then the code of the app."""
    client, _ = password_login("admin")
    enrol(client, world.admin)
    client.post(reverse("accounts:logout"))
    client, response = password_login("admin", next_url=reverse("web:account"))
    assert response["Location"] == f"{VERIFY}?next=%2Fcompte%2F"
    assert client.get("/api/v1/me/").status_code == 403
    device = TOTPDevice.objects.get(user=world.admin, confirmed=True)
    response = client.post(VERIFY, {"code": code(device, drift=1), "next": "/compte/"})
    assert response.status_code == 302 and response["Location"] == "/compte/"
    assert client.get("/api/v1/me/").status_code == 200


def test_a_wrong_code_is_refused_and_logged(world):
    """A wrong code keeps the session closed, says so in French, and is logged."""
    client, _ = password_login("admin")
    enrol(client, world.admin)
    client.post(reverse("accounts:logout"))
    client, _ = password_login("admin")
    response = client.post(VERIFY, {"code": "123456"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    assert SecurityEvent.objects.filter(kind="mfa_failed", subject=world.admin).exists()


def test_wrong_codes_are_rate_limited_per_account(world, settings):
    """After the limit of wrong codes, even a right code waits (429)."""
    settings.OSTAL_MFA_FAILURES_PER_ACCOUNT = "3/15m"
    client, _ = password_login("admin")
    enrol(client, world.admin)
    client.post(reverse("accounts:logout"))
    client, _ = password_login("admin")
    for _ in range(3):
        client.post(VERIFY, {"code": "zzzzzzzz"})
    device = TOTPDevice.objects.get(user=world.admin, confirmed=True)
    response = client.post(VERIFY, {"code": code(device, drift=1)})
    assert response.status_code == 429
    assert "Trop de codes erronés" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once_only(world):
    """A recovery code opens the session once, then is spent."""
    client, _ = password_login("admin")
    codes = enrol(client, world.admin)
    assert len(codes) == 10
    client.post(reverse("accounts:logout"))
    client, _ = password_login("admin")
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=world.admin).count() == 9
    assert SecurityEvent.objects.get(kind="mfa_recovery").data == {"left": 9}
    client.post(reverse("accounts:logout"))
    client, _ = password_login("admin")
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200 and "Code incorrect" in response.content.decode()


def test_regenerating_recovery_codes_replaces_them_all(world):
    """New recovery codes make the old ones useless."""
    client, _ = password_login("admin")
    old = enrol(client, world.admin)
    client.post(RECOVERY)
    new = shown_codes(client.get(RECOVERY).content.decode())
    stored = {t.token for t in StaticToken.objects.filter(device__user=world.admin)}
    assert len(new) == 10 and not set(old) & set(new)
    assert stored == {mfa.recovery_digest(c) for c in new}


def test_optional_staff_may_enable_then_is_asked_then_may_disable(world):
    """A teacher may choose a second factor; then it is asked; they may turn it off."""
    client, _ = password_login("prof")
    enrol(client, world.teacher)
    client.post(reverse("accounts:logout"))
    client, response = password_login("prof")
    assert response["Location"] == VERIFY
    device = TOTPDevice.objects.get(user=world.teacher, confirmed=True)
    client.post(VERIFY, {"code": code(device, drift=1)})
    response = client.post(SETUP, {"action": "disable"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.teacher).exists()
    assert not StaticToken.objects.filter(device__user=world.teacher).exists()
    assert SecurityEvent.objects.filter(kind="mfa_disabled", subject=world.teacher).exists()


def test_an_admin_cannot_disable_the_mandatory_factor(world):
    """A school admin's second factor cannot be turned off."""
    client, _ = password_login("admin")
    enrol(client, world.admin)
    response = client.post(SETUP, {"action": "disable"}, follow=True)
    assert "obligatoire" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin, confirmed=True).exists()
    assert not SecurityEvent.objects.filter(kind="mfa_disabled").exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_the_second_factor_never_redirects_off_site(world, target):
    """``next`` after the code only leads to a page of Ostal."""
    client, _ = password_login("admin")
    enrol(client, world.admin)
    client.post(reverse("accounts:logout"))
    client, _ = password_login("admin")
    device = TOTPDevice.objects.get(user=world.admin, confirmed=True)
    response = client.post(VERIFY, {"code": code(device, drift=1), "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_gate_answers_from_a_session_cache_for_pupils(world, django_assert_max_num_queries):
    """A pupil's pages do not pay a query for the gate once checked (session cache)."""
    from ostal.accounts.gate import pending_step_url
    from ostal.accounts.middleware import SessionGateMiddleware  # noqa: F401

    client, _ = password_login("eleve")
    client.get("/")
    request = client.get("/").wsgi_request
    with django_assert_max_num_queries(0):
        assert pending_step_url(request) is None


@pytest.mark.parametrize(
    "url",
    ["/cas/login?service=https%3A%2F%2Fpronote.example%2F", "/o/authorize/?client_id=x"],
)
def test_single_sign_on_doors_are_closed_until_the_second_factor(world, url):
    """No CAS ticket and no OIDC authorization for a session that owes its code."""
    client, _ = password_login("admin")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP}?next=")
    assert not SecurityEvent.objects.filter(kind__in=["ticket_issued", "token_issued"]).exists()
