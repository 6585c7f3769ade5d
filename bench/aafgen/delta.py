"""Delta delivery against a complete export (reference note §3.4).

Rules implemented: a Delta carries ``modifyRequest`` (``operation="replace"`` of whole
attributes), ``addRequest`` and ``deleteRequest``; it is dated the day after the complete
export it applies to and uses ``_Delta_`` in its file names. Drawn against the académie
rebuilt from the complete export's seed:

* pupils: ~3% change class within their level (classes, groups, entry date replaced),
  ~1% leave (deleteRequest), ~1% arrive (addRequest; 30% are siblings of a known pupil);
* relatives: those of new families are added; when a family's children change their
  ``ENTAuxPersRelEleveEleve`` is replaced, and relatives left without any child are
  deleted; ~2% change mail;
* staff: ~1.5% get a function in a second school of the département, ~1% of teachers swap
  a class for another one of the same level, ~1% change mail (at least one of each);
* structures, subjects and MEFs do not change (their files are present and empty).
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections.abc import Callable
from pathlib import Path

from .catalog import RELATIVE_MAIL_DOMAINS
from .people import Family, family_key, make_family, relative_identity, staff_identity
from .records import Renderer, delete_request, modify_request
from .rng import Draw
from .schools import School, SchoolClass
from .staff import StaffMember, plan_staff
from .world import STAFF_BASE, AcademyWorld
from .writer import ChunkedWriter, FileSummary

CLASS_CHANGE_RATE = 0.03
LEAVER_RATE = 0.01
NEWCOMER_RATE = 0.01
SIBLING_NEWCOMER_RATE = 0.3
RELATIVE_MAIL_RATE = 0.02
STAFF_FUNCTION_RATE = 0.015
STAFF_CLASS_RATE = 0.01
STAFF_MAIL_RATE = 0.01


def write_delta(
    world: AcademyWorld,
    directory: Path,
    date: datetime.date,
    seed: int,
    on_file: Callable[[FileSummary], None],
) -> None:
    rng = random.Random(f"{seed}:{world.code}:delta:{world.seed}")
    renderer = Renderer(world)
    entry = date.strftime("%d/%m/%Y")

    def writer(category: str) -> ChunkedWriter:
        return ChunkedWriter(directory, world.code, "Delta", date, category, on_file)

    for category in ("EtabEducNat", "MatiereEducNat", "MefEducNat"):
        writer(category).close()

    pupils = world.pupils
    leavers = sorted(rng.sample(range(pupils), max(1, round(pupils * LEAVER_RATE))))
    leaving = set(leavers)
    movers = _movers(world, rng, leaving)

    # Newcomers: (index, school, class, family, relative numbers, is new family).
    newcomers: list[tuple[int, School, SchoolClass, Family, range, bool]] = []
    new_children: dict[int, list[int]] = {}
    next_family, next_relative = world.families, world.relatives
    for offset in range(max(1, round(pupils * NEWCOMER_RATE))):
        index = pupils + offset
        school = rng.choice(world.schools)
        cls = rng.choice(school.classes)
        if rng.random() < SIBLING_NEWCOMER_RATE:
            family_index = world.pupil_family[rng.randrange(pupils)]
            family = world.family(family_index)
            numbers = renderer.relative_numbers(family_index)
            new_children.setdefault(family_index, []).append(index)
            newcomers.append((index, school, cls, family, numbers, False))
        else:
            key = family_key(world.seed, world.code, next_family, None)
            family = make_family(key, school.department, False)
            numbers = range(next_relative, next_relative + len(family.roles))
            next_family += 1
            next_relative += len(family.roles)
            newcomers.append((index, school, cls, family, numbers, True))

    with writer("Eleve") as out:
        for index, target in movers:
            school, _ = world.classes[world.pupil_class[index]]
            s = school.jointure
            changes = [
                ("ENTEleveClasses", [f"{s}${target.code}"]),
                ("ENTEleveGroupes", renderer.pupil_groups(index, school, target)),
                ("ENTEleveDateEntreeClasses", [f"{s}${entry}${target.code}"]),
            ]
            out.write(modify_request("Eleve", world.pupil_jointure(index), changes), "modify")
        for index, school, cls, family, numbers, _ in newcomers:
            out.write(renderer.pupil(index, school, cls, family, numbers, entry=entry))
        for index in leavers:
            out.write(delete_request("Eleve", world.pupil_jointure(index)), "delete")

    with writer("PersRelEleve") as out:
        _relatives(world, renderer, rng, out, leaving, new_children, newcomers)

    with writer("PersEducNat") as out:
        _staff(world, renderer, rng, out)


def _movers(
    world: AcademyWorld, rng: random.Random, leaving: set[int]
) -> list[tuple[int, SchoolClass]]:
    wanted = max(1, round(world.pupils * CLASS_CHANGE_RATE))
    movers: dict[int, SchoolClass] = {}
    for index in rng.sample(range(world.pupils), min(world.pupils, 2 * wanted)):
        if len(movers) == wanted:
            break
        if index in leaving:
            continue
        school, cls = world.classes[world.pupil_class[index]]
        others = [c for c in school.classes if c.mef == cls.mef and c is not cls]
        if others:
            movers[index] = rng.choice(others)
    return sorted(movers.items())


def _relatives(
    world: AcademyWorld,
    renderer: Renderer,
    rng: random.Random,
    out: ChunkedWriter,
    leaving: set[int],
    new_children: dict[int, list[int]],
    newcomers: list[tuple[int, School, SchoolClass, Family, range, bool]],
) -> None:
    changes: dict[int, list[tuple[str, list[str]]]] = {}
    deleted: list[int] = []
    touched = {world.pupil_family[i] for i in leaving} | set(new_children)
    for family_index in sorted(touched):
        remaining = [c for c in world.children(family_index) if c not in leaving]
        remaining += new_children.get(family_index, [])
        numbers = renderer.relative_numbers(family_index)
        if not remaining:
            deleted.extend(numbers)
            continue
        value = [str(world.pupil_jointure(c)) for c in remaining]
        for number in numbers:
            changes.setdefault(number, []).append(("ENTAuxPersRelEleveEleve", value))
    gone = set(deleted)
    first = world.family_first_relative
    for number in rng.sample(range(world.relatives), round(world.relatives * RELATIVE_MAIL_RATE)):
        if number in gone:
            continue
        family_index = bisect.bisect_right(first, number) - 1
        family = world.family(family_index)
        identity, _ = relative_identity(family, number - first[family_index], renderer.year)
        mail = (
            f"{identity.mail_given}.{identity.mail_surname}{rng.randint(100, 999)}"
            f"@{rng.choice(RELATIVE_MAIL_DOMAINS)}"
        )
        changes.setdefault(number, []).append(("mail", [mail]))
    for number in sorted(changes):
        out.write(
            modify_request("PersRelEleve", world.relative_jointure(number), changes[number]),
            "modify",
        )
    for index, _, _, family, numbers, is_new in newcomers:
        if is_new:
            for slot, number in enumerate(numbers):
                out.write(renderer.relative(family, slot, number, [index]))
    for number in sorted(deleted):
        out.write(delete_request("PersRelEleve", world.relative_jointure(number)), "delete")


def _staff(world: AcademyWorld, renderer: Renderer, rng: random.Random, out: ChunkedWriter) -> None:
    by_department: dict[str, list[School]] = {}
    for school in world.schools:
        by_department.setdefault(school.department, []).append(school)
    everyone = [
        (school, STAFF_BASE + school.first_staff + offset, member)
        for school in world.schools
        for offset, member in enumerate(plan_staff(school, world.key))
    ]
    order = list(range(len(everyone)))
    rng.shuffle(order)
    wanted = {
        "function": max(1, round(len(everyone) * STAFF_FUNCTION_RATE)),
        "class": max(1, round(len(everyone) * STAFF_CLASS_RATE)),
        "mail": max(1, round(len(everyone) * STAFF_MAIL_RATE)),
    }
    changes: dict[int, list[tuple[str, list[str]]]] = {}
    for position in order:
        school, jointure, member = everyone[position]
        for kind, left in wanted.items():
            if left == 0:
                continue
            change = _staff_change(
                kind, world, renderer, rng, school, jointure, member, by_department
            )
            if change:
                changes[jointure] = change
                wanted[kind] -= 1
                break
        if not any(wanted.values()):
            break
    for jointure in sorted(changes):
        out.write(modify_request("PersEducNat", jointure, changes[jointure]), "modify")


def _staff_change(
    kind: str,
    world: AcademyWorld,
    renderer: Renderer,
    rng: random.Random,
    school: School,
    jointure: int,
    member: StaffMember,
    by_department: dict[str, list[School]],
) -> list[tuple[str, list[str]]]:
    s = school.jointure
    classes = school.classes
    if kind == "function":
        neighbours = [o for o in by_department[school.department] if o is not school]
        if not neighbours:
            return []
        extra = (rng.choice(neighbours).jointure,)
        return [("ENTPersonFonctions", renderer.functions(school, member, extra))]
    if kind == "class":
        if not member.classes:
            return []
        taught = {ci for ci, _ in member.classes}
        ci, _ = rng.choice(member.classes)
        others = [j for j, c in enumerate(classes) if c.mef == classes[ci].mef and j not in taught]
        if not others:
            return []
        cj = rng.choice(others)
        swapped = [(cj if c == ci else c, subject) for c, subject in member.classes]
        codes = dict.fromkeys(f"{s}${classes[c].code}" for c, _ in swapped)
        pairs = dict.fromkeys(f"{s}${classes[c].code}${subject}" for c, subject in swapped)
        return [("ENTAuxEnsClasses", list(codes)), ("ENTAuxEnsClassesMatieres", list(pairs))]
    identity = staff_identity(Draw(f"{world.key}:s:{jointure}"), renderer.year)
    mail = f"{identity.mail_given}.{identity.mail_surname}{rng.randint(10, 99)}"
    return [("mail", [f"{mail}@{world.academy.mail_domain}"])]
