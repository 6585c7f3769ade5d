"""The services menu: each service registers an entry with who may see it.

Each app registers its entries next to its URLs (``web/urls.py`` does so for the shell's
own pages); later apps (messaging, cahier de textes…) do the same, so the shell lists them
without knowing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Service:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_registry: dict[str, Service] = {}


def register_service(service: Service) -> None:
    _registry[service.key] = service


def services_for(user: Any) -> list[Service]:
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted((s for s in _registry.values() if s.visible(user)), key=lambda s: s.order)
