"""Reader of Ostal's documented CSV timetable (``docs/schoolday.md``).

UTF-8 (a BOM is accepted), ``;`` separated, one header line with these columns::

    jour;debut;fin;matiere;classes;groupes;enseignants;salle;semaines;du;au

* ``jour``: 1 (lundi) to 7, or the French day name;
* ``debut``/``fin``: ``HH:MM``;
* ``matiere``: subject code or label of the directory;
* ``classes``/``groupes``: codes separated by ``,`` (at least one of the two);
* ``enseignants``: ``NOM Prénom`` separated by ``,``;
* ``semaines``: empty (every week), ``A`` (odd ISO weeks), ``B`` (even ISO weeks) or a list
  of ISO week numbers separated by ``,``;
* ``du``/``au``: ``AAAA-MM-JJ``, the dates the course runs between.
"""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

from ostal.directory.models import school_year_of
from ostal.timetable.importers import CourseDraft, ParsedTimetable, TimetableFileError

COLUMNS = [
    "jour",
    "debut",
    "fin",
    "matiere",
    "classes",
    "groupes",
    "enseignants",
    "salle",
    "semaines",
    "du",
    "au",
]
DAY_NAMES = {"lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6}


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def parse_csv(content: bytes, *, uai: str) -> ParsedTimetable:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise TimetableFileError("le fichier doit être encodé en UTF-8", line) from None
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = [h.strip().lower() for h in next(reader, [])]
    if header != COLUMNS:
        raise TimetableFileError(f"en-tête attendu : {';'.join(COLUMNS)}", 1)
    drafts: list[CourseDraft] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise TimetableFileError(
                f"{len(COLUMNS)} colonnes attendues, {len(row)} trouvées", line
            )
        cell = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
        day_raw = cell["jour"].lower()
        day = DAY_NAMES.get(day_raw) or (int(day_raw) if day_raw.isdigit() else 0)
        if not 1 <= day <= 7:
            raise TimetableFileError(f"jour « {cell['jour']} » inconnu", line)
        try:
            start, end = time.fromisoformat(cell["debut"]), time.fromisoformat(cell["fin"])
        except ValueError:
            raise TimetableFileError("heures attendues au format HH:MM", line) from None
        if start >= end:
            raise TimetableFileError("l'heure de fin doit suivre l'heure de début", line)
        try:
            first, last = date.fromisoformat(cell["du"]), date.fromisoformat(cell["au"])
        except ValueError:
            raise TimetableFileError("dates attendues au format AAAA-MM-JJ", line) from None
        if first > last:
            raise TimetableFileError("la date « du » doit précéder la date « au »", line)
        if not cell["matiere"]:
            raise TimetableFileError("matière manquante", line)
        classes, groups = _split(cell["classes"]), _split(cell["groupes"])
        if not classes and not groups:
            raise TimetableFileError("au moins une classe ou un groupe est nécessaire", line)
        weeks_raw = cell["semaines"].upper()
        mondays: list[date] = []
        if weeks_raw:
            monday = first - timedelta(days=first.weekday())
            wanted: set[int] | None = None
            if weeks_raw not in {"A", "B"}:
                try:
                    wanted = {int(w) for w in _split(weeks_raw)}
                except ValueError:
                    raise TimetableFileError(
                        "« semaines » : vide, A, B ou des numéros de semaine", line
                    ) from None
            while monday <= last:
                number = monday.isocalendar()[1]
                if (
                    (weeks_raw == "A" and number % 2 == 1)
                    or (weeks_raw == "B" and number % 2 == 0)
                    or (wanted is not None and number in wanted)
                ):
                    mondays.append(monday)
                monday += timedelta(weeks=1)
        teachers = []
        for name in _split(cell["enseignants"]):
            last_name, _sep, first_name = name.partition(" ")
            teachers.append((last_name, first_name))
        drafts.append(
            CourseDraft(
                weekday=day,
                start=start,
                end=end,
                subject_code=cell["matiere"],
                subject_label=cell["matiere"],
                first_date=first,
                last_date=last,
                weeks=mondays,
                classes=classes,
                groups=groups,
                teachers=teachers,
                rooms=[cell["salle"]] if cell["salle"] else [],
                external_id=str(line),
                line=line,
            )
        )
    if not drafts:
        raise TimetableFileError("aucun cours dans le fichier", 2)
    start_year = school_year_of(min(d.first_date for d in drafts))
    return ParsedTimetable(uai=uai, school_year_start=date(start_year, 9, 1), drafts=drafts)
