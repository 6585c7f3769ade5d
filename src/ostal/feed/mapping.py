"""From AAF records to directory rows: pure functions, no database.

Rules implemented here (directory-feed issue §2, sdet-reference §2.3 and §3.3):
* staff profiles follow their AAF function codes (DIR → direction, EDU/AED → vie scolaire,
  DOC → documentaliste, ENS… → teacher, ADF/ASE… → administrative and technical staff);
  a person in front of pupils (``ENTPersonCategorieEnseignant`` or
  ``PersEducNatPresenceDevantEleves`` = O) is a teacher unless they direct or run the CDI;
* a pupil's relatives are those of ``ENTElevePersRelEleve`` with legal level 1, and level 2
  ("personne en charge") only when the deployment says so;
* a record identical to the one imported last time (same fingerprint) is skipped whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ostal.directory.aaf import values as aaf_values
from ostal.directory.aaf.parser import AafRecord
from ostal.directory.models import Person, Profile
from ostal.territory.models import School

FUNCTION_PROFILES: dict[str, str] = {
    **dict.fromkeys(
        ["ENS", "FCA", "FCP", "FIJ", "IS", "ISES", "PPA", "RPL", "UPI", "BED", "RH1D"],
        Profile.TEACHER,
    ),
    "DOC": Profile.LIBRARIAN,
    **dict.fromkeys(["DIR", "DEC", "DECPR", "DSES"], Profile.DIRECTION),
    **dict.fromkeys(["EDU", "AED", "AES", "SUR"], Profile.SCHOOL_LIFE),
    **dict.fromkeys(
        [
            "ADA",
            "ADF",
            "ADM",
            "ALB",
            "ASE",
            "ASH",
            "CFC",
            "CPD",
            "CTR",
            "LAB",
            "MDS",
            "ORI",
            "OUV",
            "PSY",
            "TEC",
        ],
        Profile.ADMIN_STAFF,
    ),
    **dict.fromkeys(["INJ", "INS"], Profile.ACADEMIC),
    "COLTER": Profile.AUTHORITY_STAFF,
}

CIVILITIES = {"M.": "M.", "M": "M.", "MME": "Mme", "MLLE": "Mme", "MME.": "Mme"}


class MappingError(ValueError):
    """A value that cannot be read; becomes a warning naming the record."""


@dataclass
class StructureData:
    jointure: str
    uai: str
    name: str
    kind: str
    sector: str
    commune: str
    postal_code: str
    head_jointure: str | None
    #: (class code, label, MEF codes) from ``ENTStructureClasses`` (``code$libellé$mef…``)
    classes: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)


@dataclass
class PersonData:
    """What the import writes for one person, as plain values keyed by source ids."""

    category: str
    external_id: str
    profile: str
    fields: dict[str, Any]
    main_structure: str | None = None
    #: (structure id, profile) pairs
    affiliations: list[tuple[str, str]] = field(default_factory=list)
    #: (structure id, class code)
    classes: list[tuple[str, str]] = field(default_factory=list)
    #: (structure id, group code)
    groups: list[tuple[str, str]] = field(default_factory=list)
    #: (relative id, relation code, financial, legal level, contact)
    relatives: list[tuple[str, str, bool, int, bool]] = field(default_factory=list)
    #: (structure id, code, label, discipline code, discipline label)
    functions: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    #: (structure id, "class" | "group", code, subject code or "")
    assignments: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: (structure id, class code)
    head_of: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: a pupil's MEF: (code, label, niveau de formation) from ``ENTEleveMEF``,
    #: ``ENTEleveLibelleMEF`` and ``ENTEleveNivFormation``; the importer turns it into
    #: ``fields["mef_id"]``
    mef: tuple[str, str, str] | None = None
    #: fingerprint of the source record (set by the importer)
    digest: str = ""


def _first(record: AafRecord, name: str) -> str:
    return (record.first(name) or "").strip()


def _date(record: AafRecord, name: str, data: PersonData) -> Any:
    raw = _first(record, name)
    if not raw:
        return None
    try:
        return aaf_values.parse_date(raw)
    except ValueError:
        data.warnings.append(f"date « {raw} » illisible ({name})")
        return None


def _bool(record: AafRecord, name: str) -> bool:
    raw = _first(record, name)
    return bool(raw and aaf_values.parse_bool(raw))


def _refs(record: AafRecord, name: str, data: PersonData) -> list[aaf_values.StructRef]:
    refs = []
    for value in record.attributes.get(name, ()):
        try:
            refs.append(aaf_values.parse_struct_ref(value))
        except ValueError as exc:
            data.warnings.append(str(exc))
    return refs


def _person_fields(record: AafRecord, data: PersonData) -> dict[str, Any]:
    title = _first(record, "personalTitle").upper()
    address = " ".join(
        v.replace("$", " ").strip() for v in record.attributes.get("ENTPersonAdresse", ())
    )
    return {
        "last_name": _first(record, "sn")[:120],
        "first_name": _first(record, "givenName")[:120],
        "birth_name": _first(record, "ENTPersonNomPatro")[:120],
        "birth_date": _date(record, "ENTPersonDateNaissance", data),
        "civility": CIVILITIES.get(title, ""),
        "address": address[:255],
        "postal_code": _first(record, "ENTPersonCodePostal")[:10],
        "city": _first(record, "ENTPersonVille")[:120],
    }


def map_structure(record: AafRecord) -> StructureData:
    uai = _first(record, "ENTStructureUAI") or _first(record, "ENTEtablissementUAI")
    if not uai:
        raise MappingError("structure sans UAI")
    raw_name = _first(record, "ENTStructureNomCourant")
    try:
        display = aaf_values.parse_display_name(raw_name) if raw_name else None
    except ValueError:
        display = None
    name = display.name if display else (raw_name or uai)
    type_text = " ".join(
        filter(
            None, [_first(record, "ENTStructureTypeStruct"), display.type_code if display else ""]
        )
    ).upper()
    contract = _first(record, "ENTEtablissementContrat").upper()
    return StructureData(
        jointure=record.identifier,
        uai=uai.upper()[:8],
        name=name[:160],
        kind=school_kind(type_text),
        sector=School.Sector.PUBLIC if contract in ("", "PU") else School.Sector.PRIVATE,
        commune=(_first(record, "l") or (display.city if display and display.city else ""))[:120],
        postal_code=_first(record, "postalCode")[:5],
        head_jointure=_first(record, "ENTEtablissementStructRattachFctl") or None,
        classes=structure_classes(record),
    )


def structure_classes(record: AafRecord) -> list[tuple[str, str, tuple[str, ...]]]:
    """The classes a structure declares (``ENTStructureClasses``): ``code$libellé`` then
    the class's MEF codes, ``$``-separated (none, one, or several for a class of several
    levels). Empty values (the 2013 export sends ``<value/>``) are skipped."""
    classes = []
    for value in record.attributes.get("ENTStructureClasses", ()):
        parts = [p.strip() for p in value.split("$")]
        if not parts[0]:
            continue
        label = parts[1] if len(parts) > 1 and parts[1] else parts[0]
        mefs = tuple(dict.fromkeys(p[:16] for p in parts[2:] if p))
        classes.append((parts[0][:64], label[:120], mefs))
    return classes


def school_kind(type_text: str) -> str:
    if "AGRI" in type_text or "LEGTA" in type_text or "LPA" in type_text:
        return School.Kind.LYCEE_AGRICOLE
    if "EREA" in type_text:
        return School.Kind.EREA
    if "PROF" in type_text or type_text.split()[:1] == ["LP"]:
        return School.Kind.LYCEE_PRO
    if "POLY" in type_text or "LPO" in type_text:
        return School.Kind.LYCEE_POLY
    if "LYC" in type_text:
        return School.Kind.LYCEE
    if "COLL" in type_text or "CLG" in type_text:
        return School.Kind.COLLEGE
    return School.Kind.OTHER


def map_pupil(record: AafRecord, *, persons_in_charge: bool) -> PersonData:
    data = PersonData("Eleve", record.identifier, Profile.PUPIL, {})
    data.fields = {**_person_fields(record, data), "ine": _first(record, "ENTEleveINE")[:11]}
    data.main_structure = _first(record, "ENTPersonStructRattach") or None
    data.classes = [(r.structure_id, r.code) for r in _refs(record, "ENTEleveClasses", data)]
    data.groups = [(r.structure_id, r.code) for r in _refs(record, "ENTEleveGroupes", data)]
    mef = _first(record, "ENTEleveMEF")[:16]
    if mef:
        data.mef = (
            mef,
            _first(record, "ENTEleveLibelleMEF")[:160],
            _first(record, "ENTEleveNivFormation")[:120],
        )
    structures = {data.main_structure} if data.main_structure else set()
    structures |= {s for s, _ in data.classes}
    data.affiliations = sorted((s, Profile.PUPIL) for s in structures)
    for link in _imported_links(record, persons_in_charge, data.warnings):
        data.relatives.append(
            (
                link.relative_id,
                link.relation_code or "",
                bool(link.financial),
                int(link.legal_level or 1),
                bool(link.contact),
            )
        )
    return data


def _imported_links(
    record: AafRecord, persons_in_charge: bool, warnings: list[str] | None
) -> list[aaf_values.PersRelEleveLink]:
    """The pupil's ``ENTElevePersRelEleve`` links at the legal levels the deployment imports
    (1, and 2 with ``OSTAL_AAF_PERSONS_IN_CHARGE``); unreadable values go to ``warnings``."""
    wanted_levels = {1, 2} if persons_in_charge else {1}
    links = []
    for value in record.attributes.get("ENTElevePersRelEleve", ()):
        try:
            link = aaf_values.parse_pers_rel_eleve(value)
        except ValueError as exc:
            if warnings is not None:
                warnings.append(str(exc))
            continue
        if link.legal_level in wanted_levels:
            links.append(link)
    return links


def named_relatives(record: AafRecord, *, persons_in_charge: bool) -> list[str]:
    """Jointures of the relatives a pupil record names at the imported legal levels
    (unreadable values are reported when the record is mapped)."""
    return [link.relative_id for link in _imported_links(record, persons_in_charge, None)]


def map_relative(record: AafRecord) -> PersonData:
    data = PersonData("PersRelEleve", record.identifier, Profile.RELATIVE, {})
    data.fields = {
        **_person_fields(record, data),
        "email": _first(record, "mail")[:254],
        "mobile": (_first(record, "mobile") or _first(record, "ENTPersonMobileSMS"))[:32],
    }
    return data


def staff_profile(codes: set[str], *, teaches: bool) -> str:
    profiles = {FUNCTION_PROFILES[c] for c in codes if c in FUNCTION_PROFILES}
    for strong in (Profile.DIRECTION, Profile.LIBRARIAN):
        if strong in profiles:
            return strong
    if teaches or Profile.TEACHER in profiles:
        return Profile.TEACHER
    for other in (
        Profile.SCHOOL_LIFE,
        Profile.ADMIN_STAFF,
        Profile.ACADEMIC,
        Profile.AUTHORITY_STAFF,
    ):
        if other in profiles:
            return other
    return Profile.ADMIN_STAFF


def map_staff(record: AafRecord) -> PersonData:
    data = PersonData("PersEducNat", record.identifier, Profile.ADMIN_STAFF, {})
    data.fields = {**_person_fields(record, data), "academic_email": _first(record, "mail")[:254]}
    data.main_structure = _first(record, "ENTPersonStructRattach") or None
    by_structure: dict[str, set[str]] = {}
    for value in record.attributes.get("ENTPersonFonctions", ()):
        try:
            fn = aaf_values.parse_function(value)
        except ValueError as exc:
            data.warnings.append(str(exc))
            continue
        by_structure.setdefault(fn.structure_id, set())
        if fn.function_code:
            by_structure[fn.structure_id].add(fn.function_code)
            data.functions.append(
                (
                    fn.structure_id,
                    fn.function_code[:16],
                    (fn.function_label or "")[:120],
                    (fn.discipline_code or "")[:16],
                    (fn.discipline_label or "")[:120],
                )
            )
    teaches = _bool(record, "ENTPersonCategorieEnseignant") or _bool(
        record, "PersEducNatPresenceDevantEleves"
    )
    all_codes = set().union(*by_structure.values()) if by_structure else set()
    data.profile = staff_profile(all_codes, teaches=teaches)
    with_subject: set[tuple[str, str, str]] = set()
    for kind, attr in (
        ("class", "ENTAuxEnsClassesMatieres"),
        ("group", "ENTAuxEnsGroupesMatieres"),
    ):
        for ref in _refs(record, attr, data):
            data.assignments.append((ref.structure_id, kind, ref.code, ref.subject_code or ""))
            with_subject.add((ref.structure_id, kind, ref.code))
    for kind, attr in (("class", "ENTAuxEnsClasses"), ("group", "ENTAuxEnsGroupes")):
        for ref in _refs(record, attr, data):
            if (ref.structure_id, kind, ref.code) not in with_subject:
                data.assignments.append((ref.structure_id, kind, ref.code, ""))
    data.assignments = sorted(set(data.assignments))
    data.head_of = sorted(
        {(r.structure_id, r.code) for r in _refs(record, "ENTAuxEnsClassesPrincipal", data)}
    )
    structures = set(by_structure) | ({data.main_structure} if data.main_structure else set())
    structures |= {s for s, *_ in data.assignments}
    data.affiliations = sorted(
        (
            s,
            staff_profile(by_structure.get(s, set()), teaches=teaches)
            if s in by_structure
            else data.profile,
        )
        for s in structures
    )
    return data


def display_name(data: PersonData) -> str:
    return f"{data.fields.get('first_name', '')} {data.fields.get('last_name', '')}".strip()


PERSON_MAPPERS = {"Eleve": map_pupil, "PersRelEleve": map_relative, "PersEducNat": map_staff}
PERSON_FIELDS = sorted(
    {
        "last_name",
        "first_name",
        "birth_name",
        "birth_date",
        "civility",
        "address",
        "postal_code",
        "city",
        "ine",
        "email",
        "mobile",
        "academic_email",
        "mef_id",
    }
)
assert set(PERSON_FIELDS) <= {getattr(f, "attname", f.name) for f in Person._meta.get_fields()} | {
    f.name for f in Person._meta.get_fields()
}
