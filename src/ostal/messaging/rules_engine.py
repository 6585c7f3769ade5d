"""Who may write to whom: the communication rules engine.

One source of truth, two uses: ``reachable_recipients`` (recipient search: you only find
whom you may write to) and ``allowed_recipients`` / ``may_write`` (send time) are both
built from the same ``grants`` of the sender, so search and send never disagree.

A grant is a rule of one of the sender's schools, "group X may write to group Y" with a
reach: *related* (pupils: teachers and classmates of their own class and of their teaching
groups; parents: their own children and the teachers of their children's classes and
groups; teachers: the pupils and parents of the classes and groups they teach, head
teachers included for their class) or *school* (everybody of that group in the school, and
in the other schools of the same cité scolaire). A school without custom rules uses ``DEFAULT_RULES``, the
recommended set of the SDET reference (§2.4).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ostal.core.french import de
from ostal.directory.models import (
    Affiliation,
    AuthorityRole,
    Enrolment,
    GroupMembership,
    HeadTeacher,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.messaging.models import CommunicationRule, Delivery, Group, Message, Reach
from ostal.territory.models import School

PROFILE_GROUP: dict[str, str] = {
    Profile.PUPIL: Group.PUPILS,
    Profile.RELATIVE: Group.RELATIVES,
    Profile.TEACHER: Group.TEACHERS,
    Profile.LIBRARIAN: Group.TEACHERS,
    Profile.DIRECTION: Group.DIRECTION,
    Profile.SCHOOL_LIFE: Group.SCHOOL_LIFE,
    Profile.ADMIN_STAFF: Group.OTHER_STAFF,
    Profile.ACADEMIC: Group.OTHER_STAFF,
}
GROUP_PROFILES: dict[str, list[str]] = {}
for _profile, _group in PROFILE_GROUP.items():
    GROUP_PROFILES.setdefault(_group, []).append(_profile)

STAFF_GROUPS = (Group.TEACHERS, Group.DIRECTION, Group.SCHOOL_LIFE, Group.OTHER_STAFF)
AUTHORITY_GROUP = "COL"  # collectivité staff: not a school group, fixed rule (direction only)

DEFAULT_RULES: dict[tuple[str, str], str] = {
    # Pupils: their class's teachers and the vie scolaire; no other families.
    (Group.PUPILS, Group.TEACHERS): Reach.RELATED,
    (Group.PUPILS, Group.SCHOOL_LIFE): Reach.SCHOOL,
    # Parents: their children, their children's teachers, direction and vie scolaire.
    (Group.RELATIVES, Group.PUPILS): Reach.RELATED,
    (Group.RELATIVES, Group.TEACHERS): Reach.RELATED,
    (Group.RELATIVES, Group.DIRECTION): Reach.SCHOOL,
    (Group.RELATIVES, Group.SCHOOL_LIFE): Reach.SCHOOL,
    # Staff and teachers: everybody in their schools.
    **{(s, t): Reach.SCHOOL for s in STAFF_GROUPS for t in Group.values},
}

INACTIVE_STATES = (Person.State.DELETED, Person.State.DETACHED)
SMALL_SET = 100  # up to this many candidate ids, the send check filters them in SQL


@dataclass(frozen=True)
class Grant:
    """One rule of one school, applied to one sender."""

    school: School
    source: str
    target: str
    reach: str
    q: Q

    @property
    def label(self) -> str:
        source = (
            "Personnels de collectivité"
            if self.source == AUTHORITY_GROUP
            else Group(self.source).label
        )
        return f"« {source} → {Group(self.target).label} » {de(self.school.display_name)}"


def rules_of(school: School) -> dict[tuple[str, str], str]:
    """The school's rule for every (from, to) pair: its own rows, else the defaults."""
    rows = {
        (r.source, r.target): r.reach
        for r in CommunicationRule.objects.filter(school=school).only("source", "target", "reach")
    }
    if not rows:
        rows = dict(DEFAULT_RULES)
    return {(s, t): rows.get((s, t), Reach.NONE) for s in Group.values for t in Group.values}


def has_custom_rules(school: School) -> bool:
    return CommunicationRule.objects.filter(school=school).exists()


def cite_ids(school: School) -> list[int]:
    """The school and the other schools of its cité scolaire (same head)."""
    head = school.cite_scolaire_head_id or school.pk
    return list(
        School.objects.filter(Q(pk=head) | Q(cite_scolaire_head_id=head)).values_list(
            "pk", flat=True
        )
    )


