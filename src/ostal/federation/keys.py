"""The service provider's key pair: signs AuthnRequests, decrypts assertions.

Rule held here: production reads the key and certificate from the files named by
``OSTAL_SAML_KEY_FILE`` / ``OSTAL_SAML_CERT_FILE`` (deploy check ``ostal.W010``); embedded
mode generates a self-signed pair there on first use, so that a laptop or CI runs the SAML
flow with no set-up. A generated pair is never good for production: the identity providers
must be given the real certificate (it is in the SP metadata at ``/saml2/metadata/``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings


class FederationUnavailable(Exception):
    """Federated login cannot run (missing key, certificate or metadata)."""


def keypair_generate(*, key_file: Path, cert_file: Path, common_name: str) -> None:
    """Write a new RSA-2048 key (mode 0600) and a self-signed certificate valid 10 years."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    cert_file.parent.mkdir(parents=True, exist_ok=True)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def sp_keypair() -> tuple[Path, Path]:
    """The (key, certificate) files; generated in embedded mode when both are missing."""
    key_file = Path(settings.OSTAL_SAML_KEY_FILE)
    cert_file = Path(settings.OSTAL_SAML_CERT_FILE)
    if key_file.is_file() and cert_file.is_file():
        return key_file, cert_file
    if settings.PRODUCTION or key_file.exists() or cert_file.exists():
        raise FederationUnavailable(
            f"Clé ou certificat SAML absent ({key_file}, {cert_file}) : voir docs/federation.md."
        )
    keypair_generate(key_file=key_file, cert_file=cert_file, common_name="Ostal SP (embedded)")
    return key_file, cert_file
