"""Antivirus scan of uploaded files, shared by every app that stores them (messaging
attachments, the espace documentaire): the bytes are streamed to clamd (``INSTREAM`` over
its Unix socket, ``MESSAGING_CLAMD_SOCKET`` — env ``OSTAL_CLAMD_SOCKET``) by clamav-client,
in small chunks, straight from the storage: never read whole into memory here.

Rules:
* only clamd's answer decides: ``OK`` → clean, ``FOUND`` → infected (with the signature);
* anything else (clamd unreachable or too slow, stream too long, ``ERROR``) is
  ``ScanUnavailable``: the caller keeps the file **in quarantine** and tries again later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from clamav_client.clamd import ClamdError, ClamdUnixSocket
from django.conf import settings


class ScanUnavailable(Exception):
    """clamd gave no verdict; the file stays in quarantine."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def _client() -> ClamdUnixSocket:
    return ClamdUnixSocket(
        path=settings.MESSAGING_CLAMD_SOCKET, timeout=settings.MESSAGING_CLAMD_TIMEOUT
    )


def stream_scan(stream: BinaryIO) -> Verdict:
    """clamd's verdict on the bytes of ``stream`` (read in chunks), or ``ScanUnavailable``."""
    try:
        report = _client().instream(stream)
    except (ClamdError, OSError) as exc:  # refused, timeout, broken pipe, size limit
        raise ScanUnavailable(f"clamd ({settings.MESSAGING_CLAMD_SOCKET}) : {exc}") from exc
    status, detail = report.get("stream", (None, None))
    if status == "OK":
        return Verdict(infected=False)
    if status == "FOUND":
        return Verdict(infected=True, signature=detail or "")
    raise ScanUnavailable(f"clamd answered {status!r} {detail!r}")
