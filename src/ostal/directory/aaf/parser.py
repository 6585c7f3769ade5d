"""Streaming reader for one AAF file (``ficAlimMENESR``), reference note §3.1 to §3.4.

Implements:

* the national file-name grammar ``<prefix>_<Complet|Delta>_<YYYYMMDD>_<Category>_<NNNN>.xml``
  (:func:`parse_file_name`);
* the ``ficAlimMENESR.dtd`` grammar, checked while streaming: ``addRequest`` carries
  ``attributes``, ``modifyRequest`` carries ``modifications/modification[@operation=
  "replace"]``, ``deleteRequest`` carries neither; every request names its category in
  ``operationalAttributes`` and that category must be the file's one (:func:`iter_records`);
* "an empty ``<value/>`` means no value": empty values are dropped, and an attribute left
  with no value maps to an empty tuple, which in a ``modifyRequest`` means "clear it";
* the 2024 header comments (``versionAF``, ``codeAcademieExport``…) (:func:`read_header`).

Files of several hundred MB are read with constant memory: lxml's ``iterparse`` only
reports finished requests, each one is converted, then cleared and detached from the tree.
Safety (no DTD, no entity declaration, encodings) is handled by :mod:`._stream`.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Literal

from lxml import etree

from ._fast import AafRecord, Irregular, RawRequest, checked_request, iter_fast
from ._stream import HEAD_SIZE, SanitizedStream, sniff_encoding
from .errors import AafError

__all__ = [
    "CATEGORIES",
    "CATEGORY_MARKERS",
    "AafError",
    "AafFileInfo",
    "AafRecord",
    "RawRequest",
    "iter_records",
    "iter_requests",
    "national_order_key",
    "parse_file_name",
    "read_header",
]

Operation = Literal["add", "modify", "delete"]
Kind = Literal["complete", "delta"]

#: File categories in the national processing order (EtabEducNat first, staff last).
CATEGORIES: tuple[str, ...] = (
    "EtabEducNat",
    "MatiereEducNat",
    "MefEducNat",
    "Eleve",
    "PersRelEleve",
    "PersEducNat",
)

#: File category → the (attribute name, value) its requests carry in operationalAttributes.
CATEGORY_MARKERS: dict[str, tuple[str, str]] = {
    "EtabEducNat": ("categorieStructure", "EtabEducNat"),
    "MatiereEducNat": ("categorieMatiere", "MatEducNat"),
    "MefEducNat": ("categorieMef", "MefEducNat"),
    "Eleve": ("categoriePersonne", "Eleve"),
    "PersRelEleve": ("categoriePersonne", "PersRelEleve"),
    "PersEducNat": ("categoriePersonne", "PersEducNat"),
}

_ROOT = "ficAlimMENESR"
_OPERATIONS: dict[str, Operation] = {
    "addRequest": "add",
    "modifyRequest": "modify",
    "deleteRequest": "delete",
}
_PAYLOAD = {"addRequest": "attributes", "modifyRequest": "modifications", "deleteRequest": None}

# The prefix is free text (``ENT2DVA-ENT16``, ``FULL_ENTTSSERVICES``, ``clean-…``), so
# the name is anchored on its fixed right-hand part.
_FILE_NAME_RE = re.compile(
    r"^(?P<prefix>.+)_(?P<kind>Complet|Delta)_(?P<date>\d{8})_"
    r"(?P<category>" + "|".join(CATEGORIES) + r")_(?P<chunk>\d{4,})\.xml$",
    re.IGNORECASE,
)
_CANONICAL_CATEGORY = {name.lower(): name for name in CATEGORIES}
_HEADER_COMMENT_RE = re.compile(r"<!--\s*([A-Za-z][\w.-]*)\s*=\s*\"([^\"]*)\"\s*-->")
_FIRST_REQUEST_RE = re.compile(r"<(?:addRequest|modifyRequest|deleteRequest)\b")


@dataclass(frozen=True)
class AafFileInfo:
    """What the national file name says about an AAF file."""

    path: PurePath
    prefix: str
    kind: Kind
    date: datetime.date
    category: str
    chunk: int

    @property
    def name(self) -> str:
        return self.path.name


def parse_file_name(path: str | os.PathLike[str]) -> AafFileInfo:
    """Decode ``<prefix>_<Complet|Delta>_<YYYYMMDD>_<Category>_<NNNN>.xml``.

    Raises :class:`AafError` naming the file when the name does not follow the grammar.
    """
    pure = PurePath(path)
    match = _FILE_NAME_RE.match(pure.name)
    if match is None:
        raise AafError(
            "nom de fichier AAF non reconnu (attendu "
            "<préfixe>_<Complet|Delta>_<AAAAMMJJ>_<Catégorie>_<NNNN>.xml)",
            file=pure.name,
        )
    raw_date = match.group("date")
    try:
        day = datetime.datetime.strptime(raw_date, "%Y%m%d").date()
    except ValueError:
        raise AafError(f"date « {raw_date} » invalide dans le nom", file=pure.name) from None
    kind: Kind = "complete" if match.group("kind").lower() == "complet" else "delta"
    return AafFileInfo(
        path=pure,
        prefix=match.group("prefix"),
        kind=kind,
        date=day,
        category=_CANONICAL_CATEGORY[match.group("category").lower()],
        chunk=int(match.group("chunk")),
    )


def national_order_key(info: AafFileInfo) -> tuple[int, int, str]:
    """Sort key giving the national processing order: category first, then chunk."""
    return CATEGORIES.index(info.category), info.chunk, info.name


def read_header(source: str | os.PathLike[str] | IO[bytes]) -> dict[str, str]:
    """Header comments such as ``<!-- codeAcademieExport="13" -->`` (2024 format).

    Only the beginning of the file, up to the first request, is read. Older files have
    no such comment except ``versionAF``; a missing key is simply absent from the result.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            head = handle.read(HEAD_SIZE)
        name = Path(source).name
    else:
        head = source.read(HEAD_SIZE)
        name = str(getattr(source, "name", "<flux>"))
    codec, _declared = sniff_encoding(head, file_name=name)
    text = head.decode(codec, errors="replace")
    first_request = _FIRST_REQUEST_RE.search(text)
    if first_request is not None:
        text = text[: first_request.start()]
    return dict(_HEADER_COMMENT_RE.findall(text))


