"""RGPD: the notification preferences and digest state of a person erased by the
directory's retention job go with them; other people's stay."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from ostal.conftest import World
from ostal.directory.models import Person
from ostal.feed.services import directory_retention_purge
from ostal.notifications.models import DigestState, Frequency, NotificationPreference

pytestmark = pytest.mark.django_db


def _preferences(person: Person) -> None:
    NotificationPreference.objects.create(
        person=person,
        email_digest=Frequency.HOURLY,
        daily_hour=7,
        quiet_start=time(21),
        quiet_end=time(7),
    )
    DigestState.objects.create(person=person, announced_until=timezone.now())


def test_the_retention_job_erases_preferences_and_digest_state(world: World) -> None:
    """Ninety days after detachment, the erased parent's preferences and digest state are gone; the teacher's are kept."""
    _preferences(world.parent)
    _preferences(world.teacher)
    Person.objects.filter(pk=world.parent.pk).update(
        state=Person.State.DETACHED, state_changed_at=timezone.now() - timedelta(days=91)
    )

    directory_retention_purge()

    assert not NotificationPreference.objects.filter(person=world.parent).exists()
    assert not DigestState.objects.filter(person=world.parent).exists()
    assert NotificationPreference.objects.filter(person=world.teacher).exists()
    assert DigestState.objects.filter(person=world.teacher).exists()
