"""The compact model of one académie: schools, pupils, families, staff counts.

Only integers are kept per person (``array`` columns): a pupil is its index, its class
and its family; a family is where its relatives' numbers start and which pupils are its
children. Everything else is recomputed from keyed draws when a record is written, so the
region preset (≈250,000 pupils in the bigger académie) fits in a few tens of MB.

Rules implemented:

* jointures are numeric and unique within the académie delivery: structures from 52000,
  staff from 1,000,000, pupils from 2,000,000, relatives from 3,000,000. Pupils, staff and
  structures deliberately reuse the same numbers in both académies (a jointure is only
  unique within one académie, reference note §3.4); relatives get even numbers in one
  académie and odd ones in the other, so a parent present in both has two jointures;
* about 19% of pupils join the family of an earlier pupil of the same school (45%), of the
  same département (45%: collège and lycée siblings) or of the académie (10%: boarders),
  giving ~20% of families with 2+ children;
* ``cross`` families (same key in both académies) have one child in each académie: their
  adults appear in both deliveries with the same identity and different jointures.
"""

from __future__ import annotations

import datetime
import random
from array import array
from dataclasses import dataclass

from .catalog import ACADEMIES, Academy
from .people import SIBLING_RATE, Family, family_key, make_family
from .schools import School, SchoolClass, plan_schools
from .staff import plan_staff

STAFF_BASE = 1_000_000
PUPIL_BASE = 2_000_000
RELATIVE_BASE = 3_000_000
MAX_CHILDREN = 4


@dataclass
class AcademyWorld:
    seed: int
    academy: Academy
    date: datetime.date
    schools: list[School]
    classes: list[tuple[School, SchoolClass]]
    pupil_class: array  # pupil index -> académie-wide class index
    pupil_family: array  # pupil index -> family index
    family_first_relative: array  # family index -> first relative number (len F + 1)
    family_first_child: array  # family index -> offset in family_children (len F + 1)
    family_children: array  # pupil indexes grouped by family
    cross: dict[int, int]  # family index -> cross-académie key
    staff_count: int

    @property
    def code(self) -> str:
        return self.academy.code

    @property
    def pupils(self) -> int:
        return len(self.pupil_class)

    @property
    def families(self) -> int:
        return len(self.family_first_relative) - 1

    @property
    def relatives(self) -> int:
        return self.family_first_relative[-1]

    @property
    def rentree(self) -> datetime.date:
        year = self.date.year if self.date.month >= 8 else self.date.year - 1
        day = datetime.date(year, 9, 1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day

    @property
    def key(self) -> str:
        return f"{self.seed}:{self.code}"

    def pupil_jointure(self, index: int) -> int:
        return PUPIL_BASE + index

    def relative_jointure(self, number: int) -> int:
        return RELATIVE_BASE + 2 * number + self.academy.relative_parity

    def family(self, index: int) -> Family:
        cross = self.cross.get(index)
        first_child = self.family_children[self.family_first_child[index]]
        school, _ = self.classes[self.pupil_class[first_child]]
        return make_family(
            family_key(self.seed, self.code, index, cross), school.department, cross is not None
        )

    def children(self, family: int) -> array:
        return self.family_children[
            self.family_first_child[family] : self.family_first_child[family + 1]
        ]


def build_world(
    seed: int,
    code: str,
    schools: int,
    scale: float,
    cross_families: int,
    date: datetime.date,
    min_classes: int = 1,
) -> AcademyWorld:
    academy = ACADEMIES[code]
    rng = random.Random(f"{seed}:{code}:model")
    plan = plan_schools(academy, schools, scale, rng, min_classes)

    classes: list[tuple[School, SchoolClass]] = []
    pupil_class = array("i")
    for school in plan:
        school.first_pupil = len(pupil_class)
        school.siecle_base = rng.randint(100_000, 899_000)
        for cls in school.classes:
            cls.index = len(classes)
            cls.first_pupil = len(pupil_class)
            classes.append((school, cls))
            pupil_class.extend([cls.index] * cls.size)
        school.pupils = len(pupil_class) - school.first_pupil

    by_department: dict[str, list[School]] = {}
    for school in plan:
        by_department.setdefault(school.department, []).append(school)
    for members in by_department.values():
        for start in range(0, len(members), 3):
            members[start].psy_extra = tuple(s.jointure for s in members[start + 1 : start + 3])

    staff = 0
    for school in plan:
        school.first_staff = staff
        school.staff = len(plan_staff(school, f"{seed}:{code}"))
        staff += school.staff

    pupil_family = array("i", bytes(4 * len(pupil_class)))
    child_count = array("b")
    department_pool: dict[str, list[int]] = {}
    academy_pool: list[int] = []
    for school in plan:
        school_pool: list[int] = []
        pool = department_pool.setdefault(school.department, [])
        for index in range(school.first_pupil, school.first_pupil + school.pupils):
            family = -1
            if rng.random() < SIBLING_RATE:
                where = rng.random()
                source = school_pool if where < 0.45 else pool if where < 0.9 else academy_pool
                if source:
                    candidate = source[rng.randrange(len(source))]
                    if child_count[candidate] < MAX_CHILDREN:
                        family = candidate
            if family < 0:
                family = len(child_count)
                child_count.append(0)
                school_pool.append(family)
                pool.append(family)
                academy_pool.append(family)
            child_count[family] += 1
            pupil_family[index] = family
    families = len(child_count)

    first_child = array("i", bytes(4 * (families + 1)))
    for family in range(families):
        first_child[family + 1] = first_child[family] + child_count[family]
    children = array("i", bytes(4 * len(pupil_class)))
    fill = array("i", first_child[:-1])
    for index, family in enumerate(pupil_family):
        children[fill[family]] = index
        fill[family] += 1
    del fill

    cross: dict[int, int] = {}
    if cross_families:
        singles = [f for f in range(families) if child_count[f] == 1]
        picked = rng.sample(singles, min(cross_families, len(singles)))
        cross = {family: k for k, family in enumerate(picked)}

    world = AcademyWorld(
        seed=seed,
        academy=academy,
        date=date,
        schools=plan,
        classes=classes,
        pupil_class=pupil_class,
        pupil_family=pupil_family,
        family_first_relative=array("i", bytes(4 * (families + 1))),
        family_first_child=first_child,
        family_children=children,
        cross=cross,
        staff_count=staff,
    )
    first_relative = world.family_first_relative
    for family in range(families):
        first_relative[family + 1] = first_relative[family] + len(world.family(family).roles)
    return world
