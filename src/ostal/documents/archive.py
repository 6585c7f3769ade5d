"""Every handed-in file of a hand-in folder as one zip, **streamed**: each file is read
from the storage in chunks and written through ``zipfile`` into a sink that the response
empties after every chunk, so memory holds one chunk, never the archive."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from django.utils import timezone

from ostal.documents.handins import PupilWork

CHUNK = 64 * 1024


class _Sink:
    """A write-only, unseekable buffer: ``zipfile`` then writes data descriptors."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def _safe(part: str) -> str:
    return part.replace("/", "-").replace("\\", "-").strip() or "fichier"


def hand_in_zip(table: list[PupilWork]) -> Iterator[bytes]:
    """The zip's bytes, chunk by chunk: ``Nom Prénom/[EN RETARD] nom du fichier`` for each
    clean file (files in quarantine are left out)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for row in table:
            folder = _safe(f"{row.pupil.last_name} {row.pupil.first_name}")
            for document in row.documents:
                if not document.downloadable:
                    continue
                prefix = "[EN RETARD] " if document.late else ""
                name = f"{folder}/{prefix}{document.pk}-{_safe(document.name)}"
                stamp = timezone.localtime(document.created_at).timetuple()[:6]
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with (
                    document.file.open("rb") as source,
                    archive.open(info, "w", force_zip64=True) as target,
                ):
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
                        yield sink.take()
                yield sink.take()
    yield sink.take()
