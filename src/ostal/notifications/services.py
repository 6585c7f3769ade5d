"""Writes of the notifications app: the preferences, and the e-mail digest job.

The digest job (``digest_run``, every 15 minutes) works in two passes, both in batches:

1. **scan**: read the deliveries created since the last run, going forward on their
   primary key from ``DigestCursor`` (never the whole table), up to ``now - SETTLE``
   (a send's transaction is over by then). Each recipient with a new unread delivery in
   their inbox, an active account and a confirmed address gets ``DigestState.pending_since``
   set (one bulk insert and one update per batch);
2. **send**: walk the pending people in primary-key order, ``SEND_BATCH`` at a time (one
   query for the batch with their preferences, one for their new unread deliveries), and
   mail a digest to those who are due (frequency, daily hour, quiet hours, confirmed
   address). A digest lists the deliveries sent after ``announced_until``, still unread:
   subject, sender, the pupil concerned, date, link. **Never the body** of a message.

After a mail is sent, ``announced_until`` moves to the scan's limit, so no message is
announced twice; a mail that fails is not recorded as sent: the person stays pending and
is retried after ``RETRY_AFTER``; the others are sent anyway.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ostal.directory.models import Person
from ostal.messaging.models import Delivery
from ostal.notifications.models import (
    DigestCursor,
    DigestState,
    Frequency,
    NotificationPreference,
)
from ostal.notifications.selectors import (
    Preferences,
    email_deliverable,
    in_quiet_hours,
    preferences_of,
)

logger = logging.getLogger(__name__)

# A delivery is considered once it is this old: the sending transaction has committed.
SETTLE = timedelta(minutes=1)
SCAN_BATCH = 5000
SEND_BATCH = 500
# Sent digests are recorded at least every this many mails (bounds repeats after a crash).
RECORD_EVERY = 50
# "At most once an hour", with room for the job's 15-minute rhythm drifting a little.
HOURLY_GAP = timedelta(minutes=55)
# After a failed mail, the person's next attempt waits this long.
RETRY_AFTER = timedelta(hours=1)
# Messages listed in one mail; the rest is counted ("et 12 autres").
MAX_LISTED = 20


# --- Preferences ------------------------------------------------------------------------


def notifications_erase(person_ids: list[int]) -> int:
    """RGPD erasure (called by the directory's retention job): the preferences and digest
    state of erased people go with them."""
    deleted, _ = NotificationPreference.objects.filter(person_id__in=person_ids).delete()
    states, _ = DigestState.objects.filter(person_id__in=person_ids).delete()
    return deleted + states


def preferences_update(
    *,
    person: Person,
    email_digest: str,
    daily_hour: int,
    quiet_start: time | None,
    quiet_end: time | None,
) -> NotificationPreference:
    """Store the person's preferences (validated by ``forms.PreferencesForm``)."""
    if email_digest not in Frequency.values:
        raise ValueError(f"unknown frequency {email_digest!r}")
    if (quiet_start is None) != (quiet_end is None) or not 0 <= daily_hour <= 23:
        raise ValueError("invalid quiet hours or daily hour")
    row, _created = NotificationPreference.objects.update_or_create(
        person=person,
        defaults={
            "email_digest": email_digest,
            "daily_hour": daily_hour,
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
        },
    )
    DigestState.objects.filter(person=person, not_before__isnull=False).update(not_before=None)
    return row


# --- Digest -----------------------------------------------------------------------------


@dataclass
class DigestReport:
    scanned: int = 0
    marked: int = 0
    sent: int = 0
    failed: int = 0
    cleared: int = 0
    failures: list[int] = field(default_factory=list)


def _quiet_end_after(prefs: Preferences, at: datetime) -> datetime:
    local = timezone.localtime(at)
    assert prefs.quiet_end is not None
    end = datetime.combine(local.date(), prefs.quiet_end, tzinfo=local.tzinfo)
    if end <= local:
        end = datetime.combine(
            local.date() + timedelta(days=1), prefs.quiet_end, tzinfo=local.tzinfo
        )
    return end


def digest_next_at(prefs: Preferences, state: DigestState, now: datetime) -> datetime:
    """The earliest time a person with something new may be mailed (``now`` if due):
    after a failed attempt's pause, the frequency (an hour after the last digest; the
    daily hour, once a day), and outside the quiet hours (Europe/Paris)."""
    at = now
    if state.failed_at is not None:
        at = max(at, state.failed_at + RETRY_AFTER)
    if prefs.email_digest == Frequency.HOURLY:
        if state.last_sent_at is not None:
            at = max(at, state.last_sent_at + HOURLY_GAP)
    else:
        local = timezone.localtime(at)
        anchor = datetime.combine(local.date(), time(prefs.daily_hour), tzinfo=local.tzinfo)
        if local < anchor:
            at = anchor
        elif state.last_sent_at is not None and state.last_sent_at >= anchor:
            at = datetime.combine(
                local.date() + timedelta(days=1), time(prefs.daily_hour), tzinfo=local.tzinfo
            )
    if in_quiet_hours(prefs, at):
        at = _quiet_end_after(prefs, at)
    return at


def digest_due(prefs: Preferences, state: DigestState, now: datetime) -> bool:
    """Whether a person with something new may be mailed now."""
    return prefs.email_digest != Frequency.OFF and digest_next_at(prefs, state, now) <= now


def _scan(*, now: datetime, cutoff: datetime, report: DigestReport) -> None:
    DigestCursor.objects.get_or_create(pk=1)
    while True:
        with transaction.atomic():
            cursor = DigestCursor.objects.select_for_update().get(pk=1)
            rows = list(
                Delivery.objects.filter(pk__gt=cursor.last_delivery_id)
                .order_by("pk")
                .values_list("pk", "recipient_id", "sent_at", "box", "hidden", "read_at")[
                    :SCAN_BATCH
                ]
            )
            last = cursor.last_delivery_id
            first_new: dict[int, datetime] = {}
            reached_cutoff = False
            for pk, recipient_id, sent_at, box, hidden, read_at in rows:
                if sent_at > cutoff:
                    reached_cutoff = True
                    break
                last = pk
                report.scanned += 1
                if box != Delivery.Box.INBOX or hidden or read_at is not None:
                    continue
                if recipient_id not in first_new or sent_at < first_new[recipient_id]:
                    first_new[recipient_id] = sent_at
            if first_new:
                eligible = list(
                    Person.objects.filter(
                        pk__in=list(first_new),
                        state=Person.State.ACTIVE,
                        email_confirmed_at__isnull=False,
                    )
                    .exclude(email="")
                    .values_list("pk", flat=True)
                )
                if eligible:
                    DigestState.objects.bulk_create(
                        [
                            DigestState(
                                person_id=pk,
                                pending_since=first_new[pk],
                                announced_until=first_new[pk] - timedelta(microseconds=1),
                            )
                            for pk in eligible
                        ],
                        ignore_conflicts=True,
                    )
                    DigestState.objects.filter(
                        person_id__in=eligible, pending_since__isnull=True
                    ).update(pending_since=min(first_new[pk] for pk in eligible))
                    report.marked += len(eligible)
            cursor.last_delivery_id = last
            cursor.scanned_at = now
            cursor.save(update_fields=["last_delivery_id", "scanned_at"])
        if reached_cutoff or len(rows) < SCAN_BATCH:
            return


def _absolute(path: str) -> str:
    return f"{str(settings.OSTAL_PUBLIC_URL).rstrip('/')}{path}"


@dataclass(frozen=True)
class _Links:
    """The absolute links of a run, built once (``reverse`` per mail is not free)."""

    inbox: str
    preferences: str
    message_head: str
    message_tail: str

    @classmethod
    def build(cls) -> _Links:
        marker = "987654321"
        head, tail = _absolute(reverse("messaging:message", args=[int(marker)])).split(marker)
        return cls(
            inbox=_absolute(reverse("messaging:inbox")),
            preferences=_absolute(reverse("notifications:preferences")),
            message_head=head,
            message_tail=tail,
        )

    def message(self, pk: int) -> str:
        return f"{self.message_head}{pk}{self.message_tail}"


def digest_email(
    *, person: Person, deliveries: list[Delivery], links: _Links | None = None
) -> EmailMultiAlternatives:
    """The digest mail: count, then for each message its subject, sender, the pupil it is
    about and its date, with a link; never its body."""
    links = links or _Links.build()
    site = settings.OSTAL_SITE_NAME
    count = len(deliveries)
    items = [
        {
            "subject": d.message.subject,
            "sender": d.message.author.display_name if d.message.author else site,
            "about": d.message.about_pupil.display_name if d.message.about_pupil else "",
            "sent_at": timezone.localtime(d.sent_at),
            "link": links.message(d.message_id),
        }
        for d in deliveries[:MAX_LISTED]
    ]
    prefs_link = links.preferences
    context: dict[str, Any] = {
        "site_name": site,
        "person": person,
        "count": count,
        "items": items,
        "more": max(0, count - MAX_LISTED),
        "inbox_link": links.inbox,
        "prefs_link": prefs_link,
    }
    if count == 1:
        subject = f"{site} : 1 nouveau message non lu"
    else:
        subject = f"{site} : {count} nouveaux messages non lus"
    headers = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    if prefs_link.startswith("https://"):
        headers["List-Unsubscribe"] = f"<{prefs_link}>"
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/digest_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        headers=headers,
    )
    mail.attach_alternative(
        render_to_string("notifications/digest_email.html", context), "text/html"
    )
    return mail


