"""Byte-level pre-pass that makes an AAF file safe and uniform before lxml parses it.

Rules implemented (reference note §3.2, "parser gotchas"):

* **Encoding.** A declared encoding (``UTF-8``, ``ISO-8859-15``…) is honoured strictly.
  Without a declaration (several 2013 files) the bytes are read as UTF-8, and any byte
  sequence that is not valid UTF-8 is read as ISO-8859-15, the other encoding AAF
  exports are known to use. Valid UTF-8 is never reinterpreted.
* **No DTD, no entity declarations.** The ``<!DOCTYPE ficAlimMENESR SYSTEM …>`` line is
  blanked out before the parser sees it, so its system identifier can never be resolved
  (no file read, no network). A DOCTYPE with an internal subset ``[…]`` is refused: it is
  the only place where entities (billion laughs, ``SYSTEM "file:///etc/passwd"``) could be
  declared, and real exports never have one.
* **HTML4 entities.** The national tooling unescapes HTML4 named entities (``&eacute;``)
  before XML parsing; we replace them by their character here. The five XML entities and
  numeric references are left to lxml. Any other named entity is refused with its line.

The output is UTF-8 without XML declaration and with exactly the same line structure as
the source, so line numbers reported by lxml are those of the original file.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from typing import IO

from .errors import AafError

#: How much of the file start is decoded at once to find the declaration and DOCTYPE.
HEAD_SIZE = 64 * 1024
_CHUNK_SIZE = 256 * 1024

_XML_PREDEFINED = frozenset({"amp", "lt", "gt", "quot", "apos"})
_HTML_ENTITIES = {
    name: chr(codepoint)
    for name, codepoint in html.entities.name2codepoint.items()
    if name not in _XML_PREDEFINED
}
_ENTITY_RE = re.compile(r"&([A-Za-z_][A-Za-z0-9._-]*);")
# A reference cut by a chunk boundary: held back until the next chunk completes it.
_PARTIAL_ENTITY_RE = re.compile(r"&[A-Za-z0-9._#-]{0,40}\Z")
_DECLARATION_RE = re.compile(rb"<\?xml[ \t\r\n][^>]*?\?>")
_DECLARATION_TEXT_RE = re.compile(r"<\?xml[ \t\r\n][^>]*?\?>")
_ENCODING_RE = re.compile(rb"""encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_UTF8_BOM = b"\xef\xbb\xbf"
_LATIN9_FALLBACK = "ostal-aaf-latin9-fallback"


def _latin9_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("iso8859-15"), error.end


codecs.register_error(_LATIN9_FALLBACK, _latin9_fallback)


