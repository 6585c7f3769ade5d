"""What an ID token and ``userinfo`` say about a person, per scope.

The facts come from ``ostal.directory.identity`` (the same ones the CAS server releases),
so a partner sees the same person whichever protocol it speaks:

* ``openid``: ``sub`` (``ENTPersonIdentifiant``, stable and opaque);
* ``profile``: ``name``, ``given_name``, ``family_name``, ``preferred_username`` (the
  login), ``birthdate`` (ISO 8601);
* ``email``: ``email`` and ``email_verified``, only for a confirmed address;
* ``ostal``: the SDET attributes under their SDET names (profiles, structures/UAI,
  classes, jointure...), as lists like the CAS attributes. The INE is not released here.

A claim without a value is left out (OpenID Connect Core §5.3.2).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ostal.directory.identity import ATTRIBUTE_NAMES, person_attributes, person_identifier
from ostal.directory.models import Person

# SDET attributes released under scope ``ostal``: their SDET names, minus the INE (a
# national identifier whose release to partners goes through the GAR, not OIDC).
SDET_CLAIMS = tuple(
    name for name in ATTRIBUTE_NAMES if name.startswith("ENT") and name != "ENTEleveINE"
)

CLAIM_SCOPE: dict[str, str] = {
    "sub": "openid",
    "name": "profile",
    "given_name": "profile",
    "family_name": "profile",
    "preferred_username": "profile",
    "birthdate": "profile",
    "email": "email",
    "email_verified": "email",
    **dict.fromkeys(SDET_CLAIMS, "ostal"),
}


def _iso_date(french: str) -> str:
    """``31/12/2012`` (SDET) → ``2012-12-31`` (OIDC ``birthdate``)."""
    return datetime.strptime(french, "%d/%m/%Y").date().isoformat()  # noqa: DTZ007 - a date


def person_claims(person: Person) -> dict[str, Any]:
    """Every claim Ostal can state about ``person``; the caller keeps those its scopes
    allow (``CLAIM_SCOPE``)."""
    attributes = person_attributes(person)

    def first(name: str) -> str:
        values = attributes[name]
        return values[0] if values else ""

    claims: dict[str, Any] = {
        "sub": person_identifier(person),
        "name": first("ENTPersonNomAffichage"),
        "given_name": first("ENTPersonPrenom"),
        "family_name": first("ENTPersonNom"),
        "preferred_username": first("ENTPersonLogin"),
    }
    if birth := first("ENTPersonDateNaissance"):
        claims["birthdate"] = _iso_date(birth)
    if email := first("ENTPersonMail"):
        # person_attributes releases only a confirmed address.
        claims["email"] = email
        claims["email_verified"] = True
    for name in SDET_CLAIMS:
        claims[name] = attributes[name]
    return {key: value for key, value in claims.items() if value not in ("", [])}
