"""django-cas-server's attribute source: what a ticket says about a person.

``CAS_AUTH_CLASS`` points here. Ostal's own login authenticates (lockout, second factor,
federation); this class never checks a password. Its ``attributs()`` returns
``ostal.directory.identity.person_attributes`` for an *active* person, plus one hidden
attribute, ``ostalScope``, that the registry's filters match to open a service to a region,
an authority's schools or one school. ``ostalScope`` is never released: a service receives
only the attributes listed for it (``ReplaceAttributName`` rows), and the registry only
offers names from ``ATTRIBUTE_NAMES``. A person who is not active gets no attribute, so no
filter matches and no ticket is issued.

django-cas-server asks for the attributes several times while issuing one ticket (each
filter, then the ticket); ``attributes_memo()`` lets a request compute them once.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from cas_server.auth import AuthUser

from ostal.directory.identity import person_attributes
from ostal.directory.models import Person
from ostal.territory.models import School

SCOPE_ATTRIBUTE = "ostalScope"
REGION_SCOPE = "*"

_memo: ContextVar[dict[str, dict[str, list[str]]] | None] = ContextVar(
    "cas_attributes", default=None
)


@contextmanager
def attributes_memo() -> Iterator[None]:
    """Compute each person's attributes once within this block (one request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def scope_values(uais: list[str]) -> list[str]:
    """The ``ostalScope`` values of a person attached to schools ``uais``."""
    values = [REGION_SCOPE] + [f"uai:{uai}" for uai in uais]
    authorities: set[int] = set()
    for row in School.objects.filter(uai__in=uais).values_list(
        "responsible_authority_id", "academy_id", "department__region_id"
    ):
        authorities.update(pk for pk in row if pk)
    return values + [f"authority:{pk}" for pk in sorted(authorities)]


def cas_attributes(username: str) -> dict[str, list[str]]:
    """Every attribute of an active person (plus ``ostalScope``); ``{}`` otherwise."""
    person = Person.objects.filter(username=username).select_related("source").first()
    if person is None or not person.is_active:
        return {}
    attributes = person_attributes(person)
    attributes[SCOPE_ATTRIBUTE] = scope_values(attributes["ENTStructureUAI"])
    return attributes


class PersonAttributes(AuthUser):  # type: ignore[misc]
    """The ``CAS_AUTH_CLASS``: attributes only; passwords are Ostal's login's business."""

    def test_password(self, password: str) -> bool:
        return False

    def attributs(self) -> dict[str, list[str]]:
        memo = _memo.get()
        if memo is None:
            return cas_attributes(self.username)
        if self.username not in memo:
            memo[self.username] = cas_attributes(self.username)
        return copy.deepcopy(memo[self.username])