def sniff_encoding(head: bytes, *, file_name: str) -> tuple[str, bool]:
    """Return (Python codec name, declared?) for a file starting with ``head``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AafError("encodage UTF-16 non pris en charge", file=file_name, line=1)
    if head.startswith(_UTF8_BOM):
        head = head[len(_UTF8_BOM) :]
    declaration = _DECLARATION_RE.match(head)
    if declaration is None:
        return "utf-8", False
    found = _ENCODING_RE.search(declaration.group(0))
    if found is None:
        return "utf-8", True
    name = found.group(1).decode("ascii")
    try:
        return codecs.lookup(name).name, True
    except LookupError:
        raise AafError(f"encodage déclaré « {name} » inconnu", file=file_name, line=1) from None


class SanitizedStream:
    """Read-only file-like object giving lxml the cleaned, UTF-8 version of an AAF file."""

    def __init__(self, raw: IO[bytes], *, file_name: str) -> None:
        self._raw = raw
        self._file = file_name
        self._decoder: codecs.IncrementalDecoder | None = None
        self._codec = "utf-8"
        self._out = bytearray()
        self._pending = ""
        self._line = 1  # line of the next character to be emitted
        self._eof = False
        # Text mode (the fast reader): decoded pieces are handed over as str, unencoded.
        self._as_text = False
        self._text_parts: list[str] = []

    @property
    def encoding(self) -> str:
        """Codec used to decode the source (known after the first read)."""
        return self._codec

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._out) < size):
            self._fill()
        if size < 0 or size > len(self._out):
            size = len(self._out)
        data = bytes(self._out[:size])
        del self._out[:size]
        return data

    def read_text(self) -> str:
        """The next piece of the cleaned text as ``str``; ``""`` at the end. A stream is
        read either with this method or with :meth:`read`, never both."""
        self._as_text = True
        while not self._text_parts and not self._eof:
            self._fill()
        if not self._text_parts:
            return ""
        text = "".join(self._text_parts)
        self._text_parts.clear()
        return text

    # -- internals ---------------------------------------------------------------------

    def _fill(self) -> None:
        if self._decoder is None:
            self._start()
            return
        chunk = self._raw.read(_CHUNK_SIZE)
        final = not chunk
        self._emit(self._decode(chunk, final=final), final=final)
        self._eof = final

    def _start(self) -> None:
        head = bytearray()
        while len(head) < HEAD_SIZE:
            chunk = self._raw.read(HEAD_SIZE - len(head))
            if not chunk:
                break
            head += chunk
        final = len(head) < HEAD_SIZE
        self._codec, declared = sniff_encoding(bytes(head), file_name=self._file)
        errors = "strict" if declared else _LATIN9_FALLBACK
        if self._codec == "utf-8":
            # Decoding as utf-8-sig drops a BOM, which would otherwise reach lxml as text.
            self._decoder = codecs.getincrementaldecoder("utf-8-sig")(errors)
        else:
            self._decoder = codecs.getincrementaldecoder(self._codec)(errors)
        text = self._decode(bytes(head), final=final)
        self._emit(self._rewrite_prolog(text, complete=final), final=final)
        self._eof = final

    def _decode(self, data: bytes, *, final: bool) -> str:
        assert self._decoder is not None
        try:
            return self._decoder.decode(data, final)
        except UnicodeDecodeError as err:
            line = self._line + data[: max(err.start, 0)].count(b"\n")
            raise AafError(
                f"octets invalides pour l'encodage déclaré {self._codec}",
                file=self._file,
                line=line,
            ) from None

    def _rewrite_prolog(self, text: str, *, complete: bool) -> str:
        """Drop the XML declaration and the DOCTYPE, keeping their line breaks."""
        parts: list[str] = []
        pos = 0
        declaration = _DECLARATION_TEXT_RE.match(text)
        if declaration is not None:
            parts.append("\n" * declaration.group(0).count("\n"))
            pos = declaration.end()
        size = len(text)
        while True:
            start = pos
            while pos < size and text[pos] in " \t\r\n":
                pos += 1
            parts.append(text[start:pos])
            if text.startswith("<!--", pos):
                end = self._find_end(text, "-->", pos, complete)
                parts.append(text[pos:end])
            elif text.startswith("<?", pos):
                end = self._find_end(text, "?>", pos, complete)
                parts.append(text[pos:end])
            elif text.startswith("<!DOCTYPE", pos):
                end = self._doctype_end(text, pos, complete)
                parts.append("\n" * text.count("\n", pos, end))
            else:
                if not complete and "<!DOCTYPE".startswith(text[pos : pos + 9]):
                    # The head ends inside what may be a DOCTYPE: it must not slip through.
                    self._prolog_error(text, pos, complete)
                break
            pos = end
        parts.append(text[pos:])
        return "".join(parts)

    def _find_end(self, text: str, marker: str, pos: int, complete: bool) -> int:
        end = text.find(marker, pos)
        if end < 0:
            self._prolog_error(text, pos, complete)
        return end + len(marker)

    def _doctype_end(self, text: str, pos: int, complete: bool) -> int:
        quote = ""
        for index in range(pos + len("<!DOCTYPE"), len(text)):
            char = text[index]
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "[":
                raise AafError(
                    "DOCTYPE avec sous-ensemble interne refusé "
                    "(aucune déclaration d'entité n'est admise)",
                    file=self._file,
                    line=1 + text.count("\n", 0, index),
                )
            elif char == ">":
                return index + 1
        self._prolog_error(text, pos, complete)
        raise AssertionError("unreachable")

    def _prolog_error(self, text: str, pos: int, complete: bool) -> None:
        reason = "prologue non terminé" if complete else "prologue trop long"
        raise AafError(reason, file=self._file, line=1 + text.count("\n", 0, pos))

    def _emit(self, text: str, *, final: bool) -> None:
        text = self._pending + text
        self._pending = ""
        if not final:
            ampersand = text.rfind("&")
            if ampersand >= 0 and _PARTIAL_ENTITY_RE.match(text, ampersand):
                self._pending = text[ampersand:]
                text = text[:ampersand]
        if "&" in text:
            text = self._expand_entities(text)
        self._line += text.count("\n")
        if self._as_text:
            self._text_parts.append(text)
        else:
            self._out += text.encode("utf-8")

    def _expand_entities(self, text: str) -> str:
        parts: list[str] = []
        last = 0
        for match in _ENTITY_RE.finditer(text):
            name = match.group(1)
            if name in _XML_PREDEFINED:
                continue
            char = _HTML_ENTITIES.get(name)
            if char is None:
                raise AafError(
                    f"entité « &{name}; » inconnue",
                    file=self._file,
                    line=self._line + text.count("\n", 0, match.start()),
                )
            parts.append(text[last : match.start()])
            parts.append(char)
            last = match.end()
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts)
