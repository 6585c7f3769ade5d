"""The GAR export: the five files of a complete snapshot, streamed from the directory.

Each file kind (Etab, Eleve, Enseignant, Groupe, RespAff) is written with
``lxml.etree.xmlfile``: one small element per node, written and dropped, so memory stays
flat whatever the region's size. A file holds at most ``nodes_per_file`` nodes (children of
the root); the next node opens the next file (``_0001``, ``_0002``…). Rows come from the
database ordered by person, through ``iterator()``, and the rows of one person are grouped
as they stream by; two streams ordered the same way are merged side by side.

Only what the schema asks for, or what the GAR needs to assign resources, leaves Ostal: see
``docs/gar.md``, field by field. Optional identity fields (INE, birth date, birth name,
civility) are never written.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from lxml import etree

from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    Profile,
    SchoolClass,
    StaffFunction,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.gar.models import GarAppointment
from ostal.gar.selectors import EXPORTED_STATES
from ostal.territory.models import School

NS = "http://data.education.fr/ns/gar"
#: The ``Version`` attribute of each root: the schema's version (GAR-ENT.xsd 1.7).
GAR_VERSION = "1.7"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "GAR-ENT.xsd"
KINDS = ("Etab", "Eleve", "Enseignant", "Groupe", "RespAff")
#: GAR profiles (``GARPersonProfil``), as the schema's documentation spells them.
PUPIL_PROFILE = "National_elv"
TEACHER_PROFILES = {Profile.TEACHER: "National_ens", Profile.LIBRARIAN: "National_doc"}
CHUNK = 2000


def file_name(ent_id: str, stamp: str, kind: str, number: int) -> str:
    """``<idENT>_GAR-ENT_Complet_<yyyyMMdd_HHmmss>_<kind>_<NNNN>.xml``."""
    return f"{ent_id}_GAR-ENT_Complet_{stamp}_{kind}_{number:04d}.xml"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def node(tag: str, *children: tuple[str, str | None]) -> etree._Element:
    """A node with text children in order; a ``None`` value is left out."""
    element = etree.Element(_q(tag), nsmap={None: NS})
    for child_tag, value in children:
        if value is None:
            continue
        etree.SubElement(element, _q(child_tag)).text = value
    return element


def sub(parent: etree._Element, tag: str, *children: tuple[str, str | None]) -> None:
    """A child with text children, appended to ``parent``."""
    element = etree.SubElement(parent, _q(tag))
    for child_tag, value in children:
        if value is not None:
            etree.SubElement(element, _q(child_tag)).text = value


@dataclass
class WrittenFile:
    name: str
    kind: str
    nodes: int = 0
    bytes: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "nodes": self.nodes, "bytes": self.bytes}


class SplitWriter:
    """Writes the nodes of one kind into numbered files of at most ``limit`` nodes each."""

    def __init__(self, folder: Path, ent_id: str, stamp: str, kind: str, limit: int) -> None:
        self.folder, self.ent_id, self.stamp, self.kind, self.limit = (
            folder,
            ent_id,
            stamp,
            kind,
            limit,
        )
        self.files: list[WrittenFile] = []
        self.counts: dict[str, int] = {}
        self._stack: contextlib.ExitStack | None = None
        self._xf: Any = None

    def _open(self) -> None:
        current = WrittenFile(
            file_name(self.ent_id, self.stamp, self.kind, len(self.files)), self.kind
        )
        self.files.append(current)
        stack = contextlib.ExitStack()
        handle = stack.enter_context((self.folder / current.name).open("wb"))
        xf = stack.enter_context(etree.xmlfile(handle, encoding="UTF-8"))
        xf.write_declaration()
        stack.enter_context(
            xf.element(_q(f"GAR-ENT-{self.kind}"), {"Version": GAR_VERSION}, nsmap={None: NS})
        )
        self._stack, self._xf = stack, xf

    def _close(self) -> None:
        if self._stack is not None:
            self._stack.close()
            current = self.files[-1]
            current.bytes = (self.folder / current.name).stat().st_size
            self._stack = self._xf = None

    def write(self, element: etree._Element) -> None:
        if self._stack is None or self.files[-1].nodes >= self.limit:
            self._close()
            self._open()
        self._xf.write(element)
        self.files[-1].nodes += 1
        tag = etree.QName(element).localname
        self.counts[tag] = self.counts.get(tag, 0) + 1

    def finish(self) -> list[WrittenFile]:
        if not self.files:  # an empty kind still gets its (empty) file
            self._open()
        self._close()
        return self.files


def _grouped(rows: Iterable[tuple[Any, ...]], width: int = 1) -> Iterator[tuple[Any, list]]:
    """Consecutive rows sharing their first ``width`` values, as (key, rows)."""
    for key, group in itertools.groupby(rows, key=lambda r: r[:width]):
        yield (key if width > 1 else key[0]), list(group)


def _side_by_side(
    main: Iterator[tuple[Any, list]], side: Iterator[tuple[Any, list]]
) -> Iterator[tuple[Any, list, list]]:
    """Merge two grouped streams ordered by the same key: (key, main rows, side rows)."""
    pending = next(side, None)
    for key, rows in main:
        while pending is not None and pending[0] < key:
            pending = next(side, None)
        if pending is not None and pending[0] == key:
            yield key, rows, pending[1]
            pending = next(side, None)
        else:
            yield key, rows, []


def _union(first: QuerySet[Any, Any], second: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """``UNION`` (duplicates removed) of two row querysets, their default orders dropped."""
    return first.order_by().union(second.order_by())


def _stream(qs: QuerySet[Any, Any]) -> Iterator[tuple[Any, ...]]:
    return qs.iterator(chunk_size=CHUNK)  # type: ignore[no-any-return]


@dataclass
class Snapshot:
    """What the directory gives the GAR, as filtered querysets built once per run."""

    schools: QuerySet[School] = field(default_factory=lambda: School.objects.filter(is_open=True))

    @property
    def person_ok(self) -> Q:
        return Q(person__state__in=EXPORTED_STATES)

    def school_ok(self, prefix: str) -> Q:
        return Q(**{f"{prefix}is_open": True})

    # The classes and groups of the current year (archived ones left out).
    def classes(self) -> QuerySet[SchoolClass]:
        return SchoolClass.objects.filter(archived=False, school__is_open=True)

    def groups(self) -> QuerySet[TeachingGroup]:
        # A group sharing its code with a class of its school would break the file's key
        # (code, UAI): the class wins (``GroupeCollisions`` warning).
        clash = SchoolClass.objects.filter(
            archived=False, school_id=OuterRef("school_id"), code=OuterRef("code")
        )
        return TeachingGroup.objects.filter(archived=False, school__is_open=True).exclude(
            Exists(clash)
        )

    def pupils(self) -> QuerySet[Affiliation]:
        return Affiliation.objects.filter(
            self.person_ok, self.school_ok("school__"), profile=Profile.PUPIL
        )

    def teachers(self) -> QuerySet[Affiliation]:
        return Affiliation.objects.filter(
            self.person_ok, self.school_ok("school__"), profile__in=list(TEACHER_PROFILES)
        )

    # "Is an exported pupil / teacher", as a correlated EXISTS on the row's person column:
    # PostgreSQL plans it as a semi-join. (``person_id IN (subquery)`` was planned as a
    # nested loop over every group and pupil when the tables' statistics were fresh from
    # an import: 25 s instead of 0.1 s for 40 schools.)
    def is_pupil(self, column: str) -> Exists:
        return Exists(self.pupils().filter(person_id=OuterRef(column)))

    def is_teacher(self, column: str) -> Exists:
        return Exists(self.teachers().filter(person_id=OuterRef(column)))


# ---------------------------------------------------------------------------- the files


def write_etab(w: SplitWriter, snap: Snapshot) -> None:
    for uai, name, head_uai in _stream(
        snap.schools.order_by("uai").values_list("uai", "name", "cite_scolaire_head__uai")
    ):
        w.write(
            node(
                "GAREtab",
                ("GARStructureUAI", uai),
                ("GARStructureNomCourant", name),
                ("GAREtablissementStructRattachFctl", head_uai if head_uai != uai else None),
            )
        )
    class_mefs = (
        snap.classes()
        .filter(mef__isnull=False)
        .values_list("school__uai", "mef__code", "mef__label")
    )
    pupil_mefs = Enrolment.objects.filter(
        school_class__in=snap.classes(), pupil__mef__isnull=False, pupil__state__in=EXPORTED_STATES
    ).values_list("school_class__school__uai", "pupil__mef__code", "pupil__mef__label")
    for uai, code, label in _stream(
        _union(class_mefs, pupil_mefs).order_by("school__uai", "mef__code")
    ):
        w.write(
            node("GARMEF", ("GARStructureUAI", uai), ("GARMEFCode", code), ("GARMEFLibelle", label))
        )
    taught = TeachingAssignment.objects.filter(subject__isnull=False)
    by_class = taught.filter(school_class__in=snap.classes()).values_list(
        "school_class__school__uai", "subject__code", "subject__label"
    )
    by_group = taught.filter(group__in=snap.groups()).values_list(
        "group__school__uai", "subject__code", "subject__label"
    )
    for uai, code, label in _stream(
        _union(by_class, by_group).order_by("school_class__school__uai", "subject__code")
    ):
        w.write(
            node(
                "GARMatiere",
                ("GARStructureUAI", uai),
                ("GARMatiereCode", code),
                ("GARMatiereLibelle", label),
            )
        )


def _identity(
    tag: str, person_id: int, rows: list[tuple[Any, ...]], profiles: Callable[[Any], str]
) -> etree._Element:
    """GARIdentite + GARPersonEtab+ from a person's affiliation rows
    ``(person_id, last_name, first_name, uai, profile)``."""
    _pid, last_name, first_name, *_rest = rows[0]
    element = node(tag, ("GARPersonIdentifiant", gar_id(person_id)))
    seen_profiles = []
    for row in rows:
        pair = (row[3], profiles(row[4]))
        if pair not in seen_profiles:
            seen_profiles.append(pair)
            sub(
                element,
                "GARPersonProfils",
                ("GARStructureUAI", pair[0]),
                ("GARPersonProfil", pair[1]),
            )
    sub_text(element, "GARPersonNom", last_name)
    sub_text(element, "GARPersonPrenom", first_name)
    sub_text(element, "GARPersonAutresPrenoms", first_name)
    for uai in dict.fromkeys(row[3] for row in rows):
        sub_text(element, "GARPersonEtab", uai)
    return element


def sub_text(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, _q(tag)).text = value


def gar_id(person_id: int) -> str:
    """``GARPersonIdentifiant``: the person's internal Ostal id, opaque and stable (ADR 0060)."""
    return str(person_id)


