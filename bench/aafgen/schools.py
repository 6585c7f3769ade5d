"""School plans: what kind of school, where, which classes and groups, how many pupils.

Rules implemented (brief + reference note §3.3):

* kinds follow the regional mix of :data:`.catalog.KIND_SHARES` (largest remainder, at
  least one lycée as soon as an académie has two schools); départements follow the
  académie's weights;
* UAIs are 7 digits + the check letter (``"ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23]``), the first
  three digits being the zero-padded département (``0340…`` for Hérault);
* a collège has 4 levels of about 5 classes of ~25 (``6A``, ``4B``), a lycée 2nde/1ère/Tle
  (``2NDE1``, ``1G3``, ``TSTMG1``), a lycée professionnel bac pro and CAP classes; groups
  are language groups per class (``4B_ESP2``), options per level (``GR_LAT5``),
  spécialités per level (``1SPE_MATHS2``) and half-class workshops (``2PRO1_GR1``);
* ``scale`` shrinks schools for the small presets: fewer classes first, then smaller ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .catalog import KIND_SHARES, SCHOOL_TYPES, TOWNS, Academy, SchoolType
from .names import PATRONS

UAI_KEYS = "ABCDEFGHJKLMNPRSTUVWXYZ"
STRUCTURE_BASE = 52000

Teaching = tuple[str, str, float]  # (subject code, discipline key, weekly hours)


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    subject: str
    discipline: str
    hours: float


@dataclass(frozen=True)
class Choice:
    """How the pupils of a class are spread over groups.

    ``options`` lists, per option, the groups that implement it (a pupil who takes the
    option lands in one of them). ``mode``: ``one`` (exactly one option, by weight),
    ``maybe`` (the single option with ``probability``), ``pick`` (``k`` distinct options).
    """

    mode: str
    options: tuple[tuple[int, ...], ...]
    weights: tuple[int, ...] = ()
    k: int = 1
    probability: float = 1.0


@dataclass
class SchoolClass:
    code: str
    mef: str
    age: int  # age reached during the calendar year of the rentrée
    size: int
    teachings: tuple[Teaching, ...]
    choices: list[Choice] = field(default_factory=list)
    first_pupil: int = 0
    index: int = 0  # académie-wide class number


@dataclass
class School:
    index: int
    jointure: int
    uai: str
    kind: str
    department: str
    town: str
    postcode: str
    patron: str
    street: str
    classes: list[SchoolClass] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    first_pupil: int = 0
    pupils: int = 0
    first_staff: int = 0
    staff: int = 0
    #: Other structures (jointures) served by the psychologue de l'EN based here.
    psy_extra: tuple[int, ...] | None = None
    siecle_base: int = 0

    @property
    def type(self) -> SchoolType:
        return SCHOOL_TYPES[self.kind]

    @property
    def name(self) -> str:
        return f"{self.type.sigle} {self.patron}"


def uai_for(department: str, serial: int) -> str:
    digits = f"{department:0>3}{serial:04d}"
    return digits + UAI_KEYS[int(digits) % 23]


def largest_remainder(total: int, weights: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """Split ``total`` between keys proportionally to their weights."""
    weight_sum = sum(w for _, w in weights)
    raw = [(key, total * w / weight_sum) for key, w in weights]
    counts = {key: int(x) for key, x in raw}
    left = total - sum(counts.values())
    by_remainder = sorted(
        raw, key=lambda kx: (-(kx[1] - int(kx[1])), [k for k, _ in raw].index(kx[0]))
    )
    for key, _ in by_remainder[:left]:
        counts[key] += 1
    return [(key, counts[key]) for key, _ in weights]


def school_kinds(total: int) -> list[str]:
    counts = dict(largest_remainder(total, list(KIND_SHARES)))
    if total >= 2 and counts["LGT"] + counts["LP"] + counts["AGRI"] == 0:
        counts["CLG"] -= 1
        counts["LGT"] += 1
    return [kind for kind, _ in KIND_SHARES for _ in range(counts[kind])]


# --- curricula ------------------------------------------------------------------------

CLG6: tuple[Teaching, ...] = (
    ("020700", "LM", 4.5), ("061300", "MA", 4.5), ("040600", "HG", 3), ("030201", "AN", 4),
    ("062900", "SV", 1.5), ("062300", "PC", 1), ("070800", "TE", 1.5), ("100100", "EP", 4),
    ("090100", "AP", 1), ("081300", "MU", 1),
)  # fmt: skip
CLG5: tuple[Teaching, ...] = (
    ("020700", "LM", 4.5), ("061300", "MA", 3.5), ("040600", "HG", 3), ("030201", "AN", 3),
    ("062900", "SV", 1.5), ("062300", "PC", 1.5), ("070800", "TE", 1.5), ("100100", "EP", 3),
    ("090100", "AP", 1), ("081300", "MU", 1),
)  # fmt: skip
CLG3: tuple[Teaching, ...] = (("020700", "LM", 4), ("040600", "HG", 3.5)) + CLG5[1:2] + CLG5[3:]
LGT2: tuple[Teaching, ...] = (
    ("020700", "LM", 4), ("061300", "MA", 4), ("040600", "HG", 3), ("030201", "AN", 3),
    ("050700", "SE", 1.5), ("062300", "PC", 3), ("062900", "SV", 1.5), ("100100", "EP", 2),
    ("006600", "LM", 1),
)  # fmt: skip
LGT1: tuple[Teaching, ...] = (
    ("020700", "LM", 4), ("040600", "HG", 3), ("030201", "AN", 2.5), ("100100", "EP", 2),
    ("062300", "PC", 1), ("062900", "SV", 1),
)  # fmt: skip
LGTT: tuple[Teaching, ...] = (
    ("010300", "PH", 4), ("040600", "HG", 3), ("030201", "AN", 2.5), ("100100", "EP", 2),
    ("062300", "PC", 1), ("062900", "SV", 1),
)  # fmt: skip
STMG1: tuple[Teaching, ...] = (
    ("020700", "LM", 3), ("040600", "HG", 1.5), ("061300", "MA", 3), ("030201", "AN", 2),
    ("100100", "EP", 2), ("434500", "EG", 4), ("380800", "EG", 4),
)  # fmt: skip
STMGT: tuple[Teaching, ...] = (
    ("010300", "PH", 2), ("040600", "HG", 1.5), ("061300", "MA", 3), ("030201", "AN", 2),
    ("100100", "EP", 2), ("434500", "EG", 4), ("380800", "EG", 6),
)  # fmt: skip
STAV1: tuple[Teaching, ...] = (
    ("020700", "LM", 3), ("061300", "MA", 3), ("040600", "HG", 2), ("030201", "AN", 2),
    ("100100", "EP", 2), ("062900", "SV", 3), ("062300", "PC", 2), ("308400", "AG", 4),
)  # fmt: skip
STAVT: tuple[Teaching, ...] = (("010300", "PH", 2),) + STAV1[1:]


def pro(discipline: str, cap: bool = False) -> tuple[Teaching, ...]:
    return (
        ("043300", "LH", 3.5 if cap else 4.5), ("061800", "MS", 3), ("030201", "LA", 1.5 if cap else 2),
        ("100100", "EP", 2.5), ("278300", "AA", 1), ("312800", "BS", 1),
        ("071100", discipline, 12 if cap else 6),
    )  # fmt: skip


#: Spécialités of the voie générale: (code part, label, subject, discipline, weight).
SPECIALITES = (
    ("MATHS", "MATHEMATIQUES", "061300", "MA", 60),
    ("PC", "PHYSIQUE-CHIMIE", "062300", "PC", 40),
    ("SVT", "SCIENCES DE LA VIE ET DE LA TERRE", "062900", "SV", 40),
    ("SES", "SCIENCES ECONOMIQUES ET SOCIALES", "050700", "SE", 35),
    ("HGGSP", "HISTOIRE-GEO GEOPOLITIQUE SC. POLITIQUES", "040600", "HG", 30),
    ("HLP", "HUMANITES LITTERATURE ET PHILOSOPHIE", "010300", "PH", 12),
    ("LLCER", "LANGUES LITTERATURES CULTURES ETRANGERES", "030201", "AN", 15),
)
LV2 = (("ESP2", "ESPAGNOL LV2", "030602", "ES", 70), ("ALL2", "ALLEMAND LV2", "030102", "AL", 22),
       ("ITA2", "ITALIEN LV2", "030902", "IT", 8))  # fmt: skip
PRO_FAMILIES = {"COM": "CV", "RES": "HO", "MVA": "MV", "ELE": "EL"}


class _Builder:
    """Builds the classes and groups of one school."""

    def __init__(self, school: School, rng: random.Random, scale: float, min_classes: int) -> None:
        self.school = school
        self.rng = rng
        self.scale = scale
        self.min_classes = min_classes
        self.factor = rng.uniform(0.65, 1.35)
        self.counters: dict[str, int] = {}

    def group(self, code: str, label: str, subject: str, discipline: str, hours: float) -> int:
        self.school.groups.append(Group(code, label, subject, discipline, hours))
        return len(self.school.groups) - 1

    def classes(
        self,
        prefix: str,
        mef: str,
        age: int,
        nominal: float,
        sizes: tuple[int, int],
        teachings: tuple[Teaching, ...],
        *,
        letters: bool = False,
        optional: bool = False,
    ) -> list[SchoolClass]:
        wanted = nominal * self.factor * self.scale
        count = round(wanted)
        if count == 0 and optional:
            return []
        if not optional:
            count = max(count, self.min_classes)
        shrink = min(1.0, wanted / count)
        made = []
        for _ in range(count):
            number = self.counters.get(prefix, 0)
            self.counters[prefix] = number + 1
            suffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[number] if letters else str(number + 1)
            size = max(6, round(self.rng.randint(*sizes) * shrink))
            made.append(SchoolClass(prefix + suffix, mef, age, size, teachings))
        self.school.classes.extend(made)
        return made

    def languages(self, cls: SchoolClass, offer: tuple[str, ...], hours: float) -> None:
        options, weights = [], []
        for code, label, subject, discipline, weight in LV2:
            if code in offer:
                options.append(
                    (self.group(f"{cls.code}_{code}", label, subject, discipline, hours),)
                )
                weights.append(weight)
        cls.choices.append(Choice("one", tuple(options), tuple(weights)))

    def level_option(self, classes: list[SchoolClass], code: str, label: str, teaching: Teaching,
                     probability: float) -> None:  # fmt: skip
        if not classes:
            return
        index = self.group(code, label, *teaching)
        for cls in classes:
            cls.choices.append(Choice("maybe", ((index,),), probability=probability))

    def specialities(self, classes: list[SchoolClass], level: str, k: int, hours: float) -> None:
        if not classes:
            return
        pupils = sum(cls.size for cls in classes)
        total_weight = sum(spe[4] for spe in SPECIALITES)
        options, weights = [], []
        for code, label, subject, discipline, weight in SPECIALITES:
            count = max(1, round(pupils * k * weight / total_weight / 28))
            options.append(tuple(
                self.group(f"{level}SPE_{code}{n + 1}", f"SPECIALITE {label}", subject, discipline, hours)
                for n in range(count)
            ))  # fmt: skip
            weights.append(weight)
        for cls in classes:
            cls.choices.append(Choice("pick", tuple(options), tuple(weights), k=k))

    def halves(self, cls: SchoolClass, discipline: str) -> None:
        a = self.group(f"{cls.code}_GR1", "ATELIER GROUPE 1", "071600", discipline, 5)
        b = self.group(f"{cls.code}_GR2", "ATELIER GROUPE 2", "071600", discipline, 5)
        cls.choices.append(Choice("one", ((a,), (b,)), (1, 1)))


def build_college(b: _Builder) -> None:
    rng = b.rng
    offer = (
        ("ESP2",)
        + (("ALL2",) if rng.random() < 0.5 else ())
        + (("ITA2",) if rng.random() < 0.15 else ())
    )
    latin = rng.random() < 0.7
    per_level = 4.8
    b.classes("6", "6EME", 11, per_level, (22, 29), CLG6, letters=True)
    for digit, mef, age, teachings in (("5", "5EME", 12, CLG5), ("4", "4EME", 13, CLG5),
                                       ("3", "3EME", 14, CLG3)):  # fmt: skip
        made = b.classes(digit, mef, age, per_level, (22, 29), teachings, letters=True)
        for cls in made:
            b.languages(cls, offer, 2.5)
        if latin:
            b.level_option(made, f"GR_LAT{digit}", f"LATIN {mef}", ("020100", "LC", 2), 0.18)


def build_lgt(b: _Builder) -> None:
    rng = b.rng
    offer = (
        ("ESP2",)
        + (("ALL2",) if rng.random() < 0.8 else ())
        + (("ITA2",) if rng.random() < 0.3 else ())
    )
    seconde = b.classes("2NDE", "2NDE", 15, 10.5, (30, 35), LGT2)
    for cls in seconde:
        b.languages(cls, offer, 2.5)
    if rng.random() < 0.5:
        b.level_option(seconde, "GR_LAT2", "LATIN 2NDE", ("020100", "LC", 3), 0.05)
    first = b.classes("1G", "1G", 16, 8, (26, 34), LGT1)
    stmg1 = b.classes("1STMG", "1STMG", 16, 2.2, (24, 32), STMG1, optional=True)
    final = b.classes("TG", "TG", 17, 8, (26, 34), LGTT)
    stmgt = b.classes("TSTMG", "TSTMG", 17, 2.2, (24, 32), STMGT, optional=True)
    for cls in first + stmg1 + final + stmgt:
        b.languages(cls, offer, 2)
    b.specialities(first, "1", 3, 4)
    b.specialities(final, "T", 2, 6)


def build_lp(b: _Builder) -> None:
    families = sorted(b.rng.sample(sorted(PRO_FAMILIES), b.rng.randint(2, 4)))
    for level, age, sizes in (
        ("2PRO", 15, (18, 24)),
        ("1PRO", 16, (16, 22)),
        ("TPRO", 17, (14, 22)),
    ):
        for family in families:
            discipline = PRO_FAMILIES[family]
            for cls in b.classes(level, f"{level}_{family}", age, 1.5, sizes, pro(discipline)):
                b.halves(cls, discipline)
    for family in ("RES", "MVA"):
        if family in families:
            for level, age in (("1CAP", 15), ("2CAP", 16)):
                b.classes(
                    level,
                    f"{level}_{family}",
                    age,
                    1,
                    (10, 15),
                    pro(PRO_FAMILIES[family], cap=True),
                )


def build_agri(b: _Builder) -> None:
    for cls in b.classes("2NDE", "2NDE", 15, 2, (28, 34), LGT2):
        b.languages(cls, ("ESP2",), 2.5)
    b.classes("1STAV", "1STAV", 16, 1, (22, 30), STAV1)
    b.classes("TSTAV", "TSTAV", 17, 1, (22, 30), STAVT)
    for level, age, sizes in (
        ("2PRO", 15, (20, 26)),
        ("1PRO", 16, (18, 24)),
        ("TPRO", 17, (16, 24)),
    ):
        for cls in b.classes(level, f"{level}_CGEA", age, 1.5, sizes, pro("AG")):
            b.halves(cls, "AG")
    for level, age in (("1CAPA", 15), ("2CAPA", 16)):
        b.classes(level, f"{level}_TP", age, 0.8, (10, 15), pro("AM", cap=True), optional=True)


BUILDERS = {"CLG": build_college, "LGT": build_lgt, "LP": build_lp, "AGRI": build_agri}


def plan_schools(
    academy: Academy, count: int, scale: float, rng: random.Random, min_classes: int = 1
) -> list[School]:
    """The schools of one académie, with classes and groups, in delivery order."""
    kinds = school_kinds(count)
    rng.shuffle(kinds)
    departments = [
        dept
        for dept, n in largest_remainder(count, [(d, float(w)) for d, w in academy.departments])
        for _ in range(n)
    ]
    kind_order = [kind for kind, _ in KIND_SHARES]
    pairs = sorted(zip(departments, kinds, strict=True),
                   key=lambda dk: (departments.index(dk[0]), kind_order.index(dk[1])))  # fmt: skip
    serials: dict[str, int] = {}
    schools: list[School] = []
    for index, (dept, kind) in enumerate(pairs):
        serials[dept] = serials.get(dept, rng.randint(1, 60)) + rng.randint(1, 37)
        towns = TOWNS[dept]
        town, postcode = towns[0] if rng.random() < 0.3 else rng.choice(towns)
        school = School(
            index=index,
            jointure=STRUCTURE_BASE + index,
            uai=uai_for(dept, serials[dept]),
            kind=kind,
            department=dept,
            town=town,
            postcode=postcode,
            patron=rng.choice(PATRONS),
            street=f"{rng.randint(1, 120)} {rng.choice(('AVENUE', 'RUE', 'BOULEVARD', 'CHEMIN'))} "
            f"{rng.choice(PATRONS)}",
        )
        BUILDERS[kind](_Builder(school, rng, scale, min_classes))
        schools.append(school)
    return schools
