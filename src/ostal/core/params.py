"""Parsers of the values people type into URLs: page numbers, dates and ids.

Rule: every view that reads a page number, a date or an id from a query string, a path or
a form goes through these parsers, so that a value out of range is a clear 400 (or 404 for
a path) and never reaches the database or date arithmetic (``?page=99999999999999999999``,
``?date=9999-12-31``, ``p:²``). Bounds are wide enough for any school use and far from
what Python's ``date`` and the databases' 64-bit integers can hold.

``BadParameter`` is Django's ``BadRequest``: pages answer the French 400 page with the
message, the API the JSON error shape with the parameter under ``fields``.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)
MAX_PAGE = 100_000
MAX_ID = 2**63 - 1  # a 64-bit primary key

_DIGITS = re.compile(r"[0-9]{1,19}")


class BadParameter(BadRequest):
    """A query-string or form value that cannot be read; ``name`` says which."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def parse_id(raw: str | None) -> int | None:
    """The positive id written in ``raw`` (ASCII digits, at most a 64-bit key), else None."""
    if raw is None or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


class IdConverter:
    """The ``<id:…>`` path converter: Django's ``<id:…>`` bounded to a 64-bit key, so
    ``/api/v1/messages/99999999999999999999/`` is a 404 (no URL match), never an integer
    overflow in the database. Registered by ``CoreConfig.ready``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django reads it as "this URL does not match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def page_number(raw: str | None, *, name: str = "page") -> int:
    """The page asked for: 1 when absent; a number from 1 to ``MAX_PAGE``, else 400."""
    if raw is None or raw == "":
        return 1
    value = parse_id(raw)
    if value is None or value > MAX_PAGE:
        raise BadParameter(
            name,
            _("Numéro de page invalide : un nombre entier de 1 à %(max)s est attendu.")
            % {"max": MAX_PAGE},
        )
    return value


def parse_date(raw: str | None) -> date | None:
    """The date written ``AAAA-MM-JJ`` in ``raw`` between ``MIN_DATE`` and ``MAX_DATE``,
    else None."""
    if not raw or len(raw) > 32:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        return None
    return value if MIN_DATE <= value <= MAX_DATE else None


def date_param(raw: str | None, *, default: date, name: str = "date") -> date:
    """The date of a query-string value: ``default`` when absent, else a date between
    ``MIN_DATE`` and ``MAX_DATE`` (400 otherwise)."""
    if raw is None or raw == "":
        return default
    value = parse_date(raw)
    if value is None:
        raise BadParameter(name, _date_message())
    return value


def _date_message() -> str:
    return _("Date invalide : une date AAAA-MM-JJ entre %(min)s et %(max)s est attendue.") % {
        "min": MIN_DATE.year,
        "max": MAX_DATE.year,
    }


def validate_date_bounds(value: date) -> None:
    """Form and serializer validator: the date (or the day of a datetime) lies between
    ``MIN_DATE`` and ``MAX_DATE``."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(DATE_BOUNDS_MESSAGE, code="date_bounds")


DATE_BOUNDS_MESSAGE = gettext_lazy("La date doit être comprise entre 1900 et 2200.")
