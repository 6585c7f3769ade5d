"""The fast reader: AAF files as national tools write them, read without building a tree.

Almost every request of a real export has one rigid shape (``<addRequest>`` then
``<operationalAttributes>``, ``<identifier>``, ``<attributes>`` of ``<attr name="…">`` with
``<value>`` texts). This reader recognises that *canonical* shape with regular expressions
run by the ``re`` engine in C, which is several times faster than walking lxml elements in
Python (the cost that dominated imports).

Rules that keep it exactly equivalent to the checking reader of :mod:`.parser`:

* it accepts a subset of what the checking reader accepts: canonical tags without
  attributes or inner spaces, only the five XML entities, no comment, CDATA or character
  reference inside a request, no control character, no ``]]>``; whatever is outside that
  subset raises :class:`Irregular`, and :func:`.parser.iter_records` then re-reads the
  file with the checking reader (which gives the precise error, or the records, for
  exotic but valid files) — skipping the records this reader already yielded;
* it produces the same :class:`AafRecord` values (same stripping, same dropped empty
  values, same accumulation of repeated attributes, same line numbers), which a test
  checks on every real fixture and on generated deliveries.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

Operation = Literal["add", "modify", "delete"]
_OPERATIONS: dict[str, Operation] = {
    "addRequest": "add",
    "modifyRequest": "modify",
    "deleteRequest": "delete",
}

#: The longest request the fast reader buffers before giving up (then: checking reader).
MAX_REQUEST = 4 * 1024 * 1024
_BLOCK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class AafRecord:
    """One request of an AAF file: an entity to add, modify or delete."""

    operation: Operation
    category: str
    identifier: str
    attributes: dict[str, tuple[str, ...]]
    line: int
    file: str

    def first(self, name: str, default: str | None = None) -> str | None:
        """First value of attribute ``name``, or ``default`` when absent or empty."""
        values = self.attributes.get(name)
        return values[0] if values else default


class Irregular(Exception):
    """The file departs from the canonical shape: read it with the checking reader."""


# Quantifiers are possessive (``*+``, Python 3.11): what follows each of them starts with a
# character its class excludes, so giving characters back could never help a match, and
# the engine then keeps no backtracking state (a third faster on real requests).
_WS = r"[ \t\r\n]*+"
# Character data the fast reader accepts: no markup, no control characters; ``&`` only as
# one of the five predefined entities (checked separately, see _TEXT_OK).
_TEXT = r"[^<\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*+"
# Names as the national tools write them: not empty, no blank at either end, no entity (a
# name the checking reader would strip or decode sends the file to it, so that a partial
# read never misses a name under another spelling).
_NAME_VALUE = r"[^\"<&\s\x00-\x1f](?:[^\"<&\t\r\n\x00-\x1f]*[^\"<&\s\x00-\x1f])?"
_ITEM = (
    rf"<(?:attr name=\"{_NAME_VALUE}\"|modification name=\"{_NAME_VALUE}\" "
    rf"operation=\"replace\")>(?:{_WS}(?:<value>{_TEXT}</value>|<value/>))*+{_WS}"
    r"</(?:attr|modification)>"
)
_REQUEST_RE = re.compile(
    rf"<(?P<tag>addRequest|modifyRequest|deleteRequest)>{_WS}"
    rf"<operationalAttributes>{_WS}<attr name=\"(?P<marker>{_NAME_VALUE})\">{_WS}"
    rf"<value>(?P<marker_value>{_TEXT})</value>{_WS}</attr>{_WS}</operationalAttributes>{_WS}"
    rf"<identifier>{_WS}<id>(?P<id>{_TEXT})</id>{_WS}</identifier>{_WS}"
    rf"(?:<(?P<payload>attributes|modifications)>(?P<body>(?:{_WS}{_ITEM})++){_WS}"
    rf"</(?P=payload)>{_WS})?"
    r"</(?P=tag)>"
)
_PAIR_RE = re.compile(
    rf"<(?:attr|modification) name=\"({_NAME_VALUE})\"[^>]*>(.*?)</(?:attr|modification)>",
    re.DOTALL,
)
_VALUE_RE = re.compile(rf"<value>({_TEXT})</value>")
# The common attribute, for parse_body: a plainly spelled name (nothing to strip or decode),
# then either one value without entity or carriage return (group 2) or anything the
# canonical shape allows (group 3, decoded by _values).
_ATTR_RE = re.compile(
    r"<(?:attr|modification) name=\"([A-Za-z][\w.-]*+)\"(?: operation=\"replace\")?>"
    r"(?:<value>([^<&\r]*+)</value>"
    r"|((?:[ \t\n]*+(?:<value>[^<]*+</value>|<value/>))*+[ \t\n]*+))"
    r"</(?:attr|modification)>"
)
_ENTITY_OK = re.compile(r"&(?:amp|lt|gt|quot|apos);")
_START_RE = re.compile(r"<(addRequest|modifyRequest|deleteRequest)>")
# What may sit between requests: blanks and comments.
_BETWEEN_RE = re.compile(r"(?:[ \t\r\n]+|<!--(?:[^-]|-(?!-))*-->)*")
_ROOT_RE = re.compile(
    r"(?:[ \t\r\n]+|<!--(?:[^-]|-(?!-))*-->)*"
    r"<ficAlimMENESR(?:[ \t\r\n]+[A-Za-z_:][\w.:-]*[ \t\r\n]*=[ \t\r\n]*"
    r"(?:\"[^\"<&]*\"|'[^'<&]*'))*[ \t\r\n]*>"
)
_END_RE = re.compile(r"</ficAlimMENESR[ \t\r\n]*>(?:[ \t\r\n]+|<!--(?:[^-]|-(?!-))*-->)*\Z")
_GAP_RE = re.compile(r">[ \t\r\n]++<")


def _digest(chunk: str) -> str:
    """Digest of a request's content: blanks between tags and empty values, which carry
    no data, are left out, so a re-indented export of the same data digests the same."""
    normal = _GAP_RE.sub("><", chunk).replace("<value/>", "").replace("<value></value>", "")
    return "f" + hashlib.md5(normal.encode(), usedforsecurity=False).hexdigest()


def _text(raw: str) -> str:
    """Character data as the XML parser delivers it: line ends normalised, entities
    replaced (only the five predefined ones can be here)."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in raw:
        if len(_ENTITY_OK.findall(raw)) != raw.count("&"):
            raise Irregular("entity")
        raw = html.unescape(raw)
    return raw


