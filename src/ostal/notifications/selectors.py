"""Reads of the notification preferences, for the page, the API, the digest job and any
other service that notifies people (they all use the same preferences and quiet hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from ostal.directory.models import Person, Profile
from ostal.notifications.models import Frequency, NotificationPreference

QUIET_START = time(20, 0)
QUIET_END = time(7, 0)
DAILY_HOUR = 18


@dataclass(frozen=True)
class Preferences:
    email_digest: str
    daily_hour: int
    quiet_start: time | None
    quiet_end: time | None
    is_default: bool

    @property
    def has_quiet_hours(self) -> bool:
        return self.quiet_start is not None and self.quiet_end is not None


def defaults_for(profile: str) -> Preferences:
    """Defaults by profile (docs/notifications.md): pupils get no mail unless they ask
    (minors, often a shared family address); everyone else a daily digest at 18:00. Quiet
    hours 20:00–07:00 for all (right to disconnect)."""
    frequency = Frequency.OFF if profile == Profile.PUPIL else Frequency.DAILY
    return Preferences(frequency, DAILY_HOUR, QUIET_START, QUIET_END, is_default=True)


def preferences_of(person: Person, row: NotificationPreference | None) -> Preferences:
    if row is None:
        return defaults_for(person.profile)
    return Preferences(
        row.email_digest, row.daily_hour, row.quiet_start, row.quiet_end, is_default=False
    )


def preferences_for(*, person: Person) -> Preferences:
    """The person's preferences (their own, or the defaults of their profile)."""
    return preferences_of(person, NotificationPreference.objects.filter(person=person).first())


def email_deliverable(person: Person) -> bool:
    """Only an active account with a confirmed address receives mail."""
    return bool(person.email and person.email_confirmed_at is not None and person.is_active)


def in_quiet_hours(prefs: Preferences, at: datetime) -> bool:
    """Whether ``at`` (any aware datetime) falls in the quiet hours, in local time
    (Europe/Paris). The start is included, the end is not; 22:00–07:00 wraps midnight."""
    if prefs.quiet_start is None or prefs.quiet_end is None:
        return False
    now = timezone.localtime(at).time().replace(tzinfo=None)
    start, end = prefs.quiet_start, prefs.quiet_end
    if start < end:
        return start <= now < end
    return now >= start or now < end
