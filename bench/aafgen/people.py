"""People of the synthetic region: families, relatives, pupils' and staff identities.

Every value here comes from a :class:`.rng.Draw` keyed by the entity, so that the same
person is rendered identically wherever it appears: in the pupil's record and the
relative's record, in the complete export and in the delta, and — for the families that
straddle the two académies — in both deliveries (their key does not name the académie).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .catalog import IN_CHARGE_LINKS, LANDLINE, MOBILE, RELATIVE_MAIL_DOMAINS, TOWNS
from .names import BOYS, GIRLS, MEN, STREETS, SURNAMES, WOMEN
from .rng import Draw, cumulative

ALL_DEPARTMENTS = tuple(sorted(TOWNS))
_IN_CHARGE = tuple(code for code, _ in IN_CHARGE_LINKS)
_IN_CHARGE_CUM = cumulative([w for _, w in IN_CHARGE_LINKS])

SIBLING_RATE = 0.19  # share of pupils who join an existing family
LEVEL2_RATE = 0.45  # families with a level-2 "personne en charge"


def esc(text: str) -> str:
    """XML-escape a value, apostrophes included (as the national exports do)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;")
        .replace('"', "&quot;")
    )


@lru_cache(maxsize=4096)
def x(text: str) -> str:
    """:func:`esc` for the bounded set of catalogue strings (names, towns, labels)."""
    return esc(text)


@lru_cache(maxsize=4096)
def mail_part(text: str) -> str:
    """``Jean-Marc`` → ``jean-marc``, ``D'ALMEIDA`` → ``dalmeida``."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-")


def phone(prefix: str, draw: Draw) -> str:
    return f"{prefix} {draw.below(100):02d} {draw.below(100):02d}"


def birth_date(year: int, draw: Draw) -> str:
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=draw.below(365))
    return day.strftime("%d/%m/%Y")


@dataclass(slots=True)
class RelativeRole:
    link: str  # codeLien (10 mère, 20 père, 50 tuteur, 38/39/90 level 2)
    financial: str
    legal: str
    contact: str
    gender: str  # "F", "M" or "" (drawn later)


@dataclass(slots=True)
class Family:
    key: str
    surname: str
    street: str  # escaped, "12 RUE DES LILAS"
    town: str  # escaped
    postcode: str
    department: str
    roles: list[RelativeRole]
    separated: bool


def family_key(seed: int, academy: str, index: int, cross: int | None) -> str:
    if cross is not None:
        return f"{seed}:x:{cross}"
    return f"{seed}:{academy}:f:{index}"


def make_family(key: str, department: str, is_cross: bool) -> Family:
    """Who the responsible adults of a family are, and where they live."""
    draw = Draw(key)
    surname = draw.choice(SURNAMES)
    shape = draw.below(100)
    if shape < 86:
        roles = [RelativeRole("10", "1", "1", "1", "F"), RelativeRole("20", "0", "1", "1", "M")]
        if draw.chance(0.45):
            roles[1].financial = "1"
        if draw.chance(0.35):
            roles[1].contact = "0"
    elif shape < 95:
        roles = [RelativeRole("10", "1", "1", "1", "F")]
    elif shape < 98:
        roles = [RelativeRole("20", "1", "1", "1", "M")]
    else:
        roles = [RelativeRole("50", "1", "1", "1", "")]
    if draw.chance(LEVEL2_RATE):
        roles.append(RelativeRole(draw.weighted(_IN_CHARGE, _IN_CHARGE_CUM), "0", "2", "1", ""))
    separated = len(roles) > 1 and roles[1].link == "20" and draw.chance(0.2)
    elsewhere = draw.choice(ALL_DEPARTMENTS)
    if is_cross:
        department = elsewhere
    town, postcode = draw.choice(TOWNS[department])
    street = f"{draw.between(1, 180)} {x(draw.choice(STREETS))}"
    return Family(key, surname, street, x(town), postcode, department, roles, separated)


@dataclass(slots=True)
class Identity:
    title: str
    given: str  # escaped
    surname: str  # escaped (sn)
    birth_name: str  # escaped (ENTPersonNomPatro)
    birth: str
    mail_given: str
    mail_surname: str


def relative_identity(family: Family, slot: int, year: int) -> tuple[Identity, Draw]:
    """The civil identity of one relative; the returned draw continues its stream."""
    role = family.roles[slot]
    draw = Draw(f"{family.key}:r{slot}")
    gender = role.gender or ("F" if draw.chance(0.6) else "M")
    given = draw.choice(WOMEN if gender == "F" else MEN)
    own = draw.choice(SURNAMES)
    if role.link == "10":
        surname, birth_name = family.surname, own if draw.chance(0.7) else family.surname
        age = draw.between(31, 56)
    elif role.link == "20":
        surname = birth_name = family.surname
        age = draw.between(33, 60)
    elif role.link == "38":
        surname = birth_name = family.surname if draw.chance(0.6) else own
        age = draw.between(58, 80)
    else:
        surname = birth_name = own
        age = draw.between(25, 62)
    identity = Identity(
        "Mme" if gender == "F" else "M.",
        x(given),
        x(surname),
        x(birth_name),
        birth_date(year - age, draw),
        mail_part(given),
        mail_part(surname),
    )
    return identity, draw


def relative_contact(
    identity: Identity, draw: Draw, family: Family, slot: int, academy: str
) -> tuple[str, str, str, str, str, str, str]:
    """homePhone, telephoneNumber, mobile, mail, street, postcode, town."""
    landline = LANDLINE.get(academy, LANDLINE["11"])
    home = phone(landline, draw) if draw.chance(0.4) else ""
    work = phone(landline, draw) if draw.chance(0.25) else ""
    mobile = phone(MOBILE, draw) if draw.chance(0.9) else ""
    mail = ""
    if draw.chance(0.78):
        number = str(draw.below(100)) if draw.chance(0.6) else ""
        domain = draw.choice(RELATIVE_MAIL_DOMAINS)
        mail = f"{identity.mail_given}.{identity.mail_surname}{number}@{domain}"
    lives_apart = slot > 0 and (family.roles[slot].legal == "2" or family.separated)
    if lives_apart:
        town, postcode = draw.choice(TOWNS[family.department])
        street, town = f"{draw.between(1, 180)} {x(draw.choice(STREETS))}", x(town)
    else:
        street, postcode, town = family.street, family.postcode, family.town
    return home, work, mobile, mail, street, postcode, town


def pupil_identity(draw: Draw, family: Family, year: int, age: int) -> Identity:
    girl = draw.chance(0.5)
    given = draw.choice(GIRLS if girl else BOYS)
    offset = draw.below(100)
    if offset < 9:
        age += 1  # one year behind
    elif offset < 11:
        age -= 1
    surname = family.surname
    return Identity(
        "Mme" if girl else "M.",
        x(given),
        x(surname),
        x(surname),
        birth_date(year - age, draw),
        mail_part(given),
        mail_part(surname),
    )


def other_given_names(draw: Draw, girl: bool) -> list[str]:
    names = GIRLS if girl else BOYS
    return [x(draw.choice(names)) for _ in range(draw.below(3))]


def staff_identity(draw: Draw, year: int) -> Identity:
    woman = draw.chance(0.62)
    given = draw.choice(WOMEN if woman else MEN)
    surname = draw.choice(SURNAMES)
    birth_name = draw.choice(SURNAMES) if woman and draw.chance(0.3) else surname
    return Identity(
        "Mme" if woman else "M.",
        x(given),
        x(surname),
        x(birth_name),
        birth_date(year - draw.between(23, 64), draw),
        mail_part(given),
        mail_part(surname),
    )
