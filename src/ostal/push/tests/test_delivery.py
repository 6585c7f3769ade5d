"""Web Push delivery, end to end against the local push service double: the payload is
encrypted for the device (the test decrypts it as the phone would) and holds only a fixed
title and the child's first name; quiet hours hold notices; gone devices are pruned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from ostal.conftest import World
from ostal.directory.models import Subject
from ostal.messaging import services as messaging
from ostal.notifications.channels import Event, notify
from ostal.notifications.services import preferences_update
from ostal.push import services
from ostal.push.models import PushNotice, PushSubscription
from ostal.push.tests.pushdouble import PushServiceDouble
from ostal.timetable.models import Course
from ostal.timetable.services import course_change_record
from ostal.timetable.tests.conftest import make_course

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 30)
ALLOWED = {"title", "child"}


def maths_course(world: World) -> Course:
    maths = Subject.objects.get(code="061300")
    return make_course(world, weekday=1, start="08:00", end="09:00", subject=maths)


def test_cancelled_course_reaches_the_parent_encrypted_with_only_title_and_first_name(
    school_week_clock: Any,
    world: World,
    push_service: PushServiceDouble,
    subscribe: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A teacher's cancelled course reaches the parent's phone as a push the phone decrypts:
    the title « Cours annulé » and the child's first name, nothing else (no subject, room,
    teacher or note)."""
    course = maths_course(world)
    phone, _ = subscribe(world.parent, "téléphone")
    with django_capture_on_commit_callbacks(execute=True):
        course_change_record(
            course=course, day=MONDAY, kind="cancelled", actor=world.teacher, note="Sortie au musée"
        )
    received = push_service.for_device(phone)
    assert len(received) == 1
    push = received[0]
    assert push.headers["content-encoding"] == "aes128gcm"
    assert int(push.headers["ttl"]) > 0
    assert b"Alice" not in push.body  # encrypted on the wire
    payload = phone.decrypt(push)
    assert payload == {"title": "Cours annulé", "child": "Alice"}
    assert set(payload) <= ALLOWED
    assert PushNotice.objects.filter(person=world.parent, sent_at__isnull=False).count() == 1
    sub = PushSubscription.objects.get(person=world.parent)
    assert sub.last_success_at is not None and sub.failures == 0