def _values(raw: str) -> tuple[str, ...]:
    texts = _VALUE_RE.findall(raw)
    if "&" in raw or "\r" in raw:
        return tuple([_text(t).strip() for t in texts if t and not t.isspace()])
    # Without entities or carriage returns the text is the value: blank ones are dropped.
    return tuple([s for t in texts if (s := t.strip())])


def parse_body(body: str) -> dict[str, tuple[str, ...]]:
    """The attributes of a canonical ``attributes``/``modifications`` body (already
    checked by the request pattern), as the checking reader would give them.

    One pattern reads the common case in C: plainly spelled names, each attribute once.
    Whatever else (a name the checking reader would strip or decode, an attribute repeated)
    goes through :func:`_parse_body_general`: the count of names tells when the pattern
    skipped one, and the size of the dictionary when a name came twice."""
    items = _ATTR_RE.findall(body)
    if len(items) != body.count(' name="'):
        return _parse_body_general(body)
    attributes = {
        name: _values(inner) if inner else ((s,) if (s := single.strip()) else ())
        for name, single, inner in items
    }
    if len(attributes) != len(items):
        return _parse_body_general(body)
    return attributes


def _parse_body_general(body: str) -> dict[str, tuple[str, ...]]:
    attributes: dict[str, tuple[str, ...]] = {}
    for name, inner in _PAIR_RE.findall(body):
        values = _values(inner)
        if "&" in name or name[:1].isspace() or name[-1:].isspace() or not name:
            name = _text(name).strip()
            if not name:
                raise Irregular("name")
        previous = attributes.get(name)
        attributes[name] = values if previous is None else previous + values
    return attributes


