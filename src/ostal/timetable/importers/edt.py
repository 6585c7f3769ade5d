"""Reader of the clear-text "export ENT" of EDT / PRONOTE (Index Education),
``ExportEmploiDuTemps`` version 1.1 and later.

What the software really writes is accepted (comments and whitespace inside elements its
schema declares empty). Weeks: each resource of a ``Cours`` carries its own ``Semaines``
bitmask, bit *i* = school week *i* counted from ``DatePremierJourSemaine1``; weeks are
grouped by the set of resources active in them, one course per group (so A/B weeks and a
teacher who changes mid-year give separate courses). Parties de classe are read as their
class. The encrypted container (``EXPORT_INDEX_EDUCATION``) needs the ENT's partner key
and is refused with a message saying so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, time, timedelta
from typing import Any

from lxml import etree

from ostal.timetable.importers import CourseDraft, ParsedTimetable, TimetableFileError

UAI_RE = re.compile(r"([0-9]{7}[A-Z])")
RESOURCES = ("Professeur", "Classe", "PartieDeClasse", "Groupe", "Salle")


def _local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if _local(c) == name]


def _child(element: Any, name: str) -> Any | None:
    found = _children(element, name)
    return found[0] if found else None


def _attr(element: Any, name: str, *, required: bool = True) -> str:
    value = element.get(name)
    if value is None:
        if required:
            raise TimetableFileError(
                f"attribut « {name} » manquant sur <{_local(element)}>", element.sourceline or 0
            )
        return ""
    return str(value).strip()


def _int(element: Any, name: str) -> int:
    raw = _attr(element, name)
    try:
        return int(raw)
    except ValueError:
        raise TimetableFileError(
            f"« {name} » doit être un nombre entier (trouvé « {raw} »)", element.sourceline or 0
        ) from None


def _date(element: Any, name: str) -> date:
    raw = _attr(element, name)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise TimetableFileError(
            f"« {name} » doit être une date AAAA-MM-JJ (trouvé « {raw} »)", element.sourceline or 0
        ) from None


def _time(element: Any, name: str) -> time:
    raw = _attr(element, name)
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise TimetableFileError(
            f"« {name} » doit être une heure HH:MM:SS (trouvé « {raw} »)", element.sourceline or 0
        ) from None


def _weeks(mask: int) -> list[int]:
    return [i for i in range(1, 64) if mask >> i & 1]


def parse_edt(content: bytes, filename: str = "") -> ParsedTimetable:
    """Read an EDT export; raise ``TimetableFileError`` (with the line) if it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise TimetableFileError(f"XML mal formé ({exc.msg})", line) from None
    name = _local(root)
    if name == "EXPORT_INDEX_EDUCATION":
        raise TimetableFileError(
            "export chiffré : il faut l'export « en clair », ou la clé de partenaire de l'ENT "
            "enregistrée auprès d'Index Education",
            root.sourceline or 0,
        )
    if name != "ExportEmploiDuTemps":
        raise TimetableFileError(
            f"ce fichier n'est pas un export EDT (élément racine <{name}>)", root.sourceline or 0
        )
    uai = (root.get("UAI") or "").strip().upper()
    if not uai:
        found = UAI_RE.search(filename.upper())
        uai = found.group(1) if found else ""
    if not uai:
        raise TimetableFileError("UAI de l'établissement absent du fichier et de son nom", 1)

    year = _child(root, "AnneeScolaire")
    grid = _child(root, "GrilleHoraire")
    if year is None or grid is None:
        raise TimetableFileError("<AnneeScolaire> ou <GrilleHoraire> manquant", root.sourceline)
    year_start, year_end = _date(year, "DateDebut"), _date(year, "DateFin")
    week1 = _date(year, "DatePremierJourSemaine1")
    week1 -= timedelta(days=week1.weekday())
    places: dict[int, tuple[time, time]] = {}
    for holder in _children(grid, "PlacesParJour"):
        for place in _children(holder, "Place"):
            places[_int(place, "Numero")] = (
                _time(place, "LibelleHeureDebut"),
                _time(place, "LibelleHeureFin"),
            )

    def table(section: str, item: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for holder in _children(root, section):
            for element in _children(holder, item):
                out[_attr(element, "Ident")] = element
        return out

    subjects = table("Matieres", "Matiere")
    teachers = table("Professeurs", "Professeur")
    classes = table("Classes", "Classe")
    groups = table("Groupes", "Groupe")
    rooms = table("Salles", "Salle")
    part_to_class: dict[str, str] = {}
    for ident, element in classes.items():
        for part in _children(element, "PartieDeClasse"):
            part_to_class[_attr(part, "Ident")] = ident

    drafts: list[CourseDraft] = []
    skipped: list[dict[str, object]] = []
    for holder in _children(root, "Cours"):
        for number, cours in enumerate(_children(holder, "Cours"), start=1):
            line = cours.sourceline or 0
            day = _int(cours, "Jour")
            if not 1 <= day <= 7:
                raise TimetableFileError(f"jour {day} hors de 1 à 7", line)
            first, count = _int(cours, "NumeroPlaceDebut"), _int(cours, "NombrePlaces")
            last = first + count - 1
            if count < 1 or first not in places or last not in places:
                raise TimetableFileError(
                    f"places {first} à {last} absentes de la grille horaire", line
                )
            matiere = _child(cours, "Matiere")
            if matiere is None:
                raise TimetableFileError("cours sans <Matiere>", line)
            subject = subjects.get(_attr(matiere, "Ident"))
            if subject is None:
                raise TimetableFileError(
                    f"matière {_attr(matiere, 'Ident')} absente de <Matieres>", line
                )
            # week number -> active resources (kind, ident)
            active: dict[int, set[tuple[str, str]]] = defaultdict(set)
            for element in cours:
                kind = _local(element)
                if kind not in RESOURCES:
                    continue
                ident = _attr(element, "Ident")
                known = {
                    "Professeur": teachers,
                    "Classe": classes,
                    "PartieDeClasse": part_to_class,
                    "Groupe": groups,
                    "Salle": rooms,
                }[kind]
                if ident not in known:
                    raise TimetableFileError(f"{kind} {ident} non déclaré dans le fichier", line)
                raw = element.get("Semaines") or element.get("SemainesInclusion")
                if raw is None:
                    raise TimetableFileError(f"<{kind}> sans « Semaines »", line)
                try:
                    mask = int(raw)
                except ValueError:
                    raise TimetableFileError(
                        f"« Semaines » doit être un nombre (trouvé « {raw} »)",
                        element.sourceline or line,
                    ) from None
                for week in _weeks(mask):
                    active[week].add((kind, ident))
            by_resources: dict[frozenset[tuple[str, str]], list[int]] = defaultdict(list)
            for week, resources in sorted(active.items()):
                by_resources[frozenset(resources)].append(week)
            audience_less = True
            for active_set, week_numbers in by_resources.items():
                audience = [r for r in active_set if r[0] in {"Classe", "PartieDeClasse", "Groupe"}]
                if not audience:
                    continue
                audience_less = False
                mondays = [week1 + timedelta(weeks=w - 1) for w in week_numbers]
                mondays = [m for m in mondays if year_start - timedelta(days=6) <= m <= year_end]
                if not mondays:
                    continue
                draft = CourseDraft(
                    weekday=day,
                    start=places[first][0],
                    end=places[last][1],
                    subject_code=_attr(subject, "Code", required=False),
                    subject_label=_attr(subject, "Libelle", required=False),
                    first_date=max(mondays[0], year_start),
                    last_date=min(mondays[-1] + timedelta(days=6), year_end),
                    weeks=mondays,
                    external_id=f"{number}",
                    line=line,
                )
                for kind, ident in sorted(active_set):
                    if kind == "Professeur":
                        element = teachers[ident]
                        draft.teachers.append(
                            (_attr(element, "Nom"), _attr(element, "Prenom", required=False))
                        )
                    elif kind == "Classe":
                        draft.classes.append(_attr(classes[ident], "Nom"))
                    elif kind == "PartieDeClasse":
                        draft.classes.append(_attr(classes[part_to_class[ident]], "Nom"))
                    elif kind == "Groupe":
                        draft.groups.append(_attr(groups[ident], "Nom"))
                    else:
                        draft.rooms.append(_attr(rooms[ident], "Nom"))
                draft.classes = sorted(set(draft.classes))
                drafts.append(draft)
            if audience_less:
                skipped.append(
                    {
                        "line": line,
                        "message": f"cours de {_attr(subject, 'Libelle', required=False)} "
                        "sans classe ni groupe : ignoré",
                    }
                )
    return ParsedTimetable(uai=uai, school_year_start=year_start, drafts=drafts, skipped=skipped)
