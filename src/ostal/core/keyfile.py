"""A private key kept in a PEM file: read it, or create it once in embedded mode.

Imported by ``settings.py`` (through ``ostal.oidc.keys``), so it imports nothing from
Django. Used for the OIDC signing key and the Web Push VAPID key.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def pem_key_load(path: Path, *, create: bool, generate: Callable[[], str]) -> str:
    """The PEM text of the key at ``path``; when it is missing and ``create`` is true,
    write a new one made by ``generate`` there first (readable by its owner only).

    Several processes may start at once (web workers, test workers): the key is written
    to a temporary file and linked into place, so exactly one key wins and every
    process reads that one.
    """
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate())
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
