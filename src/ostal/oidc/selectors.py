"""Reads of the client registry, scoped to the reader (missing and forbidden are the same
``None``/empty answer, so the pages can say 404 for both)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ostal.oidc.abilities import may_manage_clients
from ostal.oidc.models import Client


def clients_visible_to(*, user: Any) -> QuerySet[Client]:
    if not may_manage_clients(user):
        return Client.objects.none()
    return Client.objects.select_related("created_by").order_by("-is_active", "name", "pk")


def client_for_manager(*, user: Any, client_pk: int) -> Client | None:
    return clients_visible_to(user=user).filter(pk=client_pk).first()