AFFILIATION_ROW = ("person_id", "person__last_name", "person__first_name", "school__uai", "profile")


def write_eleve(w: SplitWriter, snap: Snapshot) -> None:
    pupils = snap.pupils().order_by("person_id", "school__uai").values_list(*AFFILIATION_ROW)
    for person_id, rows in _grouped(_stream(pupils)):
        w.write(_identity("GAREleve", person_id, rows, lambda _p: PUPIL_PROFILE))
    enrolments = Enrolment.objects.filter(
        snap.is_pupil("pupil_id"), school_class__in=snap.classes()
    )
    own_mef = enrolments.filter(pupil__mef__isnull=False).values_list(
        "school_class__school__uai", "pupil_id", "pupil__mef__code"
    )
    class_mef = enrolments.filter(
        pupil__mef__isnull=True, school_class__mef__isnull=False
    ).values_list("school_class__school__uai", "pupil_id", "school_class__mef__code")
    for uai, pupil_id, code in _stream(
        _union(own_mef, class_mef).order_by("pupil_id", "school_class__school__uai")
    ):
        w.write(
            node(
                "GARPersonMEF",
                ("GARStructureUAI", uai),
                ("GARPersonIdentifiant", gar_id(pupil_id)),
                ("GARMEFCode", code),
            )
        )
    taught = TeachingAssignment.objects.filter(subject__isnull=False)
    via_class = Enrolment.objects.filter(
        snap.is_pupil("pupil_id"),
        school_class__in=snap.classes(),
        school_class__assignments__in=taught,
    ).values_list(
        "school_class__school__uai", "pupil_id", "school_class__assignments__subject__code"
    )
    via_group = GroupMembership.objects.filter(
        snap.is_pupil("person_id"), group__in=snap.groups(), group__assignments__in=taught
    ).values_list("group__school__uai", "person_id", "group__assignments__subject__code")
    for uai, pupil_id, code in _stream(
        _union(via_class, via_group).order_by("pupil_id", "school_class__school__uai")
    ):
        w.write(
            node(
                "GAREleveEnseignement",
                ("GARStructureUAI", uai),
                ("GARPersonIdentifiant", gar_id(pupil_id)),
                ("GARMatiereCode", code),
            )
        )


