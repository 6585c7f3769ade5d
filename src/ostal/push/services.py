"""Writes of Web Push: subscriptions of a person's devices, the push channel of the
notifications, and the delivery job.

* ``subscription_save`` / ``subscription_remove``: a person adds or removes one of their
  own devices (the endpoint is unique: a browser subscribed again by someone else moves to
  them, so a shared device never gets the previous person's notices);
* ``push_channel`` (registered with ``ostal.notifications.channels``): one ``PushNotice`` per
  person who has a device, held until the end of their quiet hours (the same preferences
  as the e-mail digest), then the delivery job is queued once committed;
* ``push_deliver`` (job): the due notices, grouped per person (one push per kind and child),
  sent to each of their devices, encrypted (aes128gcm) and signed (VAPID). The payload
  holds a fixed title and the child's first name, nothing else. A device the push service
  no longer knows (404, 410) is pruned; other failures are counted and retried at the next
  run; a device that fails ``MAX_FAILURES`` times in a row is pruned too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from ostal.directory.models import Person
from ostal.notifications.channels import TITLES, Event
from ostal.notifications.models import NotificationPreference
from ostal.notifications.selectors import Preferences, in_quiet_hours, preferences_of
from ostal.push.models import PushNotice, PushSubscription

logger = logging.getLogger(__name__)

# Notices older than this when they become due are dropped (a night's quiet hours are
# shorter): news of yesterday is not news.
STALE_AFTER = timedelta(hours=16)
DELIVER_BATCH = 500
MAX_FAILURES = 5
# How long the push service keeps a notice for a device that is offline.
TTL_SECONDS = 12 * 3600
TIMEOUT_SECONDS = 10
GONE = {404, 410}
ALLOWED_FIELDS = frozenset({"title", "child"})


# --- Subscriptions ----------------------------------------------------------------------


def _b64url_check(value: str, *, field: str, sizes: set[int]) -> str:
    import base64

    value = value.strip()
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raise ValidationError({field: "Clé illisible (base64url attendu)."}) from None
    if len(raw) not in sizes:
        raise ValidationError({field: "Clé de longueur inattendue."})
    return value


def subscription_save(
    *, person: Person, endpoint: str, p256dh: str, auth: str, label: str = ""
) -> PushSubscription:
    """Record (or move to ``person``) the subscription of one browser. Bad input raises a
    French ``ValidationError`` naming the field; nothing is stored then."""
    endpoint = (endpoint or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(endpoint)
    except ValidationError:
        raise ValidationError({"endpoint": "Adresse du service push invalide."}) from None
    if len(endpoint) > 1000:
        raise ValidationError({"endpoint": "Adresse du service push trop longue."})
    if endpoint.startswith("http://") and not settings.OSTAL_PUSH_ALLOW_HTTP:
        raise ValidationError({"endpoint": "Le service push doit être joint en HTTPS."})
    p256dh = _b64url_check(p256dh or "", field="p256dh", sizes={65})
    auth = _b64url_check(auth or "", field="auth", sizes={16})
    with transaction.atomic():
        row, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "person": person,
                "p256dh": p256dh,
                "auth": auth,
                "label": (label or "").strip()[:120],
                "failures": 0,
            },
        )
    return row


def subscription_remove(*, subscription: PushSubscription) -> None:
    """Forget one device (the caller checked it is the person's own: ``selectors``)."""
    subscription.delete()


def push_erase(person_ids: list[int]) -> int:
    """RGPD erasure: the devices and waiting notices of erased people go with them."""
    subs, _ = PushSubscription.objects.filter(person_id__in=person_ids).delete()
    notices, _ = PushNotice.objects.filter(person_id__in=person_ids).delete()
    return subs + notices


# --- The channel ------------------------------------------------------------------------


def quiet_hours_end(prefs: Preferences, at: datetime) -> datetime:
    """``at`` if it is outside the quiet hours, else the end of the quiet hours
    (Europe/Paris)."""
    if not in_quiet_hours(prefs, at) or prefs.quiet_end is None:
        return at
    local = timezone.localtime(at)
    end = datetime.combine(local.date(), prefs.quiet_end, tzinfo=local.tzinfo)
    if end <= local:
        end = datetime.combine(
            local.date() + timedelta(days=1), prefs.quiet_end, tzinfo=local.tzinfo
        )
    return end


def push_enqueue(
    event: Event, recipients: Mapping[int, str | None], *, now: datetime | None = None
) -> int:
    """Store a notice for each recipient who has at least one device, due at once or at the
    end of their quiet hours; queue the delivery job once committed. Returns the count."""
    now = now or timezone.now()
    with_devices = set(
        PushSubscription.objects.filter(person_id__in=list(recipients))
        .values_list("person_id", flat=True)
        .distinct()
    )
    if not with_devices:
        return 0
    people = Person.objects.filter(pk__in=with_devices, state=Person.State.ACTIVE).only(
        "pk", "profile"
    )
    rows = {
        r.person_id: r for r in NotificationPreference.objects.filter(person_id__in=with_devices)
    }
    notices = []
    for person in people:
        prefs = preferences_of(person, rows.get(person.pk))
        notices.append(
            PushNotice(
                person_id=person.pk,
                kind=str(event),
                child_first_name=(recipients[person.pk] or "")[:250],
                created_at=now,
                not_before=quiet_hours_end(prefs, now),
            )
        )
    with transaction.atomic():
        PushNotice.objects.bulk_create(notices)
        transaction.on_commit(_queue_delivery, robust=True)
    return len(notices)


def _queue_delivery() -> None:
    from ostal.push.tasks import push_deliver_task

    push_deliver_task()


def push_channel(event: Event, recipients: Mapping[int, str | None]) -> None:
    """The Web Push channel of ``ostal.notifications.channels``."""
    if event == Event.TEST:
        return
    push_enqueue(event, recipients)


# --- Delivery ---------------------------------------------------------------------------


def push_payload(kind: str, child_first_name: str) -> bytes:
    """What leaves Ostal: a fixed title and, for a family, the child's first name."""
    payload: dict[str, str] = {"title": TITLES[Event(kind)]}
    if child_first_name:
        payload["child"] = child_first_name
    assert set(payload) <= ALLOWED_FIELDS
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _vapid() -> object:
    from py_vapid import Vapid

    from ostal.push.keys import vapid_private_pem

    return Vapid.from_pem(vapid_private_pem().encode("ascii"))


def push_send(*, subscription: PushSubscription, data: bytes, now: datetime) -> bool:
    """Send one encrypted push to one device. Returns whether it was accepted; a device the
    push service no longer knows is deleted."""
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=data.decode("utf-8"),
            vapid_private_key=_vapid(),  # type: ignore[arg-type]
            vapid_claims={"sub": settings.OSTAL_PUSH_VAPID_SUBJECT},
            content_encoding="aes128gcm",
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in GONE or subscription.failures + 1 >= MAX_FAILURES:
            logger.info("push: subscription %s pruned (status %s)", subscription.pk, status)
            subscription.delete()
        else:
            PushSubscription.objects.filter(pk=subscription.pk).update(
                failures=subscription.failures + 1
            )
        return False
    except Exception:
        logger.warning("push: subscription %s unreachable", subscription.pk, exc_info=True)
        PushSubscription.objects.filter(pk=subscription.pk).update(
            failures=subscription.failures + 1
        )
        return False
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now, failures=0)
    return True


