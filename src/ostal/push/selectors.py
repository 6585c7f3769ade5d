"""Reads of Web Push, always scoped to the person: one manages only their own devices;
someone else's device answers 404 like a missing one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ostal.directory.models import Person
from ostal.push.models import PushSubscription


def subscriptions_of(*, person: Person) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(person=person)


def subscription_of(*, person: Person, pk: int) -> PushSubscription:
    """The person's own device ``pk``, or 404 (missing and someone else's alike)."""
    row = PushSubscription.objects.filter(person=person, pk=pk).first()
    if row is None:
        raise Http404
    return row