def write_enseignant(w: SplitWriter, snap: Snapshot) -> None:
    teachers = snap.teachers().order_by("person_id", "school__uai").values_list(*AFFILIATION_ROW)
    disciplines = (
        StaffFunction.objects.filter(snap.is_teacher("person_id"), school__is_open=True)
        .exclude(discipline_code="")
        .order_by("person_id", "school__uai", "discipline_code")
        .values_list("person_id", "school__uai", "discipline_code")
        .distinct()
    )
    for person_id, rows, posts in _side_by_side(
        _grouped(_stream(teachers)), _grouped(_stream(disciplines))
    ):
        element = _identity("GAREnseignant", person_id, rows, lambda p: TEACHER_PROFILES[p])
        schools = {row[3] for row in rows}
        for uai, codes in itertools.groupby(
            (p for p in posts if p[1] in schools), key=lambda p: p[1]
        ):
            post = etree.SubElement(element, _q("GAREnsDisciplinesPostes"))
            sub_text(post, "GARStructureUAI", uai)
            for code in dict.fromkeys(c[2] for c in codes):
                sub_text(post, "GAREnsDisciplinePosteCode", code)
        w.write(element)
    mefs = (
        TeachingAssignment.objects.filter(
            snap.is_teacher("teacher_id"),
            school_class__in=snap.classes(),
            school_class__mef__isnull=False,
        )
        .order_by("teacher_id", "school_class__school__uai", "school_class__mef__code")
        .values_list("school_class__school__uai", "teacher_id", "school_class__mef__code")
        .distinct()
    )
    for uai, teacher_id, code in _stream(mefs):
        w.write(
            node(
                "GARPersonMEF",
                ("GARStructureUAI", uai),
                ("GARPersonIdentifiant", gar_id(teacher_id)),
                ("GARMEFCode", code),
            )
        )


