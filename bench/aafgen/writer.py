"""Files of a delivery: national names, 2024 header, chunks of 50,000 requests, archive.

Rules implemented (reference note §3.1, §3.2):

* inner files are named ``ENT2D-ENT<académie>_<Complet|Delta>_<YYYYMMDD>_<Category>_<NNNN>.xml``,
  chunk numbers starting at ``0000``, a new chunk every 50,000 requests;
* each file is UTF-8 with the XML declaration, the ``ficAlimMENESR`` DOCTYPE and the 2024
  header comments (``versionAF``, ``versionSDET``, ``codeAcademieExport``, ``degre``,
  ``dateGenerationExport``); the DTD is written next to the files;
* the archive is ``ENT2D.<YYYYMMDD>.tgz`` (``ENT2D.<YYYYMMDD>_Delta.tgz`` for a delta),
  built byte-for-byte reproducibly (fixed mtimes, owners and gzip header).

Files are written through a 1 MiB buffer, one request at a time.
"""

from __future__ import annotations

import calendar
import datetime
import gzip
import io
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import AAF_VERSION, SDET_VERSION

CHUNK_SIZE = 50_000
BUFFER = 1 << 20

DTD = """<!ELEMENT ficAlimMENESR (addRequest|modifyRequest|deleteRequest)*>
<!ELEMENT addRequest (operationalAttributes, identifier, attributes)>
<!ELEMENT modifyRequest (operationalAttributes, identifier, modifications)>
<!ELEMENT deleteRequest (operationalAttributes, identifier)>
<!ELEMENT operationalAttributes (attr)>
<!ELEMENT identifier (id)>
<!ELEMENT attributes (attr+)>
<!ELEMENT attr (value+)>
<!ELEMENT modifications (modification+)>
<!ELEMENT modification (value+)>
<!ELEMENT value (#PCDATA)>
<!ELEMENT id (#PCDATA)>
<!ATTLIST attr name CDATA #REQUIRED>
<!ATTLIST modification
        name CDATA #REQUIRED
        operation (replace) #REQUIRED>
"""


@dataclass
class FileSummary:
    path: Path
    category: str
    records: int
    bytes: int
    operations: dict[str, int] = field(default_factory=dict)  # add/modify/delete counts


def header(academy: str, date: datetime.date) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'
        "<ficAlimMENESR>\n"
        f'<!-- versionAF="{AAF_VERSION}" -->\n'
        f'<!-- versionSDET="{SDET_VERSION}" -->\n'
        f'<!-- codeAcademieExport="{academy}" -->\n'
        '<!-- degre="2D" -->\n'
        f'<!-- dateGenerationExport="{date.strftime("%d/%m/%Y")}" -->\n\n'
    )


def file_prefix(academy: str) -> str:
    return f"ENT2D-ENT{academy}"


def archive_name(date: datetime.date, delta: bool) -> str:
    return f"ENT2D.{date:%Y%m%d}{'_Delta' if delta else ''}.tgz"


class ChunkedWriter:
    """Writes the requests of one category, opening a new chunk every ``chunk_size``."""

    def __init__(
        self,
        directory: Path,
        academy: str,
        kind: str,
        date: datetime.date,
        category: str,
        on_file: Callable[[FileSummary], None],
        chunk_size: int | None = None,
    ) -> None:
        self.directory = directory
        self.name = f"{file_prefix(academy)}_{kind}_{date:%Y%m%d}_{category}"
        self.header = header(academy, date)
        self.category = category
        self.chunk_size = chunk_size or CHUNK_SIZE
        self.on_file = on_file
        self.chunk = -1
        self.count = 0
        self.operations: dict[str, int] = {}
        self._handle: io.TextIOWrapper | None = None
        self._path: Path | None = None
        self._open()

    def _open(self) -> None:
        self.chunk += 1
        self.count = 0
        self.operations = {}
        self._path = self.directory / f"{self.name}_{self.chunk:04d}.xml"
        self._handle = open(  # noqa: SIM115 - closed in _close
            self._path, "w", encoding="utf-8", newline="\n", buffering=BUFFER
        )
        self._handle.write(self.header)

    def _close(self) -> None:
        assert self._handle is not None and self._path is not None
        self._handle.write("</ficAlimMENESR>\n")
        self._handle.close()
        self._handle = None
        self.on_file(
            FileSummary(
                self._path,
                self.category,
                self.count,
                self._path.stat().st_size,
                dict(self.operations),
            )
        )

    def write(self, request: str, operation: str = "add") -> None:
        if self.count >= self.chunk_size:
            self._close()
            self._open()
        assert self._handle is not None
        self._handle.write(request)
        self.count += 1
        self.operations[operation] = self.operations.get(operation, 0) + 1

    def close(self) -> None:
        if self._handle is not None:
            self._close()

    def __enter__(self) -> ChunkedWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_dtd(directory: Path) -> None:
    (directory / "ficAlimMENESR.dtd").write_text(DTD, encoding="utf-8")


def pack(directory: Path, files: list[Path], date: datetime.date, delta: bool) -> Path:
    """Reproducible ``ENT2D.<date>.tgz`` holding ``files`` (flat, in the given order)."""
    target = directory / archive_name(date, delta)
    mtime = calendar.timegm(date.timetuple())
    with (
        open(target, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime, compresslevel=6) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar,
    ):
        for path in files:
            info = tarfile.TarInfo(path.name)
            info.size = path.stat().st_size
            info.mtime = mtime
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            with open(path, "rb") as source:
                tar.addfile(info, source)
    return target
