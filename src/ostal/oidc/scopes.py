"""Which scopes an application may ask for: those its registry entry lists (least
privilege: a partner that only needs to know who signs in cannot get an API token)."""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import SettingsScopes


class ClientScopes(SettingsScopes):
    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        every = list(super().get_available_scopes(application, request))
        if application is None:
            return every
        allowed = set(application.scope_list)
        return [scope for scope in every if scope in allowed]

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        available = self.get_available_scopes(application, request)
        return [
            scope
            for scope in super().get_default_scopes(application, request)
            if scope in available
        ]