def test_received_message_push_never_holds_its_subject_or_body(
    school_week_clock: Any,
    world: World,
    push_service: PushServiceDouble,
    subscribe: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A message about a pupil pushes « Nouveau message » and the pupil's first name; its
    subject and body stay in Ostal."""
    phone, _ = subscribe(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_send(
            sender=world.teacher,
            targets=[f"p:{world.parent.pk}"],
            subject="Note de contrôle : 4/20",
            body="<p>Alice a eu 4/20 au contrôle.</p>",
            about_pupil=world.pupil,
        )
    received = push_service.for_device(phone)
    assert len(received) == 1
    payload = phone.decrypt(received[0])
    assert payload == {"title": "Nouveau message", "child": "Alice"}
    assert "4/20" not in repr(payload)


def test_only_people_with_a_device_get_a_notice_and_each_device_gets_the_push(
    school_week_clock: Any, world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """A person without a device gets no notice; a person with two devices gets the push
    on both; a staff recipient gets no child's name when the message is about none."""
    phone, _ = subscribe(world.teacher, "téléphone")
    laptop, _ = subscribe(world.teacher, "ordinateur")
    assert (
        services.push_enqueue(
            Event.MESSAGE_RECEIVED, {world.teacher.pk: None, world.admin.pk: None}
        )
        == 1
    )
    assert not PushNotice.objects.filter(person=world.admin).exists()
    report = services.push_deliver()
    assert report.pushes == 2
    for device in (phone, laptop):
        [push] = push_service.for_device(device)
        assert device.decrypt(push) == {"title": "Nouveau message"}


def test_quiet_hours_hold_the_push_until_they_end(
    time_machine: Any, world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """At 22:00 (default quiet hours 20:00–07:00) the notice waits; the job sends it at
    07:00, not before."""
    time_machine.move_to(datetime(2026, 12, 1, 22, 0, tzinfo=PARIS), tick=False)
    phone, _ = subscribe(world.parent)
    services.push_enqueue(Event.COURSE_CANCELLED, {world.parent.pk: "Alice"})
    notice = PushNotice.objects.get(person=world.parent)
    assert notice.not_before == datetime(2026, 12, 2, 7, 0, tzinfo=PARIS)
    assert services.push_deliver().pushes == 0
    assert push_service.for_device(phone) == []
    time_machine.move_to(datetime(2026, 12, 2, 6, 59, tzinfo=PARIS), tick=False)
    assert services.push_deliver().pushes == 0
    time_machine.move_to(datetime(2026, 12, 2, 7, 1, tzinfo=PARIS), tick=False)
    assert services.push_deliver().pushes == 1
    assert phone.decrypt(push_service.for_device(phone)[0])["child"] == "Alice"


def test_own_quiet_hours_apply_and_none_means_at_once(
    time_machine: Any, world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """Someone who turned quiet hours off is notified at 23:00 at once."""
    time_machine.move_to(datetime(2026, 12, 1, 23, 0, tzinfo=PARIS), tick=False)
    preferences_update(
        person=world.parent, email_digest="daily", daily_hour=18, quiet_start=None, quiet_end=None
    )
    phone, _ = subscribe(world.parent)
    services.push_enqueue(Event.MESSAGE_RECEIVED, {world.parent.pk: None})
    assert services.push_deliver().pushes == 1
    assert len(push_service.for_device(phone)) == 1


def test_notices_of_one_night_are_grouped_and_old_ones_dropped(
    time_machine: Any, world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """Ten messages of the same night make one push; a notice older than a day is dropped."""
    time_machine.move_to(datetime(2026, 12, 1, 21, 0, tzinfo=PARIS), tick=False)
    phone, _ = subscribe(world.parent)
    for _ in range(10):
        services.push_enqueue(Event.MESSAGE_RECEIVED, {world.parent.pk: "Alice"})
    time_machine.move_to(datetime(2026, 12, 2, 7, 5, tzinfo=PARIS), tick=False)
    report = services.push_deliver()
    assert (report.notices, report.pushes) == (10, 1)
    services.push_enqueue(Event.MESSAGE_RECEIVED, {world.parent.pk: "Alice"})
    time_machine.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=PARIS), tick=False)
    report = services.push_deliver()
    assert (report.dropped, report.pushes) == (1, 0)
    assert len(push_service.for_device(phone)) == 1


def test_a_device_the_push_service_no_longer_knows_is_pruned(
    school_week_clock: Any, world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """410 Gone (or 404) deletes the subscription; a passing failure (503) is counted and
    the subscription kept, until MAX_FAILURES in a row."""
    gone, gone_row = subscribe(world.parent, "ancien téléphone")
    flaky, flaky_row = subscribe(world.parent, "tablette")
    push_service.gone.add(gone.endpoint.rsplit("/", 1)[1])
    push_service.failing.add(flaky.endpoint.rsplit("/", 1)[1])
    services.push_enqueue(Event.MESSAGE_RECEIVED, {world.parent.pk: None})
    report = services.push_deliver()
    assert report.failed == 2
    assert not PushSubscription.objects.filter(pk=gone_row.pk).exists()
    flaky_row.refresh_from_db()
    assert flaky_row.failures == 1
    PushSubscription.objects.filter(pk=flaky_row.pk).update(failures=services.MAX_FAILURES - 1)
    services.push_enqueue(Event.MESSAGE_RECEIVED, {world.parent.pk: None})
    services.push_deliver()
    assert not PushSubscription.objects.filter(pk=flaky_row.pk).exists()


def test_a_changed_vapid_key_is_refused_by_the_push_service(
    world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """The double checks each request's VAPID signature: an unsigned push is refused (403)
    and counted as a failure, not delivered."""
    from pywebpush import WebPushException, webpush

    device, _ = subscribe(world.parent)
    with pytest.raises(WebPushException):
        webpush(
            subscription_info={
                "endpoint": device.endpoint,
                "keys": {"p256dh": device.p256dh, "auth": device.auth_b64},
            },
            data='{"title": "x"}',
        )
    assert push_service.received == []


def test_a_failing_channel_never_breaks_the_caller(world: World) -> None:
    """``notify`` logs a failing channel and returns: the change is already committed."""
    from ostal.notifications import channels

    def broken(event: Event, recipients: Any) -> None:
        raise RuntimeError("down")

    channels.register_channel("broken", broken)
    try:
        notify(Event.MESSAGE_RECEIVED, {world.parent.pk: None})
    finally:
        channels._channels.pop("broken")
    assert PushNotice.objects.count() == 0


def test_the_same_browser_subscribed_by_someone_else_moves_to_them(
    world: World, push_service: PushServiceDouble, subscribe: Any
) -> None:
    """A shared device: once another person subscribes the same browser, the previous
    person's notices no longer reach it."""
    device, row = subscribe(world.parent)
    services.subscription_save(
        person=world.other_parent,
        endpoint=device.endpoint,
        p256dh=device.p256dh,
        auth=device.auth_b64,
    )
    row.refresh_from_db()
    assert row.person == world.other_parent
    assert PushSubscription.objects.count() == 1
    assert services.push_enqueue(Event.MESSAGE_RECEIVED, {world.parent.pk: "Alice"}) == 0


@pytest.mark.parametrize(
    ("endpoint", "p256dh", "auth", "field"),
    [
        ("pas une adresse", None, None, "endpoint"),
        ("ftp://push.example/x", None, None, "endpoint"),
        (None, "AAAA", None, "p256dh"),
        (None, None, "%%%", "auth"),
    ],
)
def test_bad_subscriptions_are_refused_in_french_and_nothing_is_stored(
    world: World, push_service: PushServiceDouble, endpoint: Any, p256dh: Any, auth: Any, field: str
) -> None:
    """A malformed endpoint or key is refused with a French message naming the field."""
    device = push_service.device()
    with pytest.raises(ValidationError) as error:
        services.subscription_save(
            person=world.parent,
            endpoint=endpoint or device.endpoint,
            p256dh=p256dh or device.p256dh,
            auth=auth or device.auth_b64,
        )
    assert field in error.value.message_dict
    assert PushSubscription.objects.count() == 0


def test_plain_http_endpoints_are_refused_in_production(
    settings: Any, world: World, push_service: PushServiceDouble
) -> None:
    """Production accepts only https push services."""
    settings.OSTAL_PUSH_ALLOW_HTTP = False
    device = push_service.device()
    with pytest.raises(ValidationError) as error:
        services.subscription_save(
            person=world.parent,
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=device.auth_b64,
        )
    assert "HTTPS" in error.value.message_dict["endpoint"][0]
    assert PushSubscription.objects.count() == 0


def test_erasure_removes_devices_and_notices(world: World, subscribe: Any) -> None:
    """RGPD erasure takes a person's devices and waiting notices."""
    subscribe(world.parent)
    services.push_enqueue(Event.TEST, {world.parent.pk: None})
    assert services.push_erase([world.parent.pk]) == 2
    assert not PushSubscription.objects.exists() and not PushNotice.objects.exists()