class _Mailer:
    """One SMTP connection for the run, opened on first use and reopened after a failure."""

    def __init__(self) -> None:
        self.connection: BaseEmailBackend | None = None

    def send(self, mail: EmailMultiAlternatives) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        mail.connection = self.connection
        try:
            mail.send(fail_silently=False)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None


def _record_sent(person_ids: list[int], *, now: datetime, cutoff: datetime) -> None:
    if person_ids:
        DigestState.objects.filter(person_id__in=person_ids).update(
            pending_since=None,
            announced_until=cutoff,
            last_sent_at=now,
            failed_at=None,
            not_before=None,
        )
        person_ids.clear()


def _send(*, now: datetime, cutoff: datetime, report: DigestReport) -> None:
    mailer = _Mailer()
    links: _Links | None = None
    after = 0
    try:
        while True:
            states = list(
                DigestState.objects.filter(pending_since__isnull=False, person_id__gt=after)
                .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
                .select_related("person", "person__notification_preference")
                .order_by("person_id")[:SEND_BATCH]
            )
            if not states:
                return
            after = states[-1].person_id
            cleared: list[int] = []
            due: list[DigestState] = []
            waiting: dict[datetime, list[int]] = {}
            for state in states:
                person = state.person
                try:
                    row: NotificationPreference | None = person.notification_preference
                except NotificationPreference.DoesNotExist:
                    row = None
                prefs = preferences_of(person, row)
                if not email_deliverable(person) or prefs.email_digest == Frequency.OFF:
                    cleared.append(person.pk)
                else:
                    next_at = digest_next_at(prefs, state, now)
                    if next_at <= now:
                        due.append(state)
                    else:
                        waiting.setdefault(next_at, []).append(person.pk)
            # Few distinct times (daily hours, ends of quiet hours): one update for each.
            for next_at, person_ids in waiting.items():
                DigestState.objects.filter(person_id__in=person_ids).update(not_before=next_at)
            new: dict[int, list[Delivery]] = {s.person_id: [] for s in due}
            if due:
                since = {s.person_id: s.announced_until for s in due}
                rows = (
                    Delivery.objects.filter(
                        recipient_id__in=list(since),
                        box=Delivery.Box.INBOX,
                        hidden=False,
                        read_at__isnull=True,
                        sent_at__gt=min(since.values()),
                        sent_at__lte=cutoff,
                    )
                    .select_related("message__author", "message__about_pupil")
                    .order_by("recipient_id", "-sent_at", "-pk")
                )
                for delivery in rows:
                    if delivery.sent_at > since[delivery.recipient_id]:
                        new[delivery.recipient_id].append(delivery)
            sent: list[int] = []
            for state in due:
                deliveries = new[state.person_id]
                if not deliveries:
                    cleared.append(state.person_id)
                    continue
                links = links or _Links.build()
                try:
                    mailer.send(
                        digest_email(person=state.person, deliveries=deliveries, links=links)
                    )
                except Exception:
                    logger.warning(
                        "notifications: digest to person %s failed", state.person_id, exc_info=True
                    )
                    report.failed += 1
                    report.failures.append(state.person_id)
                    DigestState.objects.filter(person_id=state.person_id).update(
                        failed_at=now, not_before=now + RETRY_AFTER
                    )
                    continue
                report.sent += 1
                sent.append(state.person_id)
                if len(sent) >= RECORD_EVERY:
                    _record_sent(sent, now=now, cutoff=cutoff)
            _record_sent(sent, now=now, cutoff=cutoff)
            if cleared:
                DigestState.objects.filter(person_id__in=cleared).update(
                    pending_since=None, announced_until=cutoff, not_before=None
                )
                report.cleared += len(cleared)
    finally:
        mailer.close()


def digest_run(*, now: datetime | None = None) -> DigestReport:
    """One run of the e-mail digest job (see the module's docstring)."""
    now = now or timezone.now()
    cutoff = now - SETTLE
    report = DigestReport()
    _scan(now=now, cutoff=cutoff, report=report)
    _send(now=now, cutoff=cutoff, report=report)
    logger.info(
        "notifications: digest run scanned=%s marked=%s sent=%s failed=%s cleared=%s",
        report.scanned,
        report.marked,
        report.sent,
        report.failed,
        report.cleared,
    )
    return report
