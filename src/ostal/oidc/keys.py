"""The RSA key that signs ID tokens: read from a file, or created once in embedded mode.

Imported by ``settings.py``, so it imports nothing from Django. Production points
``OSTAL_OIDC_KEY_FILE`` at a PEM file managed like any other secret (deploy check
``ostal.W011`` flags its absence); embedded mode creates ``<VAR_DIR>/oidc-rsa.pem`` the
first time Ostal starts without one, so a demo signs tokens with no set-up.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

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
    """The PEM text of the key at ``path``; when it is missing and ``create`` is true,
    write a new one there first (readable by its owner only).

    Several processes may start at once (web workers, test workers): the key is written
    to a temporary file and linked into place, so exactly one key wins and every
    process reads that one.
    """
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".oidc-key-", dir=path.parent)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(private_key_create())
            os.chmod(tmp, 0o600)
            # If another process won the race, its key is the one everybody uses.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    text = path.read_text(encoding="ascii")
    if "PRIVATE KEY" not in text:
        raise ValueError(f"{path} does not hold a PEM private key")
    return text