def sender_contexts(sender: Person) -> list[tuple[School, str]]:
    """The (school, group) pairs a person writes from."""
    contexts: dict[tuple[int, str], tuple[School, str]] = {}
    for aff in Affiliation.objects.filter(person=sender).select_related("school"):
        group = PROFILE_GROUP.get(aff.profile)
        if group:
            contexts[(aff.school_id, group)] = (aff.school, group)
    if sender.profile == Profile.RELATIVE:
        schools = School.objects.filter(
            classes__enrolments__pupil__relative_links__relative=sender, classes__archived=False
        ).distinct()
        for school in schools:
            contexts[(school.pk, Group.RELATIVES)] = (school, Group.RELATIVES)
    if sender.profile == Profile.AUTHORITY_STAFF:
        authorities = AuthorityRole.objects.filter(person=sender).values("authority_id")
        for school in School.objects.filter(
            Q(responsible_authority_id__in=authorities) | Q(department_id__in=authorities)
        ):
            contexts[(school.pk, AUTHORITY_GROUP)] = (school, AUTHORITY_GROUP)
    return sorted(contexts.values(), key=lambda c: (c[0].name, c[1]))


def sender_schools(sender: Person) -> list[School]:
    seen: dict[int, School] = {}
    for school, _group in sender_contexts(sender):
        seen.setdefault(school.pk, school)
    return list(seen.values())


def _related_classes(sender: Person, group: str, school: School) -> QuerySet[SchoolClass] | None:
    current = SchoolClass.objects.filter(school=school, archived=False)
    if group == Group.PUPILS:
        return current.filter(enrolments__pupil=sender)
    if group == Group.RELATIVES:
        return current.filter(enrolments__pupil__relative_links__relative=sender)
    if group == Group.TEACHERS:
        return current.filter(Q(assignments__teacher=sender) | Q(head_teachers__teacher=sender))
    return None


def _related_groups(sender: Person, group: str, school: School) -> QuerySet[TeachingGroup]:
    """The current teaching groups of the school the sender is in (pupil), has a child in
    (parent) or teaches (teacher); ``_related_classes`` already said the group is one of
    these three."""
    current = TeachingGroup.objects.filter(school=school, archived=False)
    if group == Group.PUPILS:
        return current.filter(members__person=sender)
    if group == Group.RELATIVES:
        return current.filter(members__person__relative_links__relative=sender)
    return current.filter(assignments__teacher=sender)


def _members(target: str, schools: list[int]) -> Q:
    """Everybody of a group in some schools."""
    if target == Group.RELATIVES:
        ids = RelativeLink.objects.filter(
            pupil__enrolments__school_class__school_id__in=schools,
            pupil__enrolments__school_class__archived=False,
        ).values("relative_id")
        return Q(pk__in=ids)
    return Q(
        pk__in=Affiliation.objects.filter(
            school_id__in=schools, profile__in=GROUP_PROFILES[target]
        ).values("person_id")
    )


def _related(sender: Person, source: str, target: str, school: School) -> Q | None:
    """Whom *related* reaches: through the sender's classes and teaching groups."""
    classes = _related_classes(sender, source, school)
    if classes is None:
        return None
    class_ids = classes.values("pk")
    group_ids = _related_groups(sender, source, school).values("pk")
    if target == Group.PUPILS:
        if source == Group.RELATIVES:
            return Q(pk__in=RelativeLink.objects.filter(relative=sender).values("pupil_id"))
        return Q(
            pk__in=Enrolment.objects.filter(school_class__in=class_ids).values("pupil_id")
        ) | Q(pk__in=GroupMembership.objects.filter(group__in=group_ids).values("person_id"))
    if target == Group.RELATIVES:
        if source == Group.PUPILS:
            return Q(pk__in=RelativeLink.objects.filter(pupil=sender).values("relative_id"))
        return Q(
            pk__in=RelativeLink.objects.filter(
                pupil__enrolments__school_class__in=class_ids
            ).values("relative_id")
        ) | Q(
            pk__in=RelativeLink.objects.filter(
                pupil__group_memberships__group__in=group_ids
            ).values("relative_id")
        )
    if target == Group.TEACHERS:
        return (
            Q(
                pk__in=TeachingAssignment.objects.filter(school_class__in=class_ids).values(
                    "teacher_id"
                )
            )
            | Q(pk__in=HeadTeacher.objects.filter(school_class__in=class_ids).values("teacher_id"))
            | Q(pk__in=TeachingAssignment.objects.filter(group__in=group_ids).values("teacher_id"))
        )
    return None