def write_groupe(w: SplitWriter, snap: Snapshot) -> None:
    for code, uai, label in _stream(
        snap.classes().order_by("school__uai", "code").values_list("code", "school__uai", "label")
    ):
        w.write(
            node(
                "GARGroupe",
                ("GARGroupeCode", code),
                ("GARStructureUAI", uai),
                ("GARGroupeLibelle", label or code),
                ("GARGroupeStatut", "DIVISION"),
            )
        )
    for code, uai, label in _stream(
        snap.groups().order_by("school__uai", "code").values_list("code", "school__uai", "label")
    ):
        w.write(
            node(
                "GARGroupe",
                ("GARGroupeCode", code),
                ("GARStructureUAI", uai),
                ("GARGroupeLibelle", label or code),
                ("GARGroupeStatut", "GROUPE"),
            )
        )
    in_class = Enrolment.objects.filter(
        snap.is_pupil("pupil_id"), school_class__in=snap.classes()
    ).values_list("school_class__school__uai", "pupil_id", "school_class__code")
    in_group = GroupMembership.objects.filter(
        snap.is_pupil("person_id"), group__in=snap.groups()
    ).values_list("group__school__uai", "person_id", "group__code")
    for uai, person_id, code in _stream(
        _union(in_class, in_group).order_by(
            "pupil_id", "school_class__school__uai", "school_class__code"
        )
    ):
        w.write(
            node(
                "GARPersonGroupe",
                ("GARStructureUAI", uai),
                ("GARPersonIdentifiant", gar_id(person_id)),
                ("GARGroupeCode", code),
            )
        )
    for tag, qs, prefix in (
        (
            "GAREnsGroupeMatiere",
            TeachingAssignment.objects.filter(group__in=snap.groups()),
            "group__",
        ),
        (
            "GAREnsClasseMatiere",
            TeachingAssignment.objects.filter(school_class__in=snap.classes()),
            "school_class__",
        ),
    ):
        rows = (
            qs.filter(snap.is_teacher("teacher_id"), subject__isnull=False)
            .order_by("teacher_id", f"{prefix}school__uai", f"{prefix}code", "subject__code")
            .values_list("teacher_id", f"{prefix}school__uai", f"{prefix}code", "subject__code")
            .distinct()
        )
        for (teacher_id, uai, code), items in _grouped(_stream(rows), width=3):
            element = node(
                tag,
                ("GARStructureUAI", uai),
                ("GARPersonIdentifiant", gar_id(teacher_id)),
                ("GARGroupeCode", code),
            )
            for subject in dict.fromkeys(i[3] for i in items):
                sub_text(element, "GARMatiereCode", subject)
            w.write(element)


