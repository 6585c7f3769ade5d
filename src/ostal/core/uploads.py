"""Checks on uploaded files, shared by every app that takes them (cahier de textes,
messaging attachments, the espace documentaire), and how stored files are served.

Rules:
* a file's type is read from its **content** (libmagic on its first 4 KiB), never from its
  name or the client's MIME type, and must be in ``ALLOWED_TYPES``: an ``.html`` renamed
  ``.pdf`` is HTML, and refused;
* a file over its app's size limit, or empty, is refused with a French message naming it;
* a file name keeps no path, no control or format characters, is NFC-normalised and at
  most ``NAME_MAX`` characters; a name left empty, ``.`` or ``..`` is refused;
* stored files are served as downloads (``Content-Disposition: attachment``) with their
  checked type and ``nosniff``; only ``INLINE_TYPES`` (raster images, PDF) may be shown in
  the page — never HTML or SVG, which would run as the ENT's own origin.
"""

from __future__ import annotations

import unicodedata
from typing import IO, Any

import magic
from django.core.exceptions import ValidationError
from django.http import FileResponse

ALLOWED_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "text/csv",
        "audio/mpeg",
        "audio/ogg",
        "video/mp4",
        "application/zip",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/msword",
    }
)
#: Types a browser may show inside the page: raster images and PDF (never HTML, SVG).
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
NAME_MAX = 200
HEAD_BYTES = 4096


def size_mb(limit: int) -> str:
    """A byte limit in whole megabytes, as the messages say it (« 10 Mo »)."""
    return f"{limit // (1024 * 1024)} Mo"


def content_type_of(stream: IO[bytes]) -> str:
    """The type libmagic reads in the first bytes of ``stream`` (rewound afterwards)."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return str(magic.from_buffer(head, mime=True))


def upload_check(upload: Any, *, limit: int, allow_empty: bool = True) -> str:
    """The file's real content type (read from its content, not its name), or a French
    ``ValidationError`` naming the file: over ``limit`` bytes, empty (unless
    ``allow_empty``), or of a type not in ``ALLOWED_TYPES``."""
    size = upload.size
    if size is None or size > limit:
        raise ValidationError(f"« {upload.name} » dépasse la taille maximale de {size_mb(limit)}.")
    if size == 0 and not allow_empty:
        raise ValidationError(f"« {upload.name} » est vide (0 octet) : rien à enregistrer.")
    kind = content_type_of(upload)
    if kind not in ALLOWED_TYPES:
        raise ValidationError(f"« {upload.name} » : ce type de fichier ({kind}) n'est pas accepté.")
    return kind


def clean_filename(raw: str) -> str:
    """``raw`` as a safe file name: its last path component (``/`` or ``\\``), NFC, without
    control or format characters, trimmed, at most ``NAME_MAX`` characters (the extension
    kept); a French ``ValidationError`` when nothing usable is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Zl", "Zp"})
    name = name.strip()
    if not name or set(name) == {"."}:
        raise ValidationError("Le nom du fichier est vide ou n'est pas utilisable.")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_MAX - len(ext) - 1] + "." + ext
        else:
            name = name[:NAME_MAX]
    return name


def file_response(
    stream: IO[bytes], *, name: str, content_type: str, inline: bool = False
) -> FileResponse:
    """A stored file streamed back (``FileResponse`` reads it in chunks) with its checked
    type and ``nosniff``; shown in the page only when asked **and** its type is in
    ``INLINE_TYPES``, otherwise downloaded."""
    shown = inline and content_type in INLINE_TYPES
    response = FileResponse(stream, as_attachment=not shown, filename=name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    if shown:
        # even a shown file runs nothing: no script, no plugin, no form
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    return response