def grants(sender: Person) -> list[Grant]:
    """Every rule that lets the sender write, with the people it reaches (a ``Q``)."""
    result: list[Grant] = []
    rules_cache: dict[int, dict[tuple[str, str], str]] = {}
    for school, source in sender_contexts(sender):
        if source == AUTHORITY_GROUP:
            result.append(
                Grant(
                    school,
                    source,
                    Group.DIRECTION,
                    Reach.SCHOOL,
                    _members(Group.DIRECTION, [school.pk]),
                )
            )
            continue
        rules = rules_cache.setdefault(school.pk, rules_of(school))
        schools: list[int] | None = None
        for target in Group.values:
            reach = rules[(source, target)]
            if reach == Reach.NONE:
                continue
            q = _related(sender, source, target, school) if reach == Reach.RELATED else None
            if q is None:
                schools = schools if schools is not None else cite_ids(school)
                q = _members(target, schools)
            result.append(Grant(school, source, target, reach, q))
    return result


def _recipients() -> QuerySet[Person]:
    return Person.objects.exclude(state__in=INACTIVE_STATES)


def reachable_recipients(sender: Person, query: str = "", limit: int = 20) -> QuerySet[Person]:
    """The people the sender may write to whose name matches ``query`` (recipient search)."""
    all_grants = grants(sender)
    if not all_grants:
        return Person.objects.none()
    reach = Q()
    for grant in all_grants:
        reach |= grant.q
    qs = _recipients().filter(reach).exclude(pk=sender.pk)
    for word in query.split():
        qs = qs.filter(
            Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(username__iexact=word)
        )
    return qs.order_by("last_name", "first_name", "pk")[:limit]


def fold(text: str) -> str:
    """Lower case without accents: « Mathématiques » and « MATHEMATIQUES » match alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Role words of the recipient search (folded) → the profiles they find. « professeur
# principal » (both words) finds the head teachers instead; « principal » alone is the head
# of a collège (direction).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "professeur": (Profile.TEACHER, Profile.LIBRARIAN),
    "professeure": (Profile.TEACHER, Profile.LIBRARIAN),
    "prof": (Profile.TEACHER, Profile.LIBRARIAN),
    "enseignant": (Profile.TEACHER, Profile.LIBRARIAN),
    "enseignante": (Profile.TEACHER, Profile.LIBRARIAN),
    "documentaliste": (Profile.LIBRARIAN,),
    "principal": (Profile.DIRECTION,),
    "principale": (Profile.DIRECTION,),
    "proviseur": (Profile.DIRECTION,),
    "proviseure": (Profile.DIRECTION,),
    "direction": (Profile.DIRECTION,),
    "directeur": (Profile.DIRECTION,),
    "directrice": (Profile.DIRECTION,),
    "adjoint": (Profile.DIRECTION,),
    "adjointe": (Profile.DIRECTION,),
    "cpe": (Profile.SCHOOL_LIFE,),
    "vie": (Profile.SCHOOL_LIFE,),
    "scolaire": (Profile.SCHOOL_LIFE,),
    "surveillant": (Profile.SCHOOL_LIFE,),
    "surveillante": (Profile.SCHOOL_LIFE,),
    "secretariat": (Profile.ADMIN_STAFF,),
    "intendance": (Profile.ADMIN_STAFF,),
    "gestionnaire": (Profile.ADMIN_STAFF,),
}
TEACHER_WORDS = {"professeur", "professeure", "prof", "enseignant", "enseignante"}
_WORD_SPLIT = re.compile(r"[\W_]+")  # « Physique-chimie », « d'anglais »: words apart
_FILLERS = {"de", "d", "du", "des", "la", "le", "l", "en", "et", "mon", "ma", "mes"}


@dataclass(frozen=True)
class Found:
    """A person the recipient search found, with what they are to the sender
    (« professeur de mathématiques, 4B »), or their profile."""

    person: Person
    role: str


def _role_words(word: str) -> set[str]:
    """The role words ``word`` (folded) is a prefix of (three letters at least)."""
    if len(word) < 3 and word != "cpe":
        return set()
    return {w for w in ROLE_WORDS if w.startswith(word)}


def _subject_match(word: str, labels: list[str]) -> bool:
    """``word`` (folded) begins a word of the label (« maths » → « mathématiques »)."""
    stems = {word, word.rstrip("s")} if len(word) > 3 else {word}
    return any(
        lw.startswith(stem) for label in labels for lw in _WORD_SPLIT.split(label) for stem in stems
    )


def _concerned(sender: Person) -> tuple[QuerySet[SchoolClass], QuerySet[TeachingGroup]]:
    """The current classes and groups whose teachers concern the sender: their children's
    (parent), their own (pupil), their schools' (staff)."""
    classes = SchoolClass.objects.filter(archived=False)
    groups = TeachingGroup.objects.filter(archived=False)
    if sender.profile == Profile.RELATIVE:
        classes = classes.filter(enrolments__pupil__relative_links__relative=sender)
        groups = groups.filter(members__person__relative_links__relative=sender)
    elif sender.profile == Profile.PUPIL:
        classes = classes.filter(enrolments__pupil=sender)
        groups = groups.filter(members__person=sender)
    else:
        schools = [s.pk for s in sender_schools(sender)]
        classes = classes.filter(school_id__in=schools)
        groups = groups.filter(school_id__in=schools)
    return classes, groups


