"""Input refused at the edge (rule: a NUL byte never reaches a view, a form or the
database).

PostgreSQL refuses NUL in text (``DataError``), SQLite keeps it, and no person types one:
a NUL byte in the path, a query-string key or value, a form field or a JSON string is
answered 400 before any view runs — the French error page, or the JSON error shape under
``/api/`` (both by ``handler400``, which receives the ``BadParameter``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from ostal.core.params import BadParameter

# ``\u0000`` as a JSON escape: a backslash-u not itself escaped (an even run of backslashes
# before it), or a raw NUL byte (invalid in JSON anyway, refused the same way).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|\x00")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _json_type(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def _nul_in(data: QueryDict) -> str | None:
    """The name of the first field whose name or a value holds a NUL byte."""
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            return key.replace("\x00", "") or "?"
    return None


class RejectNulMiddleware:
    """400 for a NUL byte in the path, the query string, form values or JSON strings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in self._offending(request):
            raise BadParameter(
                name,
                _("Caractère nul interdit dans « %(name)s ».") % {"name": name},
            )
        return self.get_response(request)

    def _offending(self, request: HttpRequest) -> Iterable[str]:
        if "\x00" in request.path_info:
            yield "path"
        if (name := _nul_in(request.GET)) is not None:
            yield name
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in _FORM_TYPES:
            if (name := _nul_in(request.POST)) is not None:
                yield name
        elif _json_type(content_type) and _JSON_NUL.search(request.body):
            yield "body"
