"""Authentication backend for federated logins (EduConnect, académie staff portals).

Rule held here: a federated login authenticates an *existing* account, and only one the
verified assertion proves (``selectors.accounts_for_assertion``); when it proves several,
only the one the person chose among them. It never creates accounts and ignores
username/password credentials (its signature does not accept them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from ostal.directory.models import Person
from ostal.federation.registry import provider_get
from ostal.federation.selectors import accounts_for_assertion

BACKEND_PATH = "ostal.federation.backends.FederationBackend"


class FederationBackend(BaseBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        *,
        federated_idp: str | None = None,
        federated_attributes: Mapping[str, Sequence[str]] | None = None,
        federated_choice: int | None = None,
    ) -> Person | None:
        """The account proved by the assertion of ``federated_idp`` (its attributes)."""
        if not federated_idp or federated_attributes is None:
            return None
        provider = provider_get(federated_idp)
        if provider is None:
            return None
        candidates = accounts_for_assertion(provider=provider, attributes=federated_attributes)
        if federated_choice is not None:
            candidates = [p for p in candidates if p.pk == federated_choice]
        if len(candidates) != 1:
            return None
        # The selector already kept only accounts that may log in (active, or never
        # activated when federated activation is on: the login service activates them
        # first). ``get_user`` then accepts active accounts only.
        return candidates[0]

    def get_user(self, user_id: Any) -> Person | None:
        """The session's account, while it stays active (as ``ModelBackend`` does);
        permissions are left to ``ModelBackend`` (this backend grants none)."""
        person = Person.objects.filter(pk=user_id).first()
        return person if person is not None and person.is_active else None
