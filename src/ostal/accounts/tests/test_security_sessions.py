"""Sessions and devices: every login is listed, any session can be closed from elsewhere,
a new device is announced; a reset closes every session; both session backends work."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ostal.accounts.models import KnownDevice, TrackedSession
from ostal.accounts.services.security import credentials_revoke_all
from ostal.conftest import PASSWORD
from ostal.core.models import SecurityEvent

LOGIN = reverse("accounts:login")
SESSIONS = reverse("accounts:sessions")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
ANDROID = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/140.0 Mobile Safari/537.36"


def browser_login(username: str, ua: str = FIREFOX, ip: str = "10.0.0.1", client=None) -> Client:
    client = client or Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def signed_in(client: Client) -> bool:
    return client.get(reverse("web:account")).status_code == 200


def test_a_login_opens_a_tracked_session_on_a_known_device(world):
    """A login records its session (address, browser) and the device it came from."""
    client = browser_login("parent")
    tracked = TrackedSession.objects.get(person=world.parent)
    assert tracked.session_key == client.session.session_key
    assert tracked.ip_address == "10.0.0.1" and tracked.label == "Firefox sur Windows"
    assert tracked.device.person == world.parent
    cookie = client.cookies["ostal_device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert tracked.device.device_hash not in cookie.value  # only a hash is stored


def test_the_same_browser_is_recognised_at_the_next_login(world, mailoutbox):
    """Logging in again from the same browser (its device cookie) is no new device."""
    client = browser_login("parent")
    client.post(reverse("accounts:logout"))
    browser_login("parent", client=client)
    assert KnownDevice.objects.filter(person=world.parent).count() == 1
    assert not SecurityEvent.objects.filter(kind="new_device").exists()
    assert mailoutbox == []


def test_a_new_device_is_announced_by_mail_to_a_confirmed_address(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """A login from an unknown device: event, mail to the confirmed address, notice."""
    world.parent.email = "diane@example.org"
    world.parent.email_confirmed_at = timezone.now()
    world.parent.save()
    with django_capture_on_commit_callbacks(execute=True):
        browser_login("parent")
    assert mailoutbox == []  # the first device of an account is not a surprise
    with django_capture_on_commit_callbacks(execute=True):
        phone = browser_login("parent", ua=ANDROID, ip="10.0.0.2")
    event = SecurityEvent.objects.get(kind="new_device")
    assert event.subject == world.parent and event.data["device"] == "Chrome sur Android"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["diane@example.org"]
    assert "Chrome sur Android" in mailoutbox[0].body and "10.0.0.2" in mailoutbox[0].body
    page = phone.get(reverse("web:account")).content.decode()
    assert "Connexions depuis un nouvel appareil" in page and "Chrome sur Android" in page


def test_an_unconfirmed_address_receives_no_new_device_mail(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """Only a confirmed e-mail receives the alert (the event is recorded anyway)."""
    world.parent.email = "diane@example.org"
    world.parent.save()
    with django_capture_on_commit_callbacks(execute=True):
        browser_login("parent")
        browser_login("parent", ua=ANDROID)
    assert SecurityEvent.objects.filter(kind="new_device", subject=world.parent).count() == 1
    assert mailoutbox == []


def test_the_sessions_page_lists_my_sessions_and_marks_the_current_one(world):
    """Each of my sessions is listed; the one I am using is marked; others' are not."""
    laptop = browser_login("parent")
    browser_login("parent", ua=ANDROID)
    browser_login("autre.parent")
    html = laptop.get(SESSIONS).content.decode()
    assert html.count("cette session") == 1
    assert "Chrome sur Android" in html and "Firefox sur Windows" in html
    others = TrackedSession.objects.exclude(person=world.parent).values_list("pk", flat=True)
    assert html.count('name="session"') == 1  # one other session of mine, closable
    assert all(f'name="session" value="{pk}"' not in html for pk in others)


def test_closing_a_session_logs_that_browser_out(world):
    """Closing one session from another device signs that device out at once."""
    laptop = browser_login("parent")
    phone = browser_login("parent", ua=ANDROID)
    target = TrackedSession.objects.get(session_key=phone.session.session_key)
    response = laptop.post(SESSIONS, {"session": target.pk})
    assert response.status_code == 302
    assert not TrackedSession.objects.filter(pk=target.pk).exists()
    assert not signed_in(phone)
    assert signed_in(laptop)
    event = SecurityEvent.objects.get(kind="session_revoked")
    assert event.subject == world.parent and event.data["sessions"] == 1


