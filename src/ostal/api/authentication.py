"""Token authentication for the mobile app until the OIDC provider lands (identity issue).

``Authorization: Bearer <token>``; the token belongs to an account that must still be
active (a suspended or detached account's tokens stop working at once).
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        # DRF already refuses tokens of inactive users; Person.is_active is "state ==
        # active", so suspended, detached and not-yet-activated accounts are refused too.
        return super().authenticate_credentials(key)
