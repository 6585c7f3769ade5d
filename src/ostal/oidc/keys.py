"""The RSA key that signs ID tokens: read from a file, or created once in embedded mode.

Imported by ``settings.py``, so it imports nothing from Django. Production points
``OSTAL_OIDC_KEY_FILE`` at a PEM file managed like any other secret (deploy check
``ostal.W011`` flags its absence); embedded mode creates ``<VAR_DIR>/oidc-rsa.pem`` the
first time Ostal starts without one, so a demo signs tokens with no set-up.
"""

from __future__ import annotations

from pathlib import Path

from ostal.core.keyfile import pem_key_load

KEY_SIZE = 3072


def private_key_create() -> str:
    """A new RSA private key, PEM (PKCS#8, unencrypted)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def private_key_load(path: Path, *, create: bool) -> str:
    """The PEM text of the key at ``path``, created there first when missing and
    ``create`` is true (``ostal.core.keyfile``)."""
    return pem_key_load(path, create=create, generate=private_key_create)
