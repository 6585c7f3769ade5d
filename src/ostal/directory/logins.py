"""Login allocation: ``first.last`` with a numeric suffix on collision, never reused.

Rule (directory issue §3): a login, once given to a person, is never given to anybody else,
even after that person's data is deleted (deleted accounts keep their row, anonymised).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db.models import Q

from ostal.directory.models import Person

_NON_LOGIN = re.compile(r"[^a-z0-9]+")


def login_base(first_name: str, last_name: str) -> str:
    """``Élodie``, ``Dupont-Lagarde`` → ``elodie.dupont-lagarde`` (ASCII, lower case)."""

    def norm(text: str) -> str:
        ascii_text = (
            unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
        )
        return _NON_LOGIN.sub("-", ascii_text).strip("-")

    parts = [p for p in (norm(first_name), norm(last_name)) if p]
    return ".".join(parts)[:140] or "compte"


def next_free_login(base: str, taken: Iterable[str]) -> str:
    """The first of ``base``, ``base2``, ``base3``… not in ``taken``."""
    taken_set = taken if isinstance(taken, set | frozenset) else set(taken)
    if base not in taken_set:
        return base
    n = 2
    while f"{base}{n}" in taken_set:
        n += 1
    return f"{base}{n}"


def logins_taken(stems: Iterable[str]) -> set[str]:
    """Every login already given whose stem (or whole name) is one of ``stems``."""
    stems = list(stems)
    return set(
        Person.objects.filter(Q(login_stem__in=stems) | Q(username__in=stems)).values_list(
            "username", flat=True
        )
    )


def login_allocate(*, first_name: str, last_name: str) -> str:
    base = login_base(first_name, last_name)
    taken = set(Person.objects.filter(username__startswith=base).values_list("username", flat=True))
    return next_free_login(base, taken)