def iter_records(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    file_name: str | None = None,
    category: str | None = None,
) -> Iterator[AafRecord]:
    """Stream the records of one AAF file, checking the grammar as they come.

    ``source`` is a path or a binary file object. ``file_name`` (default: the path's
    name) is used in errors and, unless ``category`` is given, its national name tells
    which category every request must have. Raises :class:`AafError` (with file, line
    and record when known) on malformed XML or on any departure from the grammar; the
    records before the faulty one have already been yielded by then.
    """
    if file_name is None:
        if not isinstance(source, str | os.PathLike):
            raise TypeError("file_name is required when reading from a file object")
        file_name = Path(source).name
    if category is None:
        category = parse_file_name(file_name).category
    elif category not in CATEGORY_MARKERS:
        raise AafError(f"catégorie « {category} » inconnue", file=file_name)
    return _iter_records(source, file_name, category)


def iter_requests(
    source: str | os.PathLike[str] | IO[bytes], *, file_name: str, category: str | None = None
) -> Iterator[RawRequest]:
    """Like :func:`iter_records`, but each request comes undecoded with a digest of its
    content (:class:`RawRequest`): an importer decodes only the records that changed."""
    if category is None:
        category = parse_file_name(file_name).category
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield from _requests(handle, file_name, category)
    else:
        yield from _requests(source, file_name, category)


def _iter_records(
    source: str | os.PathLike[str] | IO[bytes], file_name: str, category: str
) -> Iterator[AafRecord]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield from _parse(handle, file_name, category)
    else:
        yield from _parse(source, file_name, category)


