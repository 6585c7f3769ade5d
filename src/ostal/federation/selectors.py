"""Which Ostal accounts an identity provider's assertion proves (never creates any).

Rules held here (sdet-reference §4.2–4.3, as ODE's ``SSOEduConnect`` / ``SSOAgents``):
* EduConnect: keep the ``FrEduCtRefId`` values that start with ``{AAF}``; split the rest on
  ``|`` into exactly three parts [académie code, ?, jointure]; the académie code names a
  directory source (``Source.academy.code``, or the table ``OSTAL_SAML_EDUCONNECT_SOURCES``
  for codes that are not an académie, "98" agricultural); the account is the pupil or
  parent with that (source, jointure). Several values may prove several accounts (a parent
  with children in two académies): the person then chooses among those only;
* staff portals: the academic e-mail (``ctemail``, else ``mail``) matches, case
  insensitively, ``Person.academic_email`` of a staff member of that portal's source;
* only accounts that may log in are returned: active ones, and never-activated ones when
  ``OSTAL_SAML_ACTIVATES_ACCOUNTS`` is on (the provider has authenticated the person).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from ostal.directory.models import STAFF_PROFILES, Person, Profile, Source
from ostal.federation.registry import AGENTS, EDUCONNECT, IdentityProvider

AAF_PREFIX = "{AAF}"
EDUCONNECT_PROFILES = (Profile.PUPIL, Profile.RELATIVE)


@dataclass(frozen=True)
class AafReference:
    """One ``{AAF}code|?|jointure`` value of ``FrEduCtRefId``."""

    academy_code: str
    jointure: str


def attribute_values(attributes: Mapping[str, Iterable[str]], name: str) -> list[str]:
    """The values of an attribute, its name matched without regard to case."""
    wanted = name.lower()
    return [
        str(v).strip()
        for key, values in attributes.items()
        if key.lower() == wanted
        for v in values
        if str(v).strip()
    ]


def aaf_references(values: Iterable[str]) -> list[AafReference]:
    """Parse ``FrEduCtRefId`` values; anything not ``{AAF}a|b|c`` is ignored."""
    refs: list[AafReference] = []
    for value in values:
        if not value.startswith(AAF_PREFIX):
            continue
        parts = value[len(AAF_PREFIX) :].split("|")
        if len(parts) != 3 or not parts[0].strip() or not parts[2].strip():
            continue
        ref = AafReference(parts[0].strip(), parts[2].strip())
        if ref not in refs:
            refs.append(ref)
    return refs


def sources_by_academy_code(codes: Iterable[str]) -> dict[str, Source]:
    """Académie code → directory source: the explicit table first, then the académie."""
    codes = set(codes)
    table: dict[str, str] = dict(settings.OSTAL_SAML_EDUCONNECT_SOURCES)
    found: dict[str, Source] = {}
    explicit = {code: table[code] for code in codes if code in table}
    for source in Source.objects.filter(code__in=explicit.values()):
        for code, source_code in explicit.items():
            if source.code == source_code:
                found[code] = source
    rest = codes - set(explicit)
    if rest:
        for source in Source.objects.filter(
            kind=Source.Kind.AAF, academy__kind="academy", academy__code__in=rest
        ).select_related("academy"):
            assert source.academy is not None
            found.setdefault(source.academy.code, source)
    return found


def _loginable_states() -> list[str]:
    states: list[str] = [Person.State.ACTIVE]
    if settings.OSTAL_SAML_ACTIVATES_ACCOUNTS:
        states.append(Person.State.TO_ACTIVATE)
    return states


def educonnect_accounts(attributes: Mapping[str, Iterable[str]]) -> list[Person]:
    refs = aaf_references(attribute_values(attributes, "FrEduCtRefId"))
    sources = sources_by_academy_code(ref.academy_code for ref in refs)
    keys = [
        (sources[ref.academy_code], ref.jointure) for ref in refs if ref.academy_code in sources
    ]
    if not keys:
        return []
    match = Q()
    for source, jointure in keys:
        match |= Q(source=source, external_id=jointure)
    return list(
        Person.objects.filter(match)
        .filter(profile__in=EDUCONNECT_PROFILES, state__in=_loginable_states())
        .select_related("source")
        .order_by("pk")
    )


def staff_accounts(
    provider: IdentityProvider, attributes: Mapping[str, Iterable[str]]
) -> list[Person]:
    emails = attribute_values(attributes, "ctemail") or attribute_values(attributes, "mail")
    if not emails:
        return []
    match = Q()
    for email in emails:
        match |= Q(academic_email__iexact=email)
    return list(
        Person.objects.filter(match)
        .filter(
            source__code=provider.source,
            profile__in=STAFF_PROFILES,
            state__in=_loginable_states(),
        )
        .select_related("source")
        .order_by("pk")
    )


def accounts_for_assertion(
    *, provider: IdentityProvider, attributes: Mapping[str, Iterable[str]]
) -> list[Person]:
    """The accounts this (verified) assertion proves, in a stable order."""
    if provider.kind == EDUCONNECT:
        return educonnect_accounts(attributes)
    if provider.kind == AGENTS:
        return staff_accounts(provider, attributes)
    return []
