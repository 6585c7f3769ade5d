"""Staff of a school: who teaches what to which class or group, and who else works there.

Rules implemented (brief; reference note §3.3 PersEducNat):

* every teaching hour of every class and group is given to a teacher of the matching
  discipline; a teacher takes consecutive classes until a service of 15–19 h is full, so
  that a teacher has several classes (``ENTAuxEnsClasses``), the subject he teaches in
  each (``ENTAuxEnsClassesMatieres`` = ``struct$classe$codeMatière``) and groups;
* each class has one professeur principal among its teachers (``ENTAuxEnsClassesPrincipal``);
* non-teaching staff follow the school size (direction, CPE, documentaliste, administration,
  assistants d'éducation, AESH; chef de travaux in vocational lycées); one psychologue de
  l'EN serves up to three schools of a département, with one function per school;
* the overall ratio is about one staff member per eight pupils.

The plan is a pure function of (seed, académie, school), so it is recomputed where needed
rather than kept in memory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .schools import School


@dataclass
class StaffMember:
    role: str  # "ENS" for teachers, else a key of catalog.NON_TEACHING
    discipline: str = ""
    classes: list[tuple[int, str]] = field(default_factory=list)  # (class index, subject)
    groups: list[tuple[int, str]] = field(default_factory=list)  # (group index, subject)
    principal: list[int] = field(default_factory=list)
    extra_structures: tuple[int, ...] = ()
    boarding: bool = False


def plan_staff(school: School, key: str) -> list[StaffMember]:
    rng = random.Random(f"{key}:staff:{school.index}")
    slots: dict[str, list[tuple[str, int, str, float]]] = {}
    for ci, cls in enumerate(school.classes):
        for subject, discipline, hours in cls.teachings:
            slots.setdefault(discipline, []).append(("c", ci, subject, hours))
    for gi, group in enumerate(school.groups):
        slots.setdefault(group.discipline, []).append(("g", gi, group.subject, group.hours))

    low, high = (15.0, 18.0) if school.kind != "CLG" else (16.0, 19.0)
    teachers: list[StaffMember] = []
    for discipline, todo in slots.items():
        current: StaffMember | None = None
        load = capacity = 0.0
        for kind, index, subject, hours in todo:
            if current is None or load + hours > capacity + 0.5:
                current = StaffMember("ENS", discipline)
                teachers.append(current)
                load, capacity = 0.0, rng.uniform(low, high)
            (current.classes if kind == "c" else current.groups).append((index, subject))
            load += hours

    by_class: dict[int, list[StaffMember]] = {}
    for teacher in teachers:
        for ci, _ in teacher.classes:
            members = by_class.setdefault(ci, [])
            if not members or members[-1] is not teacher:
                members.append(teacher)
    for ci in range(len(school.classes)):
        candidates = by_class.get(ci, [])
        free = [t for t in candidates if not t.principal]
        pool = free or candidates
        if pool:
            pool[rng.randrange(len(pool))].principal.append(ci)

    pupils = school.pupils
    roles = ["CHEF"] + ["ADJ"] * ((pupils >= 250) + (pupils >= 900))
    staff = [StaffMember(role) for role in roles]
    staff.extend(teachers)
    counts = (
        ("EDU", max(1, round(pupils / 350))),
        ("DOC", 1 + (pupils >= 1000)),
        ("ADF", 1 + round(pupils / 220)),
        ("AED", max(1, round(pupils / 55))),
        ("AEH", round(pupils / 120)),
        ("CTR", int(school.kind in ("LP", "AGRI") or (school.kind == "LGT" and pupils > 800))),
    )
    boarding = school.kind in ("LGT", "AGRI", "LP")
    for role, count in counts:
        for _ in range(count):
            member = StaffMember(role)
            member.boarding = role == "AED" and boarding and rng.random() < 0.3
            staff.append(member)
    if school.psy_extra is not None:
        staff.append(StaffMember("ORI", extra_structures=school.psy_extra))
    return staff
