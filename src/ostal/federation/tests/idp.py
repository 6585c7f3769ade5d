"""An in-process identity provider for tests (pysaml2 ``Server``), EduConnect-like.

It owns a key pair generated at test time, publishes its metadata into the SP's metadata
directory, verifies the SP's signed AuthnRequest (redirect binding) and answers with a
signed response carrying a signed, encrypted assertion with the attributes given.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import saml2
from saml2 import xmldsig
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

from ostal.federation.keys import keypair_generate


@dataclass
class AuthnRequestSeen:
    id: str
    destination_acs: str
    relay_state: str
    sigalg: str
    signed: bool


def keypair(directory: Path, name: str) -> tuple[Path, Path]:
    key, cert = directory / f"{name}-key.pem", directory / f"{name}-cert.pem"
    if not key.exists():
        keypair_generate(key_file=key, cert_file=cert, common_name=f"test-only {name}")
    return key, cert


class TestIdentityProvider:
    """``entity_id`` signs with ``key``; ``sp_metadata`` is the SP metadata file."""

    __test__ = False

    def __init__(self, *, entity_id: str, key: Path, cert: Path, sp_metadata: Path | None) -> None:
        self.entity_id = entity_id
        self.sso_url = f"{entity_id.rstrip('/')}/sso/redirect"
        conf: dict[str, Any] = {
            "entityid": entity_id,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "name": "Test IdP",
                    "endpoints": {
                        "single_sign_on_service": [(self.sso_url, saml2.BINDING_HTTP_REDIRECT)]
                    },
                    "want_authn_requests_signed": True,
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "policy": {"default": {"lifetime": {"minutes": 15}}},
                    "signing_algorithm": xmldsig.SIG_RSA_SHA256,
                    "digest_algorithm": xmldsig.DIGEST_SHA256,
                }
            },
            "key_file": str(key),
            "cert_file": str(cert),
            "encryption_keypairs": [{"key_file": str(key), "cert_file": str(cert)}],
            "metadata": {"local": [str(sp_metadata)] if sp_metadata else []},
        }
        config = IdPConfig()
        config.load(conf)
        self.server = Server(config=config)

    def metadata_xml(self) -> str:
        return str(entity_descriptor(self.server.config))

    def receive(self, location: str) -> AuthnRequestSeen:
        """Parse and verify the AuthnRequest of a redirect-binding URL (raises if unsigned)."""
        query = {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}
        request = self.server.parse_authn_request(
            query["SAMLRequest"],
            saml2.BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        message = request.message
        return AuthnRequestSeen(
            id=message.id,
            destination_acs=message.assertion_consumer_service_url,
            relay_state=query.get("RelayState", ""),
            sigalg=query.get("SigAlg", ""),
            signed="Signature" in query,
        )

    def response(
        self,
        *,
        in_response_to: str | None,
        acs: str,
        sp_entity_id: str,
        attributes: dict[str, list[str]],
        signed: bool = True,
        encrypted: bool = True,
    ) -> str:
        """A base64 ``SAMLResponse`` for the SP's ACS."""
        response = self.server.create_authn_response(
            identity=attributes,
            in_response_to=in_response_to,
            destination=acs,
            sp_entity_id=sp_entity_id,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="tr-" + str(id(attributes))),
            authn={"class_ref": saml2.saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.entity_id},
            sign_response=signed,
            sign_assertion=signed,
            encrypt_assertion=encrypted,
            encrypt_assertion_self_contained=True,
            sign_alg=xmldsig.SIG_RSA_SHA256,
            digest_alg=xmldsig.DIGEST_SHA256,
        )
        return base64.b64encode(str(response).encode()).decode()
