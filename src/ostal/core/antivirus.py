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

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from clamav_client.clamd import ClamdError, ClamdUnixSocket
from django.conf import settings

logger = logging.getLogger(__name__)


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


def pending_scan(item: Any, *, pending: str, record: Callable[[Verdict], None], label: str) -> str:
    """Scan ``item`` (a row with ``file`` and ``scan``) if it is still ``pending`` and let
    ``record`` store the verdict (it updates ``item.scan``); returns the scan state
    afterwards. When clamd gives no verdict, the item stays pending, in quarantine, for
    the sweep to queue again."""
    if item.scan != pending:
        return str(item.scan)
    try:
        with item.file.open("rb") as stream:
            verdict = stream_scan(stream)
    except (ScanUnavailable, OSError) as exc:
        logger.warning("%s %s stays in quarantine, not scanned: %s", label, item.pk, exc)
        return str(item.scan)
    record(verdict)
    if verdict.infected:
        logger.warning("%s %s is infected: %s", label, item.pk, verdict.signature)
    return str(item.scan)