def _teacher_roles(
    assignments: Iterable[TeachingAssignment], heads: Iterable[HeadTeacher]
) -> dict[int, str]:
    """« professeur de mathématiques, 4B ; professeur principal, 4B » per teacher id."""
    parts: dict[int, dict[str, list[str]]] = {}
    for a in assignments:
        what = f"professeur {de(a.subject.display_label.lower())}" if a.subject else "professeur"
        where = str(a.school_class or a.group)
        parts.setdefault(a.teacher_id, {}).setdefault(what, []).append(where)
    for h in heads:
        parts.setdefault(h.teacher_id, {}).setdefault("professeur principal", []).append(
            str(h.school_class)
        )
    return {
        pk: " ; ".join(f"{what}, {', '.join(sorted(set(where)))}" for what, where in roles.items())
        for pk, roles in parts.items()
    }


def recipient_search(sender: Person, query: str, limit: int = 20) -> list[Found]:
    """The people the sender may write to (the same grants as the send) matching
    ``query``: by name, by role word (« professeur », « CPE », « principal »…) or by the
    subject they teach in the sender's classes (« maths »: accent- and case-insensitive,
    prefix match), each labelled with their role (« professeur de mathématiques, 4B »)."""
    all_grants = grants(sender)
    if not all_grants:
        return []
    reach_q = Q()
    for grant in all_grants:
        reach_q |= grant.q
    reach = _recipients().filter(reach_q).exclude(pk=sender.pk)
    words = [w for w in _WORD_SPLIT.split(fold(query)) if w]
    by_name = reach
    for word in query.split():
        by_name = by_name.filter(
            Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(username__iexact=word)
        )
    found = list(by_name.order_by("last_name", "first_name", "pk")[:limit])
    classes, groups = _concerned(sender)
    teachers = reach.values("pk")
    assignments = list(
        TeachingAssignment.objects.filter(teacher__in=teachers)
        .filter(Q(school_class__in=classes.values("pk")) | Q(group__in=groups.values("pk")))
        .select_related("subject", "school_class", "group")
    )
    heads = list(
        HeadTeacher.objects.filter(
            teacher__in=teachers, school_class__in=classes.values("pk")
        ).select_related("school_class")
    )
    roles = _teacher_roles(assignments, heads)
    role_words: set[str] = set()
    subject_words = []
    for word in words:
        matched = _role_words(word)
        if matched:
            role_words |= matched
        elif word not in _FILLERS:
            subject_words.append(word)
    if role_words or subject_words:
        ids: set[int] | None = None
        if subject_words:
            ids = {
                a.teacher_id
                for a in assignments
                if a.subject is not None
                and all(
                    _subject_match(w, [fold(a.subject.label), fold(a.subject.display_label)])
                    for w in subject_words
                )
            }
        if role_words & TEACHER_WORDS and {"principal", "principale"} & role_words:
            head_ids = {h.teacher_id for h in heads}
            ids = head_ids if ids is None else ids & head_ids
        elif role_words:
            profiles = {p for w in role_words for p in ROLE_WORDS[w]}
            with_role = set(reach.filter(profile__in=profiles).values_list("pk", flat=True))
            ids = with_role if ids is None else ids & with_role
        ids = (ids or set()) - {p.pk for p in found}
        if ids:
            by_role = reach.filter(pk__in=ids).order_by("last_name", "first_name", "pk")
            found += list(by_role[: max(limit - len(found), 0)])
    return [Found(p, roles.get(p.pk) or p.get_profile_display()) for p in found]