def write_respaff(w: SplitWriter, snap: Snapshot, warnings: list[str]) -> None:
    rows = (
        GarAppointment.objects.filter(
            ended_at__isnull=True, school__is_open=True, person__state__in=EXPORTED_STATES
        )
        .order_by("person_id", "school__uai")
        .values_list(
            "person_id",
            "person__last_name",
            "person__first_name",
            "person__academic_email",
            "person__email",
            "school__uai",
        )
    )
    for person_id, items in _grouped(_stream(rows)):
        _pid, last_name, first_name, academic, personal = items[0][:5]
        mail = academic or personal
        if not mail:
            warnings.append(
                f"RespAff : la personne {gar_id(person_id)} n'a plus d'adresse électronique, "
                "elle n'est pas transmise."
            )
            continue
        element = node(
            "GARRespAff",
            ("GARPersonIdentifiant", gar_id(person_id)),
            ("GARPersonNom", last_name),
            ("GARPersonPrenom", first_name),
            ("GARPersonMail", mail),
        )
        for uai in dict.fromkeys(i[5] for i in items):
            sub_text(element, "GARRespAffEtab", uai)
        w.write(element)


@dataclass
class Produced:
    files: list[WrittenFile]
    counts: dict[str, dict[str, int]]
    warnings: list[str]


def produce(folder: Path, *, ent_id: str, stamp: str, nodes_per_file: int) -> Produced:
    """Write the five kinds into ``folder``; nothing is validated or sent here."""
    folder.mkdir(parents=True, exist_ok=True)
    snap = Snapshot()
    warnings: list[str] = []
    files: list[WrittenFile] = []
    counts: dict[str, dict[str, int]] = {}
    writers: dict[str, Callable[[SplitWriter], None]] = {
        "Etab": lambda w: write_etab(w, snap),
        "Eleve": lambda w: write_eleve(w, snap),
        "Enseignant": lambda w: write_enseignant(w, snap),
        "Groupe": lambda w: write_groupe(w, snap),
        "RespAff": lambda w: write_respaff(w, snap, warnings),
    }
    for kind in KINDS:
        writer = SplitWriter(folder, ent_id, stamp, kind, nodes_per_file)
        try:
            writers[kind](writer)
        finally:
            files.extend(writer.finish())
        counts[kind] = writer.counts
    collisions = (
        TeachingGroup.objects.filter(archived=False, school__is_open=True).count()
        - snap.groups().count()
    )
    if collisions:
        warnings.append(
            f"Groupe : {collisions} groupe(s) portant le code d'une classe de leur "
            "établissement ne sont pas transmis (la classe l'emporte)."
        )
    return Produced(files, counts, warnings)


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate(folder: Path, files: list[WrittenFile], *, max_errors: int = 20) -> list[str]:
    """Validate each file against GAR-ENT.xsd; the first errors, or an empty list."""
    xsd = schema()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    errors: list[str] = []
    for written in files:
        document = etree.parse(str(folder / written.name), parser)
        if not xsd.validate(document):
            for entry in xsd.error_log:
                errors.append(f"{written.name}, ligne {entry.line} : {entry.message}")
                if len(errors) >= max_errors:
                    return errors
        del document
    return errors