def push_test(*, subscription: PushSubscription) -> bool:
    """The person's test notification to one of their devices (at once, quiet hours or not:
    they asked for it)."""
    return push_send(
        subscription=subscription, data=push_payload(Event.TEST, ""), now=timezone.now()
    )


@dataclass
class DeliveryReport:
    notices: int = 0
    dropped: int = 0
    pushes: int = 0
    failed: int = 0


def push_deliver(*, now: datetime | None = None) -> DeliveryReport:
    """Send the due notices (see the module's docstring)."""
    now = now or timezone.now()
    report = DeliveryReport()
    while True:
        notices = list(
            PushNotice.objects.filter(sent_at__isnull=True, not_before__lte=now).order_by(
                "person_id", "pk"
            )[:DELIVER_BATCH]
        )
        if not notices:
            return report
        # Marked first: a crash below loses a notice rather than repeating it.
        PushNotice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=now)
        groups: dict[int, set[tuple[str, str]]] = {}
        for notice in notices:
            report.notices += 1
            if (
                notice.not_before - notice.created_at > STALE_AFTER
                or now - notice.not_before > STALE_AFTER
            ):
                report.dropped += 1
                continue
            groups.setdefault(notice.person_id, set()).add((notice.kind, notice.child_first_name))
        subscriptions: dict[int, list[PushSubscription]] = {}
        for sub in PushSubscription.objects.filter(person_id__in=list(groups)).order_by("pk"):
            subscriptions.setdefault(sub.person_id, []).append(sub)
        for person_id, items in groups.items():
            for kind, child in sorted(items):
                data = push_payload(kind, child)
                for sub in subscriptions.get(person_id, []):
                    if sub.pk is None:
                        continue
                    if push_send(subscription=sub, data=data, now=now):
                        report.pushes += 1
                    else:
                        report.failed += 1
        if len(notices) < DELIVER_BATCH:
            return report
