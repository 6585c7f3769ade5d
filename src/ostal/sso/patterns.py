"""Validation of a connected service's URL pattern (no open redirect, no catch-all).

A pattern is a Python regular expression matched against the ``service`` parameter of
``/cas/login``. Ostal redirects browsers (with a ticket) to whatever matches it, so a pattern
must: compile; be anchored (``^…$``); start with ``https://`` and a host written literally
(dots escaped), so it can only match that host; outside embedded mode, ``http://`` is
refused (embedded/dev mode accepts ``http://localhost`` and ``http://127.0.0.1`` for local
tests). A pattern that still matches a foreign host (top-level ``|``, tricks after the host)
is refused by trying it on hostile addresses.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

MAX_LENGTH = 255

_HOST = r"(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\\.)+[a-z][a-z0-9-]{1,62})"
_LOCAL_HOST = r"(?P<host>localhost|127\\\.0\\\.0\\\.1)"
_PORT = r"(?::[0-9]{1,5})?"
# After the host: a path, the end, a group starting with a path, or an escaped "?".
_AFTER_HOST = r"(?=/|\$|\(/|\(\?:/|\\\?|\\/)"
HTTPS_PREFIX = re.compile(r"^\^https://" + _HOST + _PORT + _AFTER_HOST, re.IGNORECASE)
LOCAL_HTTP_PREFIX = re.compile(r"^\^https?://" + _LOCAL_HOST + _PORT + _AFTER_HOST, re.IGNORECASE)


def pattern_errors(pattern: str) -> list[str]:
    """What is wrong with ``pattern`` (French messages), or an empty list."""
    if not pattern:
        return [_("Indiquez l'expression des adresses du service.")]
    if len(pattern) > MAX_LENGTH:
        return [_("L'expression dépasse %(n)d caractères.") % {"n": MAX_LENGTH}]
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return [_("L'expression ne se compile pas : %(error)s.") % {"error": exc}]
    if not pattern.startswith("^") or not pattern.endswith("$") or pattern.endswith("\\$"):
        return [_("L'expression doit être ancrée : commencer par ^ et finir par $.")]
    prefix = HTTPS_PREFIX.match(pattern)
    if prefix is None and not settings.PRODUCTION:
        prefix = LOCAL_HTTP_PREFIX.match(pattern)
    if prefix is None:
        if pattern.lower().startswith("^http://"):
            return [_("Seules les adresses https:// sont acceptées.")]
        return [
            _(
                "L'expression doit commencer par ^https:// suivi du nom du serveur écrit en "
                "toutes lettres, points échappés (par exemple ^https://pronote\\.exemple\\.fr/)."
            )
        ]
    host = prefix.group("host").replace("\\.", ".")
    hostile = (
        "https://attaquant.invalid/",
        "https://attaquant.invalid/?" + host,
        f"https://{host}.attaquant.invalid/",
        f"https://{host}@attaquant.invalid/",
        f"https://{host}:x@attaquant.invalid/",
        f"http://{host}.attaquant.invalid/",
    )
    if any(compiled.match(url) for url in hostile):
        return [
            _(
                "L'expression accepte d'autres serveurs que %(host)s : elle ne doit désigner "
                "que ce serveur."
            )
            % {"host": host}
        ]
    return []


def pattern_host(pattern: str) -> str:
    """The literal host a valid pattern names (for display)."""
    prefix = HTTPS_PREFIX.match(pattern) or LOCAL_HTTP_PREFIX.match(pattern)
    return prefix.group("host").replace("\\.", ".") if prefix else ""
