"""The pysaml2 service-provider configuration, built from settings and the IdP registry.

Rules held here (dependencies.md §3.2): AuthnRequests are signed (RSA-SHA256, SHA-256
digest); assertions must be signed (and the response too, unless
``OSTAL_SAML_WANT_RESPONSE_SIGNED`` is off); assertions may be encrypted to our key;
unsolicited responses are refused; unknown attribute names (``FrEduCtRefId``…) are kept
(``allow_unknown_attributes`` at the top level, or pysaml2 silently drops them); identity
provider metadata comes from local files only, never from a URL at request time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import saml2
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from saml2 import xmldsig
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT

from ostal.federation.keys import FederationUnavailable, sp_keypair
from ostal.federation.registry import IdentityProvider, identity_providers


def base_url() -> str:
    return str(settings.OSTAL_SAML_BASE_URL).rstrip("/")


def sp_entity_id() -> str:
    return f"{base_url()}/saml2/metadata/"


def acs_url() -> str:
    return f"{base_url()}/saml2/acs/"


def sp_config_dict() -> dict[str, Any]:
    """The pysaml2 configuration (a dict), with the metadata of the available IdPs."""
    key_file, cert_file = sp_keypair()
    metadata = [str(p.metadata_path) for p in identity_providers() if p.is_available]
    return {
        "entityid": sp_entity_id(),
        "xmlsec_binary": settings.OSTAL_SAML_XMLSEC_BINARY,
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": settings.OSTAL_SITE_NAME,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(), saml2.BINDING_HTTP_POST)],
                },
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": settings.OSTAL_SAML_WANT_RESPONSE_SIGNED,
                "allow_unsolicited": False,
                "signing_algorithm": xmldsig.SIG_RSA_SHA256,
                "digest_algorithm": xmldsig.DIGEST_SHA256,
                "only_use_keys_in_metadata": True,
            }
        },
        "key_file": str(key_file),
        "cert_file": str(cert_file),
        "encryption_keypairs": [{"key_file": str(key_file), "cert_file": str(cert_file)}],
        "metadata": {"local": metadata},
        "organization": {
            "name": [(settings.OSTAL_SITE_NAME, "fr")],
            "display_name": [(settings.OSTAL_SITE_NAME, "fr")],
            "url": [(base_url() + "/", "fr")],
        },
    }


_cache: dict[str, tuple[tuple[Any, ...], SPConfig]] = {}


def _fingerprint(conf: dict[str, Any]) -> tuple[Any, ...]:
    """What the parsed configuration depends on: the dict and its files' mtimes."""
    files = [conf["key_file"], conf["cert_file"], *conf["metadata"]["local"]]
    return (repr(conf), *(Path(f).stat().st_mtime_ns for f in files))


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """djangosaml2's ``SAML_CONFIG_LOADER``: the SP configuration (metadata parsed).

    Parsing the metadata and keys costs ~0.1 s: the parsed configuration is kept per
    process and rebuilt when a setting or a file (metadata refreshed, key rotated) changes.
    """
    conf_dict = sp_config_dict()
    try:
        fingerprint = _fingerprint(conf_dict)
    except OSError as exc:  # a file vanished meanwhile
        raise FederationUnavailable(str(exc)) from exc
    cached = _cache.get("sp")
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    conf = SPConfig()
    try:
        conf.load(conf_dict)
    except Exception as exc:  # pysaml2 raises many kinds on a bad metadata file
        raise FederationUnavailable(f"Configuration SAML invalide : {exc}") from exc
    _cache["sp"] = (fingerprint, conf)
    return conf


def entity_ids(conf: SPConfig) -> dict[str, IdentityProvider]:
    """Entity ID → provider, for the available providers.

    A metadata file must describe exactly one identity provider (or the registry pins
    its ``entity_id``); one entity ID must not appear under two providers.
    """
    found: dict[str, IdentityProvider] = {}
    for provider in identity_providers():
        if not provider.is_available:
            continue
        store = conf.metadata.metadata.get(str(provider.metadata_path))
        idps = set(store.with_descriptor("idpsso")) if store is not None else set()
        if provider.entity_id:
            idps &= {provider.entity_id}
        if len(idps) != 1:
            raise FederationUnavailable(
                f"{provider.metadata_path} : un seul fournisseur d'identité attendu, "
                + ngettext("%(n)d trouvé.", "%(n)d trouvés.", len(idps)) % {"n": len(idps)}
            )
        entity_id = idps.pop()
        if entity_id in found:
            raise FederationUnavailable(f"{entity_id} est déclaré deux fois.")
        found[entity_id] = provider
    return found


def entity_id_of(conf: SPConfig, provider: IdentityProvider) -> str | None:
    return next((e for e, p in entity_ids(conf).items() if p.key == provider.key), None)
