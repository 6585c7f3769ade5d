"""Login allocation: ``first.last`` with a numeric suffix on collision, never reused.

Rule (directory issue §3): a login, once given to a person, is never given to anybody else,
even after that person's data is deleted (deleted accounts keep their row, anonymised).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ostal.core.sql import select_in
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


def login_allocate(*, first_name: str, last_name: str) -> str:
    base = login_base(first_name, last_name)
    taken = set(Person.objects.filter(username__startswith=base).values_list("username", flat=True))
    return next_free_login(base, taken)


def highest_suffixes(stems: Iterable[str]) -> dict[str, int]:
    """For each stem, the highest suffix already given: 0 when the bare stem is free, 1 when
    only the bare stem is taken, ``n`` when ``stem<n>`` is the highest (gaps stay unused:
    logins are never reused, so allocating above the highest is always safe)."""
    stems = sorted(set(stems))
    highest = dict.fromkeys(stems, 0)
    # Two lookups, one per index: PostgreSQL answers ``stem IN (…) OR username IN (…)`` of
    # a thousand stems by reading the whole table.
    rows = [
        *select_in(Person, ("username", "login_stem"), key="login_stem", values=stems),
        *select_in(Person, ("username", "login_stem"), key="username", values=stems),
    ]
    for username, stem in rows:
        for candidate in (stem, username):
            if candidate not in highest:
                continue
            if username == candidate:
                highest[candidate] = max(highest[candidate], 1)
            elif username.startswith(candidate) and username[len(candidate) :].isdigit():
                highest[candidate] = max(highest[candidate], int(username[len(candidate) :]))
    return highest


class LoginAllocator:
    """Allocates logins for a whole import: each stem's existing logins are read once (one
    query per batch for the stems not seen yet), then kept as one number per stem."""

    def __init__(self) -> None:
        self._highest: dict[str, int] = {}

    def allocate(self, stems: list[str]) -> list[str]:
        unseen = {s for s in stems if s not in self._highest}
        if unseen:
            self._highest.update(highest_suffixes(unseen))
        logins = []
        for stem in stems:
            n = self._highest[stem] + 1
            self._highest[stem] = n
            logins.append(stem if n == 1 else f"{stem}{n}")
        return logins
