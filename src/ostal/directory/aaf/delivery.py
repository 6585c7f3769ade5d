"""Opening an AAF delivery and listing its files in the national order (reference §3.1, §3.4).

Rules implemented:

* a delivery is a loose XML file, a directory, a ``.tgz``/``.tar.gz`` (the national
  ``ENT2D.YYYYMMDD….tgz`` packaging) or a ``.zip`` (what some ENTs convert it to);
* only ``*.xml`` files count (the DTD and any other file are ignored) and each must carry
  a national name (:func:`.parser.parse_file_name`);
* one delivery is either complete or delta, for a single date; an archive whose name
  contains ``Delta`` must contain delta files;
* files come out in the national processing order EtabEducNat → MatiereEducNat →
  MefEducNat → Eleve → PersRelEleve → PersEducNat, then by chunk;
* archives are read in place, member by member, never extracted to disk; absolute or
  ``..`` member paths and members that are not regular files (links, devices) make the
  whole archive refused, since a delivery carrying them was not produced by the académie.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from .errors import AafError
from .parser import AafFileInfo, AafRecord, Kind, iter_records, national_order_key, parse_file_name

__all__ = ["Delivery", "open_delivery"]

_TAR_SUFFIXES = (".tgz", ".tar.gz", ".tar", ".tar.bz2", ".tar.xz")
_NATIONAL_ARCHIVE_RE = re.compile(r"^ENT[12]D(?:VA)?\.\d{8}")


class Delivery:
    """The AAF files of one delivery, in processing order. Use it as a context manager."""

    def __init__(
        self,
        path: Path,
        files: list[AafFileInfo],
        *,
        tar: tarfile.TarFile | None = None,
        zip_file: zipfile.ZipFile | None = None,
        members: dict[AafFileInfo, tarfile.TarInfo | zipfile.ZipInfo] | None = None,
    ) -> None:
        self.path = path
        self.files = sorted(files, key=national_order_key)
        self._tar = tar
        self._zip = zip_file
        self._members = members or {}
        self.kind, self.date = _check_consistency(path, self.files)

    @property
    def name(self) -> str:
        return self.path.name

    @contextmanager
    def open(self, info: AafFileInfo) -> Iterator[IO[bytes]]:
        """Binary stream of one file of the delivery (streamed from the archive)."""
        if info not in self.files:
            raise AafError("fichier étranger à cette livraison", file=info.name)
        stream: IO[bytes] | None
        member = self._members.get(info)
        if isinstance(member, tarfile.TarInfo) and self._tar is not None:
            stream = self._tar.extractfile(member)
        elif isinstance(member, zipfile.ZipInfo) and self._zip is not None:
            stream = self._zip.open(member, "r")
        elif self._tar is None and self._zip is None:
            stream = open(info.path, "rb")  # noqa: SIM115 - closed below
        else:  # pragma: no cover - every archived file was registered with its member
            stream = None
        if stream is None:  # pragma: no cover - members were checked to be regular files
            raise AafError("membre d'archive illisible", file=info.name)
        try:
            yield stream
        finally:
            stream.close()

    def records(self) -> Iterator[tuple[AafFileInfo, AafRecord]]:
        """Every record of the delivery, file after file in the national order."""
        for info in self.files:
            with self.open(info) as stream:
                for record in iter_records(stream, file_name=info.name):
                    yield info, record

    def close(self) -> None:
        if self._tar is not None:
            self._tar.close()
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Delivery:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Delivery {self.name} {self.kind} {self.date} ({len(self.files)} fichiers)>"


def open_delivery(path: str | os.PathLike[str]) -> Delivery:
    """Open a loose AAF file, a directory, a tar archive (``.tgz``…) or a ``.zip``."""
    location = Path(path)
    name = location.name
    if location.is_dir():
        return _open_directory(location)
    if not location.is_file():
        raise AafError("livraison introuvable", file=name)
    lowered = name.lower()
    if lowered.endswith(".xml"):
        return Delivery(location, [parse_file_name(location)])
    if lowered.endswith(_TAR_SUFFIXES):
        return _open_tar(location)
    if lowered.endswith(".zip"):
        return _open_zip(location)
    # Misnamed archives: trust the content rather than the suffix.
    if zipfile.is_zipfile(location):
        return _open_zip(location)
    if tarfile.is_tarfile(location):
        return _open_tar(location)
    raise AafError("format de livraison non reconnu (attendu .xml, .tgz, .zip)", file=name)


def _is_candidate(member_name: str) -> bool:
    base = PurePosixPath(member_name).name
    # "._X.xml" files are macOS metadata that archiving tools add next to real files.
    return base.lower().endswith(".xml") and not base.startswith(".")


def _open_directory(directory: Path) -> Delivery:
    files = [
        parse_file_name(entry)
        for entry in sorted(directory.iterdir())
        if entry.is_file() and _is_candidate(entry.name)
    ]
    return Delivery(directory, files)


def _check_member_name(archive: str, member_name: str) -> PurePosixPath:
    # Backslashes are separators for archives built on Windows: treat them as such so
    # that "..\\x" cannot hide a traversal.
    pure = PurePosixPath(member_name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", member_name):
        raise AafError(f"chemin de membre dangereux « {member_name} » refusé", file=archive)
    return pure


def _open_tar(location: Path) -> Delivery:
    try:
        # "r:*" keeps random access (gzip seeks by re-reading), needed to visit members in
        # the national order rather than in the order they were archived.
        archive = tarfile.open(location, mode="r:*")  # noqa: SIM115 - owned by Delivery
    except (tarfile.TarError, OSError) as err:
        raise AafError(f"archive illisible : {err}", file=location.name) from None
    try:
        members: dict[AafFileInfo, tarfile.TarInfo | zipfile.ZipInfo] = {}
        for member in archive.getmembers():
            pure = _check_member_name(location.name, member.name)
            if member.isdir():
                continue
            if not member.isfile():
                raise AafError(
                    f"membre « {member.name} » refusé : ce n'est pas un fichier ordinaire",
                    file=location.name,
                )
            if not _is_candidate(member.name):
                continue
            _add_member(members, parse_file_name(pure), member, location.name)
        return Delivery(location, list(members), tar=archive, members=members)
    except BaseException:
        archive.close()
        raise


def _open_zip(location: Path) -> Delivery:
    try:
        archive = zipfile.ZipFile(location)
    except (zipfile.BadZipFile, OSError) as err:
        raise AafError(f"archive illisible : {err}", file=location.name) from None
    try:
        members: dict[AafFileInfo, tarfile.TarInfo | zipfile.ZipInfo] = {}
        for member in archive.infolist():
            pure = _check_member_name(location.name, member.filename)
            if member.is_dir():
                continue
            # Unix zips keep st_mode in the high bits; only its file-type part matters here.
            file_type = stat.S_IFMT(member.external_attr >> 16)
            if member.create_system == 3 and file_type and file_type != stat.S_IFREG:
                raise AafError(
                    f"membre « {member.filename} » refusé : ce n'est pas un fichier ordinaire",
                    file=location.name,
                )
            if member.flag_bits & 0x1:
                raise AafError(
                    f"membre « {member.filename} » chiffré : non pris en charge",
                    file=location.name,
                )
            if not _is_candidate(member.filename):
                continue
            _add_member(members, parse_file_name(pure), member, location.name)
        return Delivery(location, list(members), zip_file=archive, members=members)
    except BaseException:
        archive.close()
        raise


def _add_member(
    members: dict[AafFileInfo, tarfile.TarInfo | zipfile.ZipInfo],
    info: AafFileInfo,
    member: tarfile.TarInfo | zipfile.ZipInfo,
    archive: str,
) -> None:
    # A tar may hold the same name twice (the last one wins on extraction): ambiguous.
    if info in members:
        raise AafError(f"membre « {info.path} » présent deux fois", file=archive)
    members[info] = member


def _check_consistency(path: Path, files: list[AafFileInfo]) -> tuple[Kind, datetime.date]:
    name = path.name
    if not files:
        raise AafError("aucun fichier AAF dans la livraison", file=name)
    kinds = {info.kind for info in files}
    if len(kinds) > 1:
        raise AafError("livraison mêlant fichiers Complet et Delta", file=name)
    dates = sorted({info.date for info in files})
    if len(dates) > 1:
        listed = ", ".join(day.strftime("%d/%m/%Y") for day in dates)
        raise AafError(f"livraison mêlant plusieurs dates d'export ({listed})", file=name)
    seen: dict[tuple[str, int], str] = {}
    for info in files:
        key = (info.category, info.chunk)
        if key in seen:
            raise AafError(
                f"fichiers en double pour {info.category} n°{info.chunk} : "
                f"{seen[key]} et {info.name}",
                file=name,
            )
        seen[key] = info.name
    kind = files[0].kind
    if not path.is_dir() and not name.lower().endswith(".xml"):
        if "Delta" in name and kind != "delta":
            raise AafError("archive nommée « Delta » mais fichiers Complet", file=name)
        if _NATIONAL_ARCHIVE_RE.match(name) and "Delta" not in name and kind != "complete":
            raise AafError("archive complète contenant des fichiers Delta", file=name)
    return kind, dates[0]
