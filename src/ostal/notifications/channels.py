"""Notification channels: how a service tells people that something is new for them.

A service calls ``notify`` once its transaction has committed (``transaction.on_commit``)
with the kind of event and, per person, the first name of the child concerned (for a
parent) or ``None``. ``notify`` hands the event to every registered channel (Web Push,
``ostal.push``, registers itself when it loads; the e-mail digest reads the messages on its
own). A channel must never raise into the caller: the change is already committed.

Only what may leave the platform is passed: the kind (its title is fixed text) and a
first name. Never a subject, a body or a mark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from enum import StrEnum

logger = logging.getLogger(__name__)


class Event(StrEnum):
    MESSAGE_RECEIVED = "message"
    COURSE_CANCELLED = "course_cancelled"
    COURSE_CHANGED = "course_changed"
    TEST = "test"


# Titles shown outside Ostal (a phone's lock screen): fixed text only.
TITLES: dict[Event, str] = {
    Event.MESSAGE_RECEIVED: "Nouveau message",
    Event.COURSE_CANCELLED: "Cours annulé",
    Event.COURSE_CHANGED: "Changement d'emploi du temps",
    Event.TEST: "Notification d'essai",
}

Channel = Callable[[Event, Mapping[int, str | None]], None]
_channels: dict[str, Channel] = {}


def register_channel(name: str, channel: Channel) -> None:
    _channels[name] = channel


def notify(event: Event, recipients: Mapping[int, str | None]) -> None:
    """Hand ``event`` for ``recipients`` (person id → child's first name or ``None``) to
    every channel; a failing channel is logged, never raised."""
    if not recipients:
        return
    for name, channel in list(_channels.items()):
        try:
            channel(event, recipients)
        except Exception:
            logger.exception("notifications: channel %s failed for %s", name, event)
