"""The API's JSON parser: DRF's, with a bound on nesting (rule: a request body never makes
the server recurse without limit; ``[[[[…]]]]`` is a 400 in the API error shape).

Python's decoder recurses once per level and fails with ``RecursionError`` (a 500) near
a thousand levels; no Ostal payload goes past a handful. The depth is counted on the text
before decoding, with strings set aside, so the check costs one pass over the body.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

MAX_DEPTH = 32

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings ignored)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class BodyParseError(ParseError):
    """A body that cannot be read; the API answers it as a 400 on the field ``body``."""


class BoundedJSONParser(JSONParser):
    """JSON bodies nested at most ``MAX_DEPTH`` levels deep."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (UnicodeDecodeError, LookupError) as exc:
            raise BodyParseError(_("Le corps de la requête n'est pas un JSON valide.")) from exc
        if json_depth(text) > MAX_DEPTH:
            raise BodyParseError(
                _("Le JSON envoyé est imbriqué sur plus de %(max)s niveaux.") % {"max": MAX_DEPTH}
            )
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise BodyParseError(_("Le corps de la requête n'est pas un JSON valide.")) from exc