def allowed_recipients(sender: Person, ids: Iterable[int]) -> dict[int, Grant]:
    """For the given person ids, the grant that allows each one (missing = forbidden)."""
    wanted = set(ids) - {sender.pk}
    found: dict[int, Grant] = {}
    for grant in grants(sender):
        remaining = wanted - found.keys()
        if not remaining:
            break
        people = _recipients().filter(grant.q)
        if len(remaining) <= SMALL_SET:
            people = people.filter(pk__in=remaining)
        # A broadcast's thousands of ids are matched against the grant's people in Python:
        # one scan of the grant's reach beats a planner facing thousands of literals.
        for pk in people.values_list("pk", flat=True):
            if pk in remaining:
                found[pk] = grant
    return found


def _people_of(sender: Person, message: Message, wanted: set[int]) -> set[int]:
    """Among ``wanted``, the people a message the sender wrote or received names to them:
    its author, and its recipients when it is no broadcast (its « À » lists them)."""
    holds = message.author_id == sender.pk or (
        Delivery.objects.filter(message=message, recipient=sender).exists()
    )
    if not holds:
        return set()
    known = wanted & {message.author_id} if message.author_id else set()
    if not message.is_broadcast:
        known |= set(
            Delivery.objects.filter(message=message, recipient_id__in=wanted).values_list(
                "recipient_id", flat=True
            )
        )
    return known


def nameable(sender: Person, ids: Iterable[int], *, reply_to: Message | None = None) -> set[int]:
    """Among ``ids``, the people whose name the sender may be shown: themselves, the people
    the rules let them write to (whom the recipient search finds) and, when they answer a
    message, the people that message already names to them (its author; its recipients if
    it is no broadcast). Every place that turns a person id into a name for a user asks
    here: anyone else stays « destinataire n° <id> », whatever the id given."""
    wanted = set(ids)
    known = wanted & {sender.pk}
    if reply_to is not None:
        known |= _people_of(sender, reply_to, wanted - known)
    rest = wanted - known
    if rest:
        known |= allowed_recipients(sender, rest).keys()
    return known


def unnamed_label(pk: int) -> str:
    """How a person the user may not be shown is called (their id only)."""
    return f"Destinataire n° {pk}"


def may_write(sender: Person, recipient: Person) -> Grant | None:
    """The rule that lets ``sender`` write to ``recipient``, or ``None``."""
    return allowed_recipients(sender, [recipient.pk]).get(recipient.pk)


def refusal(sender: Person, recipient: Person, *, named: bool = False) -> str:
    """A French sentence naming the rule that forbids writing to ``recipient``; the
    recipient's name only when ``named`` (``nameable``), else their id: a refusal must not
    tell a name the recipient search would not."""
    target = PROFILE_GROUP.get(recipient.profile)
    contexts = sender_contexts(sender)
    name = recipient.display_name if named else f"ce destinataire (n° {recipient.pk})"
    if target is None or not contexts:
        return (
            f"Vous ne pouvez pas écrire à {name} : aucune règle de communication ne vous le permet."
        )
    school, source = contexts[0]
    if source == AUTHORITY_GROUP:
        return (
            f"Vous ne pouvez pas écrire à {name} : les personnels de collectivité n'écrivent "
            "qu'à la direction des établissements."
        )
    reach = rules_of(school)[(source, target)]
    rule = f"« {Group(source).label} → {Group(target).label} » {de(school.display_name)}"
    if reach == Reach.NONE:
        return f"Vous ne pouvez pas écrire à {name} : la règle {rule} ne le permet pas."
    if reach == Reach.RELATED:
        return (
            f"Vous ne pouvez pas écrire à {name} : la règle {rule} est limitée aux personnes "
            "en lien avec vous (votre classe et vos groupes, vos enfants, les classes et groupes "
            "où vous enseignez)."
        )
    return (
        f"Vous ne pouvez pas écrire à {name} : la règle {rule} ne couvre que les personnes "
        "de votre établissement (et de sa cité scolaire)."
    )
