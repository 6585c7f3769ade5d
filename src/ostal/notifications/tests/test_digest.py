"""The e-mail digest job: who is due, quiet hours, confirmed addresses, never twice,
failures isolated, privacy of the content, and a query count that does not grow with the
number of people."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostal.conftest import World
from ostal.messaging import services as messaging
from ostal.notifications import services
from ostal.notifications.models import DigestState, Frequency
from ostal.notifications.tests.conftest import SECRET_BODY, confirm, deliver, paris


def _prefs(
    person: Any, frequency: str, quiet: tuple[time, time] | None = None, hour: int = 18
) -> None:
    services.preferences_update(
        person=person,
        email_digest=frequency,
        daily_hour=hour,
        quiet_start=quiet[0] if quiet else None,
        quiet_end=quiet[1] if quiet else None,
    )


def test_a_parent_gets_one_daily_digest_at_the_default_hour_without_any_body(
    world: World, mailoutbox: list[Any], settings: Any
) -> None:
    parent = confirm(world.parent, "diane@example.org")
    deliver(
        sender=world.teacher,
        to=parent,
        subject="Sortie au musée",
        at=paris(1, 16),
        about=world.pupil,
    )
    deliver(sender=None, to=parent, subject="Réunion parents-professeurs", at=paris(1, 17))

    assert services.digest_run(now=paris(1, 17, 30)).sent == 0  # daily: from 18:00
    assert mailoutbox == []

    report = services.digest_run(now=paris(1, 18, 5))
    assert report.sent == 1 and len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["diane@example.org"]
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert mail.subject == "Ostal : 2 nouveaux messages non lus"
    assert mail.extra_headers["Auto-Submitted"] == "auto-generated"
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    for text in (mail.body, html):
        assert "Sortie au musée" in text and "Franck Garcia" in text
        assert "concerne : Alice Durand" in text
        assert "Réunion parents-professeurs" in text
        assert "https://ent.example.fr/messagerie/" in text
        assert "https://ent.example.fr/compte/notifications/" in text
        assert SECRET_BODY not in text and "4321" not in text
    assert "01/12/2026 à 16:00" in mail.body


def test_a_message_is_never_announced_twice(world: World, mailoutbox: list[Any]) -> None:
    parent = confirm(world.parent, "diane@example.org")
    deliver(sender=world.teacher, to=parent, subject="Premier", at=paris(1, 10))
    assert services.digest_run(now=paris(1, 18, 5)).sent == 1
    assert services.digest_run(now=paris(1, 18, 20)).sent == 0

    deliver(sender=world.teacher, to=parent, subject="Second", at=paris(1, 19))
    assert services.digest_run(now=paris(1, 21)).sent == 0  # one a day: tomorrow 18:00
    assert services.digest_run(now=paris(2, 17, 45)).sent == 0
    assert services.digest_run(now=paris(2, 18, 1)).sent == 1
    assert len(mailoutbox) == 2
    assert "Second" in mailoutbox[1].body and "Premier" not in mailoutbox[1].body
    assert mailoutbox[1].subject == "Ostal : 1 nouveau message non lu"


def test_hourly_digests_are_an_hour_apart(world: World, mailoutbox: list[Any]) -> None:
    teacher = confirm(world.teacher, "franck@example.org")
    _prefs(teacher, Frequency.HOURLY)
    deliver(sender=world.parent, to=teacher, subject="Absence", at=paris(1, 10))
    assert services.digest_run(now=paris(1, 10, 5)).sent == 1
    deliver(sender=world.parent, to=teacher, subject="Retard", at=paris(1, 10, 10))
    assert services.digest_run(now=paris(1, 10, 20)).sent == 0
    assert services.digest_run(now=paris(1, 11, 5)).sent == 1
    assert "Retard" in mailoutbox[1].body and "Absence" not in mailoutbox[1].body


def test_quiet_hours_across_midnight_hold_the_mail_until_they_end(
    world: World, mailoutbox: list[Any]
) -> None:
    teacher = confirm(world.teacher, "franck@example.org")
    _prefs(teacher, Frequency.HOURLY, quiet=(time(22), time(7)))
    deliver(sender=world.parent, to=teacher, subject="Tard le soir", at=paris(1, 23))
    assert services.digest_run(now=paris(1, 23, 30)).sent == 0
    assert services.digest_run(now=paris(2, 2)).sent == 0
    assert services.digest_run(now=paris(2, 6, 59)).sent == 0
    assert mailoutbox == []
    state = DigestState.objects.get(person=teacher)
    assert state.pending_since is not None and state.not_before == paris(2, 7)
    assert services.digest_run(now=paris(2, 7, 5)).sent == 1
    assert "Tard le soir" in mailoutbox[0].body


def test_changing_preferences_takes_effect_at_the_next_run(
    world: World, mailoutbox: list[Any]
) -> None:
    teacher = confirm(world.teacher, "franck@example.org")
    _prefs(teacher, Frequency.HOURLY, quiet=(time(22), time(7)))
    deliver(sender=world.parent, to=teacher, subject="Tard", at=paris(1, 23))
    assert services.digest_run(now=paris(1, 23, 30)).sent == 0  # waits until 07:00
    _prefs(teacher, Frequency.HOURLY)  # no more quiet hours
    assert services.digest_run(now=paris(1, 23, 45)).sent == 1


def test_no_mail_without_a_confirmed_address(world: World, mailoutbox: list[Any]) -> None:
    parent = world.parent
    parent.email = "pas.confirmee@example.org"
    parent.email_confirmed_at = None
    parent.save()
    deliver(sender=world.teacher, to=parent, subject="Info", at=paris(1, 10))
    report = services.digest_run(now=paris(1, 18, 5))
    assert report.sent == 0 and report.marked == 0 and mailoutbox == []


def test_nothing_new_sends_nothing(world: World, mailoutbox: list[Any]) -> None:
    parent = confirm(world.parent, "diane@example.org")
    delivery = deliver(sender=world.teacher, to=parent, subject="Déjà lu", at=paris(1, 10))
    messaging.delivery_read(delivery=delivery)
    deliver(sender=world.teacher, to=parent, subject="Mis à la corbeille", at=paris(1, 11))
    from ostal.messaging.models import Delivery

    Delivery.objects.filter(message__subject="Mis à la corbeille").update(box=Delivery.Box.TRASH)
    assert services.digest_run(now=paris(1, 18, 5)).sent == 0
    assert mailoutbox == []


def test_read_before_the_digest_hour_is_not_announced(world: World, mailoutbox: list[Any]) -> None:
    parent = confirm(world.parent, "diane@example.org")
    delivery = deliver(sender=world.teacher, to=parent, subject="Lu à temps", at=paris(1, 10))
    assert services.digest_run(now=paris(1, 10, 15)).marked == 1  # pending, waits for 18:00
    messaging.delivery_read(delivery=delivery)
    report = services.digest_run(now=paris(1, 18, 5))
    assert report.sent == 0 and report.cleared == 1 and mailoutbox == []
    assert DigestState.objects.get(person=parent).pending_since is None


def test_digest_off_and_pupils_by_default_get_nothing(world: World, mailoutbox: list[Any]) -> None:
    parent = confirm(world.parent, "diane@example.org")
    pupil = confirm(world.pupil, "alice@example.org")  # pupils: off unless they ask
    _prefs(parent, Frequency.OFF)
    deliver(sender=world.teacher, to=parent, subject="Info", at=paris(1, 10))
    deliver(sender=world.teacher, to=pupil, subject="Devoir", at=paris(1, 10))
    assert services.digest_run(now=paris(1, 18, 5)).sent == 0
    assert mailoutbox == []
    # Switching it on later does not announce what came while it was off.
    _prefs(parent, Frequency.DAILY)
    assert services.digest_run(now=paris(2, 18, 5)).sent == 0


def test_one_refused_address_does_not_block_the_others(
    world: World, mailoutbox: list[Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "ostal.notifications.tests.conftest.RefusingBackend"
    bad = confirm(world.parent, "diane@refuse.example")
    good = confirm(world.other_parent, "emma@example.org")
    deliver(sender=world.teacher, to=bad, subject="Pour Diane", at=paris(1, 10))
    deliver(sender=world.teacher, to=good, subject="Pour Emma", at=paris(1, 10))

    report = services.digest_run(now=paris(1, 18, 5))
    assert report.sent == 1 and report.failed == 1 and report.failures == [bad.pk]
    assert [m.to for m in mailoutbox] == [["emma@example.org"]]
    state = DigestState.objects.get(person=bad)
    assert state.pending_since is not None and state.last_sent_at is None  # not marked sent

    # The address is fixed; the retry waits an hour, then sends only to the one who failed.
    confirm(bad, "diane@example.org")
    assert services.digest_run(now=paris(1, 18, 30)).sent == 0
    report = services.digest_run(now=paris(1, 19, 10))
    assert report.sent == 1
    assert [m.to for m in mailoutbox] == [["emma@example.org"], ["diane@example.org"]]
    assert "Pour Diane" in mailoutbox[1].body


def test_a_real_send_is_announced(world: World, mailoutbox: list[Any]) -> None:
    teacher = confirm(world.teacher, "franck@example.org")
    _prefs(teacher, Frequency.HOURLY)
    messaging.message_send(
        sender=world.parent,
        targets=[f"p:{teacher.pk}"],
        subject="Question sur les devoirs",
        body=f"<p>{SECRET_BODY}</p>",
        about_pupil=world.pupil,
    )
    report = services.digest_run(now=timezone.now() + timedelta(minutes=2))
    assert report.sent == 1
    assert "Question sur les devoirs" in mailoutbox[0].body
    assert "concerne : Alice Durand" in mailoutbox[0].body
    assert SECRET_BODY not in mailoutbox[0].body


def test_queries_do_not_grow_with_the_number_of_people(world: World, mailoutbox: list[Any]) -> None:
    from ostal.directory import factories

    def run(count: int, day: int) -> int:
        people = [
            confirm(factories.relative(children=[world.pupil]), f"p{day}-{i}@example.org")
            for i in range(count)
        ]
        for person in people:
            deliver(sender=world.teacher, to=person, subject="Info", at=paris(day, 10))
        with CaptureQueriesContext(connection) as queries:
            report = services.digest_run(now=paris(day, 18, 5))
        assert report.sent == count
        return len(queries)

    assert run(2, 1) == run(12, 2)
