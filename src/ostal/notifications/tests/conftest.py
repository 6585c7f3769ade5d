"""Fixtures of the notifications tests: confirmed addresses, deliveries at chosen times."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from ostal.directory.models import Person
from ostal.messaging.models import Delivery, Message

PARIS = ZoneInfo("Europe/Paris")
SECRET_BODY = "Le code du portail est 4321, ne le répétez pas."


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in December 2026, Paris time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=PARIS)


def confirm(person: Person, email: str) -> Person:
    Person.objects.filter(pk=person.pk).update(
        email=email, email_confirmed_at=paris(1, 8), state=Person.State.ACTIVE
    )
    person.refresh_from_db()
    return person


def deliver(
    *, sender: Person | None, to: Person, subject: str, at: datetime, about: Person | None = None
) -> Delivery:
    message = Message.objects.create(
        author=sender,
        subject=subject,
        body=f"<p>{SECRET_BODY}</p>",
        about_pupil=about,
        created_at=at,
        sent_at=at,
        recipient_count=1,
    )
    return Delivery.objects.create(message=message, recipient=to, sent_at=at)


class RefusingBackend(LocmemBackend):
    """The test outbox, except that addresses at ``refuse.example`` are refused."""

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            if any(address.endswith("@refuse.example") for address in message.to):
                import smtplib

                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _public_url(settings: Any) -> None:
    settings.OSTAL_PUBLIC_URL = "https://ent.example.fr"
