"""The identity providers Ostal trusts for login, as deployment configuration.

Rule held here: an identity provider is trusted only if it is listed in the setting
``OSTAL_SAML_IDPS`` *and* its metadata file (its signing certificate: the trust anchor) is
present in ``OSTAL_SAML_METADATA_DIR``. The list is settings, not database rows, so that
no web administrator can add an identity provider able to log in as anyone (ADR 0010).

Two kinds:
* ``educonnect``: the national service for pupils and parents; the assertion's
  ``FrEduCtRefId`` values name (académie, jointure) pairs;
* ``agents``: an académie's staff portal; the academic e-mail names a staff member of
  that académie's directory source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

EDUCONNECT = "educonnect"
AGENTS = "agents"
KINDS = frozenset({EDUCONNECT, AGENTS})


@dataclass(frozen=True)
class IdentityProvider:
    """One trusted identity provider (an entry of ``OSTAL_SAML_IDPS``)."""

    key: str
    kind: str
    label: str
    metadata: str
    # The directory source its staff belong to (``agents`` only): ``Source.code``.
    source: str = ""
    # Optional: pin the entity ID; otherwise the single IdP of the metadata file.
    entity_id: str = ""
    # Short French description for the "where are you from" page.
    audience: str = ""

    @property
    def metadata_path(self) -> Path:
        path = Path(self.metadata)
        return path if path.is_absolute() else Path(settings.OSTAL_SAML_METADATA_DIR) / path

    @property
    def is_available(self) -> bool:
        """Its metadata file is present (otherwise its login button says it is unavailable)."""
        return self.metadata_path.is_file()


def _provider(entry: dict[str, Any]) -> IdentityProvider:
    provider = IdentityProvider(**entry)
    if provider.kind not in KINDS:
        raise ValueError(f"OSTAL_SAML_IDPS: type « {provider.kind} » inconnu ({provider.key})")
    if provider.kind == AGENTS and not provider.source:
        raise ValueError(f"OSTAL_SAML_IDPS: « {provider.key} » doit nommer sa source d'annuaire")
    return provider


def identity_providers() -> list[IdentityProvider]:
    """Every configured identity provider, in the order of the setting."""
    return [_provider(dict(entry)) for entry in settings.OSTAL_SAML_IDPS]


def provider_get(key: str) -> IdentityProvider | None:
    return next((p for p in identity_providers() if p.key == key), None)
