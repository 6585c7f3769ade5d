"""Fixtures of the push tests: the local push service double, and devices subscribed to
it for the personas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ostal.directory.models import Person
from ostal.push import services
from ostal.push.models import PushSubscription
from ostal.push.tests.pushdouble import Device, PushServiceDouble


@pytest.fixture
def push_service() -> Iterator[PushServiceDouble]:
    double = PushServiceDouble().start()
    yield double
    double.stop()


@pytest.fixture
def subscribe(push_service: PushServiceDouble) -> Any:
    """``subscribe(person, label="")`` → (device, subscription): a new browser of the person
    subscribed to the double."""

    def _subscribe(person: Person, label: str = "") -> tuple[Device, PushSubscription]:
        device = push_service.device()
        row = services.subscription_save(
            person=person,
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=device.auth_b64,
            label=label,
        )
        return device, row

    return _subscribe