def pick(body: str, names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Only the named attributes of a canonical ``attributes`` body (a cheap partial read;
    the fast reader admits only names spelled as they decode, see ``_NAME_VALUE``).
    ``names`` are plain attribute names, as AAF spells them."""
    found: dict[str, tuple[str, ...]] = {}
    for name in names:
        marker = f'<attr name="{name}">'
        at = body.find(marker)
        while at >= 0:
            inner_start = at + len(marker)
            inner_end = body.find("</attr>", inner_start)
            found[name] = found.get(name, ()) + _values(body[inner_start:inner_end])
            at = body.find(marker, inner_end)
    return found


@dataclass(slots=True)
class RawRequest:
    """One request as read, before its attributes are decoded.

    ``digest`` identifies its content: equal digests mean equal records, so an importer
    can recognise an unchanged record without decoding it. The fast reader digests the
    request text; the checking reader (unusual files) digests the decoded attributes.
    """

    operation: Operation
    category: str
    identifier: str
    line: int
    file: str
    digest: str
    body: str | None = None
    built: AafRecord | None = None

    def record(self) -> AafRecord:
        """The full record (decoded once)."""
        if self.built is None:
            self.built = AafRecord(
                operation=self.operation,
                category=self.category,
                identifier=self.identifier,
                attributes=parse_body(self.body) if self.body is not None else {},
                line=self.line,
                file=self.file,
            )
        return self.built

    def partial(self, names: tuple[str, ...]) -> AafRecord:
        """A record holding only ``names`` (all of them when already decoded)."""
        if self.built is not None or self.body is None or self.operation != "add":
            return self.record()
        return AafRecord(
            operation=self.operation,
            category=self.category,
            identifier=self.identifier,
            attributes=pick(self.body, names),
            line=self.line,
            file=self.file,
        )


def checked_request(record: AafRecord) -> RawRequest:
    """Wrap a record of the checking reader."""
    payload = repr(sorted(record.attributes.items())).encode()
    return RawRequest(
        operation=record.operation,
        category=record.category,
        identifier=record.identifier,
        line=record.line,
        file=record.file,
        digest="c" + hashlib.md5(payload, usedforsecurity=False).hexdigest(),
        built=record,
    )


def iter_fast(
    read_text: Callable[[], str], *, file_name: str, category: str, marker: tuple[str, str]
) -> Iterator[RawRequest]:
    """Requests of one file from ``read_text()`` (decoded text, ``""`` at the end); raises
    :class:`Irregular` at the first departure from the canonical shape."""
    buffer = ""
    eof = False

    def more() -> bool:
        nonlocal buffer, eof
        if eof:
            return False
        chunk = read_text()
        if not chunk:
            eof = True
            return False
        buffer += chunk
        return True

    while not eof and len(buffer) < 4096:
        more()
    root = _ROOT_RE.match(buffer)
    while root is None or root.end() == len(buffer):
        if not more():
            raise Irregular("root")
        root = _ROOT_RE.match(buffer)
    line = 1 + buffer.count("\n", 0, root.end())
    pos = root.end()
    expected_name, expected_value = marker
    while True:
        start = _START_RE.search(buffer, pos)
        if start is None:
            if more():
                continue
            between = _BETWEEN_RE.match(buffer, pos)
            if between is None or _END_RE.match(buffer, between.end()) is None:
                raise Irregular("end")
            return
        between = _BETWEEN_RE.match(buffer, pos)
        if between is None or between.end() != start.start():
            raise Irregular("between")
        tag = start.group(1)
        close = buffer.find(f"</{tag}>", start.end())
        while close < 0:
            if len(buffer) - pos > MAX_REQUEST or not more():
                raise Irregular("unclosed")
            close = buffer.find(f"</{tag}>", start.end())
        stop = close + len(tag) + 3
        line += buffer.count("\n", pos, start.start())
        chunk = buffer[start.start() : stop]
        # The request pattern admits no comment, CDATA, processing instruction or nested
        # request (its texts exclude "<"); character references and "]]>" are looked for here.
        if "&#" in chunk or "]]>" in chunk:
            raise Irregular("markup")
        match = _REQUEST_RE.fullmatch(chunk)
        if match is None:
            raise Irregular("shape")
        identifier = _text(match.group("id")).strip()
        payload = match.group("payload")
        operation = _OPERATIONS[tag]
        if (
            not identifier
            or match.group("marker") != expected_name
            or _text(match.group("marker_value")).strip() != expected_value
            or (payload is None) != (operation == "delete")
            or (payload == "modifications") != (operation == "modify")
        ):
            raise Irregular("grammar")
        yield RawRequest(
            operation=operation,
            category=category,
            identifier=identifier,
            line=line,
            file=file_name,
            digest=_digest(chunk),
            body=match.group("body"),
        )
        line += chunk.count("\n")
        pos = stop
        if pos > _BLOCK:
            buffer = buffer[pos:]
            pos = 0