def test_nobody_can_close_someone_elses_session(world):
    """A session of another account cannot be closed (nothing happens)."""
    mine = browser_login("parent")
    theirs = browser_login("autre.parent")
    target = TrackedSession.objects.get(session_key=theirs.session.session_key)
    response = mine.post(SESSIONS, {"session": target.pk}, follow=True)
    assert "Cette session n&#x27;existe plus." in response.content.decode()
    assert TrackedSession.objects.filter(pk=target.pk).exists() and signed_in(theirs)
    assert not SecurityEvent.objects.filter(kind="session_revoked").exists()


def test_closing_all_other_sessions_keeps_mine(world):
    """ "Close all other sessions" signs out every other browser, not this one."""
    laptop = browser_login("parent")
    phones = [browser_login("parent", ua=ANDROID, ip=f"10.0.1.{i}") for i in range(2)]
    laptop.post(SESSIONS, {"action": "revoke_others"})
    assert signed_in(laptop) and not any(signed_in(p) for p in phones)
    assert list(
        TrackedSession.objects.filter(person=world.parent).values_list("session_key", flat=True)
    ) == [laptop.session.session_key]


def test_a_reset_closes_every_session_of_the_account(world):
    """``credentials_revoke_all`` (reset, activation) closes every tracked session."""
    clients = [browser_login("parent", ip=f"10.0.2.{i}") for i in range(2)]
    other = browser_login("autre.parent")
    counts = credentials_revoke_all(person=world.parent, reason="password_reset")
    assert counts["sessions"] == 2
    assert not any(signed_in(c) for c in clients) and signed_in(other)
    assert not TrackedSession.objects.filter(person=world.parent).exists()
    assert SecurityEvent.objects.get(kind="credentials_revoked").data["sessions"] == 2


def test_logout_forgets_the_session(world):
    """Logging out removes the session from the list."""
    client = browser_login("parent")
    client.post(reverse("accounts:logout"))
    assert not TrackedSession.objects.filter(person=world.parent).exists()


def test_last_seen_is_written_at_most_once_per_interval(world, settings, time_machine):
    """Activity refreshes "last seen" only once every OSTAL_SESSION_TOUCH_MINUTES."""
    time_machine.move_to("2026-10-01 08:00:00+00:00", tick=False)
    client = browser_login("parent")
    tracked = TrackedSession.objects.get(person=world.parent)
    time_machine.move_to("2026-10-01 08:03:00+00:00", tick=False)
    client.get(reverse("web:account"))
    tracked.refresh_from_db()
    assert tracked.last_seen_at.minute == 0
    time_machine.move_to("2026-10-01 08:06:00+00:00", tick=False)
    client.get(reverse("web:account"))
    tracked.refresh_from_db()
    assert tracked.last_seen_at.minute == 6


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"],
)
def test_closing_sessions_works_with_the_cache_backends(world, settings, engine):
    """With sessions in the cache (production), a closed session is signed out too."""
    settings.SESSION_ENGINE = engine
    laptop = browser_login("parent")
    phone = browser_login("parent", ua=ANDROID)
    laptop.post(SESSIONS, {"action": "revoke_others"})
    assert signed_in(laptop) and not signed_in(phone)


def test_the_sessions_api_lists_and_closes_my_sessions(world):
    """GET /api/v1/me/sessions lists mine; DELETE closes one; another's is a 404."""
    laptop = browser_login("parent")
    phone = browser_login("parent", ua=ANDROID)
    theirs = browser_login("autre.parent")
    data = laptop.get("/api/v1/me/sessions").json()
    assert len(data) == 2 and sum(row["current"] for row in data) == 1
    assert {row["device"] for row in data} == {"Firefox sur Windows", "Chrome sur Android"}
    phone_row = next(row for row in data if not row["current"])
    assert laptop.delete(f"/api/v1/me/sessions/{phone_row['id']}").status_code == 204
    assert not signed_in(phone)
    other = TrackedSession.objects.get(session_key=theirs.session.session_key)
    response = laptop.delete(f"/api/v1/me/sessions/{other.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert signed_in(theirs)


def test_the_sessions_api_needs_an_account(client, db):
    """Anonymous calls to the sessions API get a 401 in the API error shape."""
    response = client.get("/api/v1/me/sessions")
    assert response.status_code == 401 and response.json()["error"]["status"] == 401
