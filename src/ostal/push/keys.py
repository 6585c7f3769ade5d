"""The VAPID key pair that signs Ostal's requests to the push services (RFC 8292).

Production sets ``OSTAL_PUSH_VAPID_PRIVATE_KEY_FILE`` to a PEM file (EC P-256) managed like
any other secret; embedded mode (and the test suite) creates one in ``VAR_DIR`` on first
use. Changing the key invalidates every subscription (browsers bind them to the public key):
they are pruned at their next delivery (the push service answers 403/410).
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path

from django.conf import settings

from ostal.core.keyfile import pem_key_load


def private_key_create() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _load(path: Path, *, create: bool) -> str:
    return pem_key_load(path, create=create, generate=private_key_create)


@functools.cache
def vapid_private_pem() -> str:
    """The PEM text of the VAPID private key (created in embedded mode if missing)."""
    path = Path(settings.OSTAL_PUSH_VAPID_PRIVATE_KEY_FILE)
    return _load(path, create=not settings.PRODUCTION)


@functools.cache
def vapid_public_key() -> str:
    """The public key as browsers want it (``applicationServerKey``): the uncompressed
    P-256 point, base64url without padding."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(vapid_private_pem().encode("ascii"), password=None)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
