"""Decoders for AAF attribute values (reference note §3.2 and §3.3).

Rules implemented: compound values are ``$``-separated and keep their empty fields
(``1 rue de Test$$$`` is four address lines); dates are ``dd/MM/yyyy``; booleans are
``O``/``N`` (``1``/``0`` in compound fields); ``ENTElevePersRelEleve`` is
``jointure$codeLien$respFinancier$respLegal$contact$X``; ``ENTPersonFonctions`` is
``struct$code$libellé$codeDiscipline$libelléDiscipline`` where ``-`` means "none";
class and group references are ``struct$code`` (``struct$code$matière`` for the staff
``…Matieres`` forms); ``ENTStructureNomCourant`` is ``TYPE$NOM$VILLE``.

An empty value means "no value" and decodes to ``None``; a non-empty value that does not
follow its format raises :class:`ValueError`, so that the importer can report it against
the record it came from.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = [
    "DisplayName",
    "PersRelEleveLink",
    "StaffFunction",
    "StructRef",
    "parse_bool",
    "parse_date",
    "parse_display_name",
    "parse_function",
    "parse_pers_rel_eleve",
    "parse_struct_ref",
    "split_compound",
]

_DATE_RE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_TRUE = frozenset({"O", "1"})
_FALSE = frozenset({"N", "0"})
_NONE_MARKER = "-"


def split_compound(value: str) -> list[str]:
    """Split a ``$``-separated value, keeping empty fields (``"a$$b"`` → 3 fields)."""
    return value.split("$")


def parse_date(value: str) -> datetime.date | None:
    """Decode a ``dd/MM/yyyy`` date; ``None`` for an empty value."""
    text = value.strip()
    if not text:
        return None
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"date « {value} » invalide (format attendu JJ/MM/AAAA)")
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"date « {value} » inexistante") from None


def parse_bool(value: str) -> bool | None:
    """Decode ``O``/``N`` (also ``1``/``0``); ``None`` for an empty value."""
    text = value.strip().upper()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"booléen « {value} » invalide (attendu O/N ou 1/0)")


def _optional(field: str) -> str | None:
    text = field.strip()
    return None if text in ("", _NONE_MARKER) else text


@dataclass(frozen=True, slots=True)
class PersRelEleveLink:
    """One pupil → relative link from ``ENTElevePersRelEleve``."""

    relative_id: str
    #: BCN ``N_LIEN_ELEVE_RESPONSABLE`` (10 mère, 20 père, 50 tuteur…; 1–6 in old files).
    relation_code: str | None
    financial: bool | None
    #: 1 = représentant légal, 2 = personne en charge.
    legal_level: int | None
    contact: bool | None
    #: Sixth field, meaning not documented: kept raw.
    extra: str | None


def parse_pers_rel_eleve(value: str) -> PersRelEleveLink:
    """Decode ``2867253$2$1$1$0$0`` (relative, relation, financial, legal, contact, X)."""
    fields = split_compound(value.strip())
    if not 5 <= len(fields) <= 6:
        raise ValueError(
            f"lien élève-responsable « {value} » invalide (6 champs séparés par $ attendus)"
        )
    relative_id = fields[0].strip()
    if not relative_id:
        raise ValueError(f"lien élève-responsable « {value} » sans identifiant de responsable")
    legal = fields[3].strip()
    if legal and not legal.isdigit():
        raise ValueError(f"niveau de responsabilité « {legal} » invalide dans « {value} »")
    return PersRelEleveLink(
        relative_id=relative_id,
        relation_code=_optional(fields[1]),
        financial=parse_bool(fields[2]),
        legal_level=int(legal) if legal else None,
        contact=parse_bool(fields[4]),
        extra=_optional(fields[5]) if len(fields) == 6 else None,
    )


@dataclass(frozen=True, slots=True)
class StaffFunction:
    """One ``ENTPersonFonctions`` value: a staff member's function in a structure."""

    structure_id: str
    function_code: str | None
    function_label: str | None
    discipline_code: str | None
    discipline_label: str | None


def parse_function(value: str) -> StaffFunction:
    """Decode ``50014$DIR$DIRECTION$D0011$DIRECTION ADJOINT…``; ``-`` means none."""
    fields = split_compound(value.strip())
    if len(fields) != 5:
        raise ValueError(f"fonction « {value} » invalide (5 champs séparés par $ attendus)")
    structure_id = fields[0].strip()
    if not structure_id:
        raise ValueError(f"fonction « {value} » sans structure")
    return StaffFunction(
        structure_id=structure_id,
        function_code=_optional(fields[1]),
        function_label=_optional(fields[2]),
        discipline_code=_optional(fields[3]),
        discipline_label=_optional(fields[4]),
    )


@dataclass(frozen=True, slots=True)
class StructRef:
    """A class or group of a structure (``struct$code``), with its subject if given."""

    structure_id: str
    code: str
    subject_code: str | None = None


def parse_struct_ref(value: str) -> StructRef:
    """Decode ``52006$RUS1TERM`` or ``55794$1S2$006600`` (class, group + subject)."""
    fields = split_compound(value.strip())
    if len(fields) not in (2, 3) or not fields[0].strip() or not fields[1].strip():
        raise ValueError(f"référence « {value} » invalide (attendu structure$code[$matière])")
    return StructRef(
        structure_id=fields[0].strip(),
        code=fields[1].strip(),
        subject_code=_optional(fields[2]) if len(fields) == 3 else None,
    )


@dataclass(frozen=True, slots=True)
class DisplayName:
    """``ENTStructureNomCourant``: the usual name of a structure and its parts."""

    type_code: str | None
    name: str
    city: str | None

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.city) if part)


def parse_display_name(value: str) -> DisplayName:
    """Decode ``CLG$CLG INTEGRATION$PARIS``; a value without ``$`` is a bare name."""
    fields = split_compound(value.strip())
    if len(fields) == 1 and fields[0]:
        return DisplayName(type_code=None, name=fields[0], city=None)
    if len(fields) != 3 or not fields[1].strip():
        raise ValueError(f"nom courant « {value} » invalide (attendu TYPE$NOM$VILLE)")
    return DisplayName(
        type_code=_optional(fields[0]),
        name=fields[1].strip(),
        city=_optional(fields[2]),
    )