def _parse(raw: IO[bytes], file_name: str, category: str) -> Iterator[AafRecord]:
    for request in _requests(raw, file_name, category):
        yield request.record()


def _requests(raw: IO[bytes], file_name: str, category: str) -> Iterator[RawRequest]:
    """The fast reader first; at its first doubt, the checking reader from the start of
    the file, skipping the requests already given (both give identical records)."""
    start = _position(raw)
    done = 0
    if start is not None:
        stream = SanitizedStream(raw, file_name=file_name)
        try:
            for request in iter_fast(
                stream.read_text,
                file_name=file_name,
                category=category,
                marker=CATEGORY_MARKERS[category],
            ):
                done += 1
                yield request
            return
        except (Irregular, AafError):
            # Errors, and valid but unusual writing, are the checking reader's business.
            raw.seek(start)
    for index, record in enumerate(_parse_checked(raw, file_name, category)):
        if index >= done:
            yield checked_request(record)


def _position(raw: IO[bytes]) -> int | None:
    """Where the file starts, if it can be read again from there."""
    try:
        return raw.tell() if raw.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


def _parse_checked(raw: IO[bytes], file_name: str, category: str) -> Iterator[AafRecord]:
    stream = SanitizedStream(raw, file_name=file_name)
    # Only the root and the requests reach Python: the filtering is done inside lxml,
    # which keeps the per-element cost of big files low.
    context = etree.iterparse(
        stream,
        events=("start", "end"),
        tag=(_ROOT, *_OPERATIONS),
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    builder = _RecordBuilder(file_name, category)
    root: etree._Element | None = None
    current: etree._Element | None = None
    try:
        for event, element in context:
            if element.tag == _ROOT:
                if event == "start":
                    if element.getparent() is not None:
                        raise _stray(element, f"« {_ROOT} » imbriqué", file_name)
                    root = element
                continue
            if event == "start":
                if root is None:
                    _check_root(element.getroottree().getroot(), file_name)
                if element.getparent() is not root:
                    raise _stray(element, "requête imbriquée dans un autre élément", file_name)
                current = element
                continue
            assert root is not None
            # Earlier siblings are finished requests (already cleared) or stray elements.
            previous = element.getprevious()
            while previous is not None:
                if previous.tag not in _OPERATIONS:
                    raise _stray(previous, f"élément « {previous.tag} » inattendu", file_name)
                del root[0]
                previous = element.getprevious()
            record = builder.build(element)
            element.clear(keep_tail=False)
            current = None
            yield record
    except etree.XMLSyntaxError as err:
        record_id = None
        if current is not None:
            record_id = (current.findtext("identifier/id") or "").strip() or None
        raise AafError(
            f"XML mal formé : {err.msg}",
            file=file_name,
            line=err.lineno or None,
            record=record_id,
        ) from None
    final_root = context.root
    if final_root is None:
        raise AafError("document vide", file=file_name)
    _check_root(final_root, file_name)
    for child in final_root:
        if child.tag not in _OPERATIONS:
            raise _stray(child, f"élément « {child.tag} » inattendu", file_name)


def _check_root(root: etree._Element, file_name: str) -> None:
    if root.tag != _ROOT:
        raise AafError(
            f"élément racine « {root.tag} » inattendu (attendu « {_ROOT} »)",
            file=file_name,
            line=root.sourceline,
        )


def _stray(element: etree._Element, message: str, file_name: str) -> AafError:
    """Error about an element found outside any record."""
    return AafError(message, file=file_name, line=element.sourceline)


def _text_of(element: etree._Element) -> str:
    return (element.text or "").strip()


class _RecordBuilder:
    """Turns one finished request element into an :class:`AafRecord`, or refuses it."""

    def __init__(self, file_name: str, category: str) -> None:
        self.file_name = file_name
        self.category = category
        self.marker = CATEGORY_MARKERS[category]
        self._identifier: str | None = None

    def error(self, element: etree._Element, message: str) -> AafError:
        return AafError(
            message, file=self.file_name, line=element.sourceline, record=self._identifier
        )

    def build(self, request: etree._Element) -> AafRecord:
        self._identifier = None
        tag = str(request.tag)
        children = self._children(request)
        # The identifier is looked up first so that every later error can name the record.
        identifiers = [child for child in children if child.tag == "identifier"]
        if len(identifiers) != 1:
            raise self.error(request, "élément « identifier » absent ou répété")
        self._identifier = self._read_identifier(identifiers[0])

        payload = _PAYLOAD[tag]
        expected = ["operationalAttributes", "identifier"] + ([payload] if payload else [])
        found = [str(child.tag) for child in children]
        if found != expected:
            raise self.error(
                request,
                f"contenu de « {tag} » invalide : {', '.join(found) or 'vide'} "
                f"(attendu {', '.join(expected)})",
            )
        self._check_category(children[0])
        attributes: dict[str, tuple[str, ...]] = {}
        if payload == "attributes":
            attributes = self._read_values(children[2], "attr")
        elif payload == "modifications":
            attributes = self._read_values(children[2], "modification")
        return AafRecord(
            operation=_OPERATIONS[tag],
            category=self.category,
            identifier=self._identifier,
            attributes=attributes,
            line=request.sourceline or 0,
            file=self.file_name,
        )

    def _children(self, element: etree._Element) -> list[etree._Element]:
        """Child elements; stray non-blank text is a grammar violation, not data."""
        text = element.text
        if text and not text.isspace():
            raise self.error(element, f"texte inattendu dans « {element.tag} »")
        children = list(element)
        for child in children:
            tail = child.tail
            if tail and not tail.isspace():
                raise self.error(child, f"texte inattendu après « {child.tag} »")
        return children

    def _read_identifier(self, identifier: etree._Element) -> str:
        children = self._children(identifier)
        if len(children) != 1 or children[0].tag != "id":
            raise self.error(identifier, "« identifier » doit contenir un seul « id »")
        if len(children[0]):
            raise self.error(children[0], "« id » ne doit contenir que du texte")
        value = _text_of(children[0])
        if not value:
            raise self.error(children[0], "identifiant « id » vide")
        return value

    def _check_category(self, operational: etree._Element) -> None:
        attrs = self._children(operational)
        expected_name, expected_value = self.marker
        if len(attrs) != 1 or attrs[0].tag != "attr":
            raise self.error(operational, "« operationalAttributes » doit contenir un « attr »")
        name = attrs[0].get("name", "")
        values = self._values(attrs[0])
        if name != expected_name or values != (expected_value,):
            found = f"{name}={'|'.join(values)}"
            raise self.error(
                attrs[0],
                f"catégorie « {found} » incompatible avec le fichier "
                f"{self.category} (attendu {expected_name}={expected_value})",
            )

    def _read_values(self, container: etree._Element, item: str) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        items = self._children(container)
        if not items:
            raise self.error(container, f"« {container.tag} » ne contient aucun « {item} »")
        for element in items:
            if element.tag != item:
                raise self.error(element, f"élément « {element.tag} » inattendu")
            name = (element.get("name") or "").strip()
            if not name:
                raise self.error(element, f"« {item} » sans attribut « name »")
            if item == "modification" and element.get("operation") != "replace":
                raise self.error(
                    element,
                    f"opération « {element.get('operation')} » non prise en charge "
                    f"pour « {name} » (seul « replace » est défini)",
                )
            # A repeated attribute adds its values rather than silently replacing them.
            result[name] = result.get(name, ()) + self._values(element)
        return result

    def _values(self, attr: etree._Element) -> tuple[str, ...]:
        # Hot path (one call per attribute of every record): kept free of helper calls.
        values: list[str] = []
        for value in self._children(attr):
            if value.tag != "value":
                raise self.error(value, f"élément « {value.tag} » inattendu")
            if len(value):
                raise self.error(value, "« value » ne doit contenir que du texte")
            text = value.text
            if text and not text.isspace():
                values.append(text.strip())
        return tuple(values)
