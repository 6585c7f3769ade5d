"""XML text of AAF requests (reference note §3.2 grammar, §3.3 attribute catalogue).

Records are built as strings from pre-escaped pieces and handed to the chunked writer one
at a time; no document tree is ever built. The layout copies the real 2024 exports: the
référentiels (structures, subjects, MEFs) unindented as in ``EtabEducNat_0000.xml``, the
people with the 4-space indentation of ``PersEducNat_0000.xml``; a blank line separates
requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .catalog import (
    DISCIPLINES,
    FUNCTIONS,
    LANDLINE,
    MEFS,
    NON_TEACHING,
    REGIMES,
    SUBJECTS,
    TOWNS,
    Mef,
)
from .people import (
    Family,
    Identity,
    other_given_names,
    pupil_identity,
    relative_contact,
    relative_identity,
    staff_identity,
    x,
)
from .rng import Draw, cumulative
from .schools import Choice, School, SchoolClass
from .staff import StaffMember, plan_staff
from .world import STAFF_BASE, AcademyWorld

MARKERS = {
    "EtabEducNat": ("categorieStructure", "EtabEducNat"),
    "MatiereEducNat": ("categorieMatiere", "MatEducNat"),
    "MefEducNat": ("categorieMef", "MefEducNat"),
    "Eleve": ("categoriePersonne", "Eleve"),
    "PersRelEleve": ("categoriePersonne", "PersRelEleve"),
    "PersEducNat": ("categoriePersonne", "PersEducNat"),
}
_PEOPLE = {"Eleve", "PersRelEleve", "PersEducNat"}
_REGIMES = tuple(x(label) for label, _ in REGIMES)
_REGIME_CUM = cumulative([w for _, w in REGIMES])


def attr(name: str, value: str, indent: str = "    ") -> str:
    if value:
        return f'{indent}<attr name="{name}"><value>{value}</value></attr>\n'
    return f'{indent}<attr name="{name}"><value/></attr>\n'


def attrs(name: str, values: Iterable[str], indent: str = "    ") -> str:
    inner = "".join(f"<value>{value}</value>" for value in values)
    return f'{indent}<attr name="{name}">{inner or "<value/>"}</attr>\n'


def _operational(category: str) -> str:
    name, value = MARKERS[category]
    return f'<operationalAttributes><attr name="{name}"><value>{value}</value></attr></operationalAttributes>'


def add_request(category: str, identifier: str | int, body: str) -> str:
    if category in _PEOPLE:
        return (
            f"<addRequest>\n    {_operational(category)}\n"
            f"    <identifier><id>{identifier}</id></identifier>\n"
            f"    <attributes>\n{body}    </attributes>\n</addRequest>\n\n"
        )
    return (
        f"<addRequest>\n{_operational(category)} \n<identifier><id>{identifier}</id></identifier> \n"
        f"<attributes> \n{body}</attributes>\n</addRequest>\n\n"
    )


def modify_request(
    category: str, identifier: str | int, changes: list[tuple[str, list[str]]]
) -> str:
    body = "".join(
        f'    <modification name="{name}" operation="replace">'
        + ("".join(f"<value>{v}</value>" for v in values) or "<value/>")
        + "</modification>\n"
        for name, values in changes
    )
    return (
        f"<modifyRequest>\n    {_operational(category)}\n"
        f"    <identifier><id>{identifier}</id></identifier>\n"
        f"    <modifications>\n{body}    </modifications>\n</modifyRequest>\n\n"
    )


def delete_request(category: str, identifier: str | int) -> str:
    return (
        f"<deleteRequest>\n    {_operational(category)}\n"
        f"    <identifier><id>{identifier}</id></identifier>\n</deleteRequest>\n\n"
    )


# --- référentiels ---------------------------------------------------------------------


def structure_record(world: AcademyWorld, school: School) -> str:
    academy = world.academy
    kind = school.type
    s = school.jointure
    landline = LANDLINE[academy.code]
    number = school.jointure * 7919
    town = x(school.town)
    first_town = x(_first_town(school.department))
    body = "".join((
        attr("ENTStructureJointure", str(s), ""),
        attr("ENTStructureUAI", school.uai, ""),
        attr("ENTEtablissementUAI", school.uai, ""),
        attr("ENTStructureSIREN", f"19{school.uai[:7]}{number % 100000:05d}", ""),
        attr("ENTStructureNomCourant", f"{kind.sigle}${x(school.name)}${town}", ""),
        attr("ENTStructureTypeStruct", kind.label, ""),
        attr("ENTStructureCodeTypeStruct", kind.code, ""),
        attr("ENTEtablissementMinistereTutelle", x(kind.ministry), ""),
        attr("ENTEtablissementCodeMinistereTutelle", kind.ministry_code, ""),
        attr("ENTEtablissementContrat", "PU", ""),
        attr("postOfficeBox", "", ""),
        attr("street", x(school.street), ""),
        attr("postalCode", school.postcode, ""),
        attr("l", town, ""),
        attr("telephoneNumber", f"{landline} {number % 97:02d} {number % 89:02d}", ""),
        attr("facsimileTelephoneNumber", f"{landline} {number % 97:02d} {number % 83:02d}", ""),
        attr("ENTStructureMailSI", f"ce.{school.uai.lower()}@{academy.mail_domain}", ""),
        attr("ENTEtablissementStructRattachFctl", "", ""),
        attr("ENTEtablissementBassin", f"{academy.code}{school.department:0>3}$BASSIN {first_town}", ""),
        attr("ENTServAcAcademie", academy.name, ""),
        attr("ENTServAcCodeAcademie", f"{academy.code:0>3}", ""),
        attrs("ENTStructureClasses", (_class_value(cls) for cls in school.classes), ""),
        attrs("ENTStructureGroupes", (f"{g.code}${x(g.label)}" for g in school.groups), ""),
    ))  # fmt: skip
    return add_request("EtabEducNat", s, body)


def _first_town(department: str) -> str:
    return TOWNS[department][0][0]


def _class_value(cls: SchoolClass) -> str:
    mef = MEFS[cls.mef]
    return f"{cls.code}${x(mef.label)}${mef.code}"


def subject_record(code: str) -> str:
    body = attr("ENTMatJointure", code, "") + attr("ENTLibelleMatiere", x(SUBJECTS[code]), "")
    return add_request("MatiereEducNat", code, body)


def mef_record(mef: Mef) -> str:
    body = "".join((
        attr("ENTMefJointure", mef.code, ""),
        attr("ENTLibelleMef", x(mef.label), ""),
        attr("ENTMEFRattach", mef.rattach or mef.code, ""),
        attr("ENTMEFSTAT11", mef.stat11, ""),
        attr("ENTNivFormation", x(mef.level), ""),
        attr("ENTFiliere", x(mef.track), ""),
    ))  # fmt: skip
    return add_request("MefEducNat", mef.code, body)


def used_subjects(world: AcademyWorld) -> list[str]:
    used: set[str] = set()
    for school in world.schools:
        for cls in school.classes:
            used.update(subject for subject, _, _ in cls.teachings)
        used.update(group.subject for group in school.groups)
    return sorted(used)


def used_mefs(world: AcademyWorld) -> list[Mef]:
    used = {cls.mef for school in world.schools for cls in school.classes}
    return sorted((MEFS[key] for key in used), key=lambda mef: mef.code)


# --- people ---------------------------------------------------------------------------


def choose_groups(draw: Draw, choices: list[Choice]) -> list[int]:
    """The groups a pupil of a class belongs to (one draw sequence per choice)."""
    picked: list[int] = []
    for choice in choices:
        if choice.mode == "maybe":
            if draw.chance(choice.probability):
                picked.append(draw.choice(choice.options[0]))
            continue
        options = list(range(len(choice.options)))
        weights = list(choice.weights)
        for _ in range(choice.k if choice.mode == "pick" else 1):
            if not options:
                break
            position = draw.weighted(range(len(options)), cumulative(weights))
            option = options.pop(position)
            weights.pop(position)
            picked.append(draw.choice(choice.options[option]))
    return picked


class Renderer:
    """Renders the people of one académie; keeps the small state rendering needs."""

    def __init__(self, world: AcademyWorld) -> None:
        self.world = world
        self.key = world.key
        self.year = world.rentree.year
        self.rentree = world.rentree.strftime("%d/%m/%Y")
        self.staff_mails: dict[str, int] = {}
        self._family: tuple[int, Family | None] = (-1, None)

    def family(self, index: int) -> Family:
        cached_index, cached = self._family
        if cached_index != index or cached is None:
            cached = self.world.family(index)
            self._family = (index, cached)
        return cached

    def relative_numbers(self, family: int) -> range:
        first = self.world.family_first_relative
        return range(first[family], first[family + 1])

    def pupil(
        self,
        index: int,
        school: School,
        cls: SchoolClass,
        family: Family,
        relatives: Iterable[int],
        *,
        entry: str | None = None,
    ) -> str:
        """The Eleve ``addRequest`` of pupil ``index`` (relatives are relative numbers)."""
        world = self.world
        s = school.jointure
        jointure = world.pupil_jointure(index)
        identity, others, bursary, regime, transport, picked = self._profile(index, family, cls)
        groups = [school.groups[g] for g in picked]
        links = [
            f"{world.relative_jointure(number)}${role.link}${role.financial}${role.legal}${role.contact}$0"
            for number, role in zip(relatives, family.roles, strict=True)
        ]
        codes: dict[str, None] = dict.fromkeys(subject for subject, _, _ in cls.teachings)
        codes.update(dict.fromkeys(group.subject for group in groups))
        mef = MEFS[cls.mef]
        ine = _ine(world.code, index)
        body = "".join((
            attr("ENTPersonJointure", str(jointure)),
            attr("ENTEleveINE", ine),
            attr("ENTEleveStructRattachId", str(school.siecle_base + index - school.first_pupil)),
            attr("ENTPersonDateNaissance", identity.birth),
            attr("ENTPersonNomPatro", identity.birth_name),
            attr("sn", identity.surname),
            attr("givenName", identity.given),
            attrs("ENTPersonAutresPrenoms", others),
            attr("personalTitle", identity.title),
            attrs("ENTElevePersRelEleve", links),
            attr("ENTEleveBoursier", bursary),
            attr("ENTEleveRegime", regime),
            attr("ENTEleveTransport", transport),
            attr("ENTPersonAdresse", f"{family.street}$$$"),
            attr("ENTPersonCodePostal", family.postcode),
            attr("ENTPersonVille", family.town),
            attr("ENTPersonPays", "FRANCE"),
            attr("ENTEleveAdresseRel", links[0].split("$", 1)[0]),
            attr("ENTEleveStatutEleve", "SCOLAIRE"),
            attr("ENTEleveMEF", mef.code),
            attr("ENTEleveLibelleMEF", x(mef.label)),
            attr("ENTEleveNivFormation", x(mef.level)),
            attr("ENTEleveFiliere", x(mef.track)),
            attrs("ENTEleveEnseignements", (x(SUBJECTS[code]) for code in codes)),
            attrs("ENTEleveCodeEnseignements", codes),
            attr("ENTPersonStructRattach", str(s)),
            attr("ENTEleveDateEntreeClasses", f"{s}${entry or self.rentree}${cls.code}"),
            attr("ENTEleveDateSortieClasses", ""),
            attr("ENTEleveClasses", f"{s}${cls.code}"),
            attrs("ENTEleveGroupes", (f"{s}${group.code}" for group in groups)),
        ))  # fmt: skip
        return add_request("Eleve", jointure, body)

    def _profile(
        self, index: int, family: Family, cls: SchoolClass
    ) -> tuple[Identity, list[str], str, str, str, list[int]]:
        """Everything drawn for a pupil; the groups come last so that a class change
        (delta mode) keeps the pupil's identity."""
        draw = Draw(f"{self.key}:p:{index}")
        identity = pupil_identity(draw, family, self.year, cls.age)
        others = other_given_names(draw, identity.title == "Mme")
        bursary = "O" if draw.chance(0.27) else "N"
        regime = draw.weighted(_REGIMES, _REGIME_CUM)
        transport = "O" if draw.chance(0.3) else "N"
        return identity, others, bursary, regime, transport, choose_groups(draw, cls.choices)

    def pupil_groups(self, index: int, school: School, cls: SchoolClass) -> list[str]:
        """``ENTEleveGroupes`` of a pupil if it were in ``cls`` (same draws as :meth:`pupil`)."""
        family = self.family(self.world.pupil_family[index])
        picked = self._profile(index, family, cls)[5]
        return [f"{school.jointure}${school.groups[g].code}" for g in picked]

    def relative(self, family: Family, slot: int, number: int, children: Iterable[int]) -> str:
        """The PersRelEleve ``addRequest`` of one adult of ``family``."""
        world = self.world
        jointure = world.relative_jointure(number)
        identity, draw = relative_identity(family, slot, self.year)
        home, work, mobile, mail, street, postcode, town = relative_contact(
            identity, draw, family, slot, world.code
        )
        body = "".join((
            attr("ENTPersonJointure", str(jointure)),
            attr("ENTPersonDateNaissance", identity.birth),
            attr("ENTPersonNomPatro", identity.birth_name),
            attr("sn", identity.surname),
            attr("givenName", identity.given),
            attr("ENTPersonAutresPrenoms", ""),
            attr("personalTitle", identity.title),
            attr("homePhone", home),
            attr("telephoneNumber", work),
            attr("mobile", mobile),
            attr("mail", mail),
            attr("ENTPersonAdresse", f"{street}$$$"),
            attr("ENTPersonCodePostal", postcode),
            attr("ENTPersonVille", town),
            attr("ENTPersonPays", "FRANCE"),
            attrs("ENTAuxPersRelEleveEleve", (str(world.pupil_jointure(c)) for c in children)),
        ))  # fmt: skip
        return add_request("PersRelEleve", jointure, body)

    def staff(self, school: School) -> Iterator[tuple[int, StaffMember, str]]:
        """(jointure, plan, PersEducNat ``addRequest``) for every staff member of a school."""
        plan = plan_staff(school, self.key)
        for offset, member in enumerate(plan):
            jointure = STAFF_BASE + school.first_staff + offset
            yield jointure, member, self.staff_member(school, member, jointure)

    def staff_mail(self, given: str, surname: str) -> str:
        local = f"{given}.{surname}"
        seen = self.staff_mails.get(local, 0)
        self.staff_mails[local] = seen + 1
        return f"{local}{seen or ''}@{self.world.academy.mail_domain}"

    def staff_member(self, school: School, member: StaffMember, jointure: int) -> str:
        s = school.jointure
        draw = Draw(f"{self.key}:s:{jointure}")
        identity = staff_identity(draw, self.year)
        mail = self.staff_mail(identity.mail_given, identity.mail_surname)
        body = "".join((
            attr("ENTPersonJointure", str(jointure)),
            attr("ENTPersonDateNaissance", identity.birth),
            attr("ENTPersonNomPatro", identity.birth_name),
            attr("sn", identity.surname),
            attr("givenName", identity.given),
            attr("ENTPersonAutresPrenoms", ""),
            attr("personalTitle", identity.title),
            attr("mail", mail),
            attr("ENTPersonStructRattach", str(s)),
            *self.staff_teaching(school, member),
        ))  # fmt: skip
        return add_request("PersEducNat", jointure, body)

    def staff_teaching(self, school: School, member: StaffMember) -> list[str]:
        s = school.jointure
        classes, groups = school.classes, school.groups
        if member.role == "ENS":
            discipline = DISCIPLINES[member.discipline]
            category, post, teacher = discipline.category, discipline.post, "O"
        else:
            _, category, post, teacher = NON_TEACHING[member.role]
        class_codes = list(dict.fromkeys(classes[ci].code for ci, _ in member.classes))
        mefs = dict.fromkeys(MEFS[classes[ci].mef] for ci, _ in member.classes)
        subjects = dict.fromkeys(subject for _, subject in member.classes + member.groups)
        return [
            attrs("ENTAuxEnsCategoDiscipline", [x(category)] if category else []),
            attrs("ENTAuxEnsDisciplinesPoste", [x(post)] if post else []),
            attrs("ENTAuxEnsMEF", (f"{s}${mef.code}${x(mef.label)}" for mef in mefs)),
            attrs("ENTAuxEnsMatiereEnseignEtab", (f"{s}${x(SUBJECTS[c])}" for c in subjects)),
            attrs("ENTAuxEnsClasses", (f"{s}${code}" for code in class_codes)),
            attrs("ENTAuxEnsGroupes", dict.fromkeys(f"{s}${groups[gi].code}" for gi, _ in member.groups)),
            attrs("ENTAuxEnsClassesMatieres", dict.fromkeys(f"{s}${classes[ci].code}${subject}" for ci, subject in member.classes)),
            attrs("ENTAuxEnsGroupesMatieres", dict.fromkeys(f"{s}${groups[gi].code}${subject}" for gi, subject in member.groups)),
            attrs("ENTAuxEnsClassesPrincipal", (f"{s}${classes[ci].code}" for ci in member.principal)),
            attrs("ENTPersonFonctions", self.functions(school, member)),
            attr("ENTPersonCategorieEnseignant", teacher),
            attr("PersEducNatPresenceDevantEleves", "O" if member.role == "ENS" else "N"),
        ]  # fmt: skip

    def functions(
        self, school: School, member: StaffMember, extra: tuple[int, ...] = ()
    ) -> list[str]:
        """``ENTPersonFonctions`` values, in this school and in ``extra`` structures."""
        structures = (school.jointure, *member.extra_structures, *extra)
        if member.role == "ENS":
            discipline = DISCIPLINES[member.discipline]
            return [
                f"{s}$ENS$ENSEIGNEMENT${discipline.code}${x(discipline.label)}" for s in structures
            ]
        keys = NON_TEACHING[member.role][0] + (("AEDI",) if member.boarding else ())
        values = []
        for s in structures:
            for key in keys:
                f = FUNCTIONS[key]
                values.append(
                    f"{s}${f.code}${x(f.label)}${f.discipline_code}${x(f.discipline_label)}"
                )
        return values


def _ine(code: str, index: int) -> str:
    digits = f"{code}{(index * 48271 + 12345) % 100_000_000:08d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]
