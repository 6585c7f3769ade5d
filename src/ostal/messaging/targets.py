"""What a sender can put in the "To" field: a person, or a derived list.

Keys are short strings so a form, a draft and the API carry them alike:
``p:<person>``, ``c:<class>`` (its pupils), ``pc:<class>`` (parents of the class),
``tc:<class>`` (teachers of the class), ``g:<group>`` (pupils of a teaching group),
``pg:<group>`` (their parents), ``tg:<group>`` (teachers of the group), ``s:<school>``
(all staff of the school). Lists are broadcasts: only staff of the list's school may use
them; archived classes and groups (last years') are no lists any more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from ostal.core.french import de
from ostal.core.params import parse_id
from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    HeadTeacher,
    Person,
    RelativeLink,
    SchoolClass,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.messaging.models import Message
from ostal.messaging.rules_engine import (
    GROUP_PROFILES,
    INACTIVE_STATES,
    STAFF_GROUPS,
    nameable,
    sender_contexts,
    unnamed_label,
)
from ostal.territory.models import School

CLASS_KINDS = {"c", "pc", "tc"}
GROUP_KINDS = {"g", "pg", "tg"}
LIST_KINDS = {*CLASS_KINDS, *GROUP_KINDS, "s"}


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    ids: tuple[int, ...]
    is_list: bool


def staff_schools(sender: Person) -> list[School]:
    """Schools where the sender is staff (those whose lists they may use)."""
    seen: dict[int, School] = {}
    for school, group in sender_contexts(sender):
        if group in STAFF_GROUPS:
            seen.setdefault(school.pk, school)
    return list(seen.values())


def list_targets(sender: Person) -> list[tuple[str, str]]:
    """The derived lists offered to a staff member: each class and each teaching group
    (pupils, parents, teachers) and the whole staff of each of their schools."""
    options: list[tuple[str, str]] = []
    schools = staff_schools(sender)
    for school in schools:
        options.append((f"s:{school.pk}", f"Tous les personnels {de(school.display_name)}"))
    classes = SchoolClass.objects.filter(school__in=schools, archived=False).order_by(
        "school__name", "code"
    )
    for school_class in classes:
        name = str(school_class)
        options += [
            (f"c:{school_class.pk}", f"Élèves {de(name)}"),
            (f"pc:{school_class.pk}", f"Parents {de(name)}"),
            (f"tc:{school_class.pk}", f"Enseignants {de(name)}"),
        ]
    groups = TeachingGroup.objects.filter(school__in=schools, archived=False).order_by(
        "school__name", "code"
    )
    for group in groups:
        name = str(group)
        options += [
            (f"g:{group.pk}", f"Élèves du groupe {name}"),
            (f"pg:{group.pk}", f"Parents du groupe {name}"),
            (f"tg:{group.pk}", f"Enseignants du groupe {name}"),
        ]
    return options


def _ids(qs: QuerySet[Any]) -> tuple[int, ...]:
    people = Person.objects.filter(pk__in=qs).exclude(state__in=INACTIVE_STATES)
    return tuple(people.order_by("pk").values_list("pk", flat=True))


def _person_ids(keys: Iterable[str]) -> set[int]:
    ids = set()
    for key in keys:
        kind, _sep, raw = key.partition(":")
        if kind == "p" and (pk := parse_id(raw)):
            ids.add(pk)
    return ids


def expand_all(
    sender: Person, keys: list[str], *, reply_to: Message | None = None, skip: bool = False
) -> list[Target]:
    """The people behind target keys; a French ``ValidationError`` for the first key
    unknown or not usable by the sender (a list outside their schools is the same as a
    missing one), or, with ``skip``, such keys left out.

    A ``p:`` key is labelled with the person's name only if the sender may be shown it
    (``rules_engine.nameable``: whom they may write to, the people of the message they
    answer); anyone else is « Destinataire n° <id> », so no id given reveals a name."""
    ids = _person_ids(keys)
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).exclude(state__in=INACTIVE_STATES)}
    named = nameable(sender, people, reply_to=reply_to) if people else set()
    result = []
    for key in keys:
        try:
            result.append(_expand(sender, key, people, named))
        except ValidationError:
            if not skip:
                raise
    return result


def expand(sender: Person, key: str, *, reply_to: Message | None = None) -> Target:
    """The people behind one target key (see ``expand_all``)."""
    return expand_all(sender, [key], reply_to=reply_to)[0]


def _expand(sender: Person, key: str, people: dict[int, Person], named: set[int]) -> Target:
    kind, _sep, raw = key.partition(":")
    pk = parse_id(raw)
    if pk is None:
        raise ValidationError(f"Destinataire inconnu : « {key} ».")
    if kind == "p":
        person = people.get(pk)
        if person is None:
            raise ValidationError("Ce destinataire n'existe pas ou n'a plus de compte.")
        label = person.display_name if pk in named else unnamed_label(pk)
        return Target(key, label, (person.pk,), False)
    if kind not in LIST_KINDS:
        raise ValidationError(f"Destinataire inconnu : « {key} ».")
    schools = {s.pk: s for s in staff_schools(sender)}
    if not schools:
        raise ValidationError(
            "Les envois à une liste (classe, groupe, parents d'une classe ou d'un groupe, "
            "personnels) sont réservés aux personnels de l'établissement."
        )
    if kind == "s":
        school = schools.get(pk)
        if school is None:
            raise ValidationError("Cette liste n'existe pas ou ne vous est pas ouverte.")
        staff_profiles = [p for g in STAFF_GROUPS for p in GROUP_PROFILES[g]]
        ids = _ids(
            Affiliation.objects.filter(school=school, profile__in=staff_profiles).values(
                "person_id"
            )
        )
        return Target(key, f"Tous les personnels {de(school.display_name)}", ids, True)
    if kind in GROUP_KINDS:
        return _group_target(key, kind, pk, list(schools))
    school_class = SchoolClass.objects.filter(pk=pk, school_id__in=schools, archived=False).first()
    if school_class is None:
        raise ValidationError("Cette liste n'existe pas ou ne vous est pas ouverte.")
    name = str(school_class)
    if kind == "c":
        ids = _ids(Enrolment.objects.filter(school_class=school_class).values("pupil_id"))
        return Target(key, f"Élèves {de(name)}", ids, True)
    if kind == "pc":
        ids = _ids(
            RelativeLink.objects.filter(pupil__enrolments__school_class=school_class).values(
                "relative_id"
            )
        )
        return Target(key, f"Parents {de(name)}", ids, True)
    ids = _ids(
        Person.objects.filter(
            Q(
                pk__in=TeachingAssignment.objects.filter(school_class=school_class).values(
                    "teacher_id"
                )
            )
            | Q(pk__in=HeadTeacher.objects.filter(school_class=school_class).values("teacher_id"))
        ).values("pk")
    )
    return Target(key, f"Enseignants {de(name)}", ids, True)


def _group_target(key: str, kind: str, pk: int, schools: list[int]) -> Target:
    """A teaching group's pupils (``g:``), their parents (``pg:``) or its teachers (``tg:``)."""
    group = TeachingGroup.objects.filter(pk=pk, school_id__in=schools, archived=False).first()
    if group is None:
        raise ValidationError("Cette liste n'existe pas ou ne vous est pas ouverte.")
    name = str(group)
    if kind == "g":
        ids = _ids(GroupMembership.objects.filter(group=group).values("person_id"))
        return Target(key, f"Élèves du groupe {name}", ids, True)
    if kind == "pg":
        ids = _ids(
            RelativeLink.objects.filter(pupil__group_memberships__group=group).values("relative_id")
        )
        return Target(key, f"Parents du groupe {name}", ids, True)
    ids = _ids(TeachingAssignment.objects.filter(group=group).values("teacher_id"))
    return Target(key, f"Enseignants du groupe {name}", ids, True)


def describe(sender: Person, keys: list[str], *, reply_to: Message | None = None) -> list[Target]:
    """Targets for display (a draft's recipients, the compose page's « À »); unknown keys
    are skipped, people the sender may not be shown are unnamed (``expand_all``)."""
    return expand_all(sender, keys, reply_to=reply_to, skip=True)
