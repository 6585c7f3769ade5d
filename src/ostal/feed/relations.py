"""Writing what links people to schools, classes, groups and subjects, in bulk.

Rules: a link to a structure the delivery does not describe is a warning and is skipped
(never invented); classes and groups are created for the delivery's school year from the
people who name them; replacing a person's links never touches archived classes (last
year's rosters stay as they were).
"""

from __future__ import annotations

from typing import Any

from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    HeadTeacher,
    RelativeLink,
    SchoolClass,
    Source,
    StaffFunction,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.feed.bulk import first_of_each, insert_rows
from ostal.feed.mapping import PersonData, StructureData
from ostal.feed.models import SchoolKey
from ostal.feed.report import ImportReport
from ostal.territory.models import Authority, School
from ostal.territory.services import department_of_uai, responsible_authority_for, school_attach

Item = tuple[int, PersonData, bool]
LINK_FIELDS: dict[Any, tuple[str, ...]] = {
    Affiliation: ("person_id", "school_id", "profile", "is_main"),
    Enrolment: ("pupil_id", "school_class_id"),
    GroupMembership: ("person_id", "group_id"),
    HeadTeacher: ("teacher_id", "school_class_id"),
    StaffFunction: (
        "person_id",
        "school_id",
        "code",
        "label",
        "discipline_code",
        "discipline_label",
    ),
    TeachingAssignment: ("teacher_id", "subject_id", "school_class_id", "group_id"),
}
#: each link table's unique constraint, as positions in its LINK_FIELDS
LINK_UNIQUE: dict[Any, tuple[int, ...]] = {
    Affiliation: (0, 1, 2),
    Enrolment: (0, 1),
    GroupMembership: (0, 1),
    HeadTeacher: (0, 1),
    StaffFunction: (0, 1, 2, 4),
    TeachingAssignment: (0, 2, 3, 1),
}
ALL_FACETS = {"affiliations", "classes", "groups", "functions", "assignments", "head_of"}


class RelationWriter:
    def __init__(self, *, source: Source, year: int, report: ImportReport) -> None:
        self.source = source
        self.year = year
        self.report = report
        self.schools: dict[str, tuple[int, str]] = {}
        self.subjects: dict[str, int] | None = None
        self._classes: dict[tuple[int, str], int] | None = None
        self._groups: dict[tuple[int, str], int] | None = None

    # --- schools --------------------------------------------------------------------------
    def load_schools(self) -> None:
        self.schools = {
            j: (pk, uai)
            for j, pk, uai in SchoolKey.objects.filter(source=self.source).values_list(
                "jointure", "school_id", "school__uai"
            )
        }

    def uai_of(self, structure: str | None) -> str | None:
        found = self.schools.get(structure or "")
        return found[1] if found else None

    def school_upsert(
        self, data: StructureData, departments: dict[str, Authority]
    ) -> tuple[School, str]:
        department = department_of_uai(data.uai, departments)
        values = {
            "name": data.name,
            "kind": data.kind,
            "sector": data.sector,
            "commune": data.commune,
            "postal_code": data.postal_code,
        }
        school = School.objects.filter(uai=data.uai).first()
        if school is None:
            responsible = None
            if department is not None:
                responsible = responsible_authority_for(kind=data.kind, department=department)
            school = School.objects.create(
                uai=data.uai,
                department=department,
                academy=department.academy if department else None,
                responsible_authority=responsible,
                **values,
            )
            action = "created"
        elif any(getattr(school, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(school, k, v)
            school.save(update_fields=[*values, "updated_at"])
            action = "updated"
        else:
            action = "unchanged"
        if school.department_id is None and department is not None and department.academy_id:
            # created while its département was outside the territory: attach it now
            school_attach(school=school, department=department)
            action = "updated" if action == "unchanged" else action
        SchoolKey.objects.update_or_create(
            source=self.source, jointure=data.jointure, defaults={"school": school}
        )
        self.schools[data.jointure] = (school.pk, school.uai)
        return school, action

    def _school(self, structure: str, pk: int, data: PersonData) -> int | None:
        found = self.schools.get(structure)
        if found is None:
            self.report.warn(
                "unknown_structure",
                f"structure {structure} absente de la livraison : lien ignoré",
                record=data.external_id,
            )
            return None
        return found[0]

    # --- classes, groups, subjects ----------------------------------------------------------
    def _load_units(self, model: Any) -> dict[tuple[int, str], int]:
        school_ids = [pk for pk, _ in self.schools.values()]
        return {
            (s, c): pk
            for pk, s, c in model.objects.filter(
                school_id__in=school_ids, school_year=self.year
            ).values_list("pk", "school_id", "code")
        }

    def _unit_ids(
        self, model: Any, cache: dict[tuple[int, str], int], wanted: set[tuple[int, str]]
    ) -> dict[tuple[int, str], int]:
        missing = wanted - cache.keys()
        if missing:
            model.objects.bulk_create(
                [
                    model(school_id=s, school_year=self.year, code=c[:64], label=c[:120])
                    for s, c in sorted(missing)
                ],
                ignore_conflicts=True,
            )
            cache.update(
                {
                    (s, c): pk
                    for pk, s, c in model.objects.filter(
                        school_id__in={s for s, _ in missing},
                        school_year=self.year,
                        code__in={c[:64] for _, c in missing},
                    ).values_list("pk", "school_id", "code")
                }
            )
        return cache

    def _subject_id(self, code: str, data: PersonData) -> int | None:
        if not code:
            return None
        if self.subjects is None:
            self.subjects = dict(Subject.objects.values_list("code", "pk"))
        if code not in self.subjects:
            self.report.warn(
                "unknown_subject",
                f"matière {code} inconnue : service sans matière",
                record=data.external_id,
            )
            return None
        return self.subjects[code]

    # --- writing ----------------------------------------------------------------------------
    def clear(self, items: list[Item], touched: list[set[str] | None]) -> None:
        """Remove the links that ``write`` is about to write again (current year only)."""
        by_facet: dict[str, list[int]] = {f: [] for f in ALL_FACETS}
        for (pk, _data, partial), facets in zip(items, touched, strict=True):
            for facet in ALL_FACETS if facets is None else facets:
                # A delta adds schools; only a complete record says where a person no
                # longer is.
                if facet == "affiliations" and partial:
                    continue
                if facet in by_facet:
                    by_facet[facet].append(pk)
        if by_facet["affiliations"]:
            Affiliation.objects.filter(person_id__in=by_facet["affiliations"]).delete()
        if by_facet["classes"]:
            Enrolment.objects.filter(
                pupil_id__in=by_facet["classes"], school_class__archived=False
            ).delete()
        if by_facet["groups"]:
            GroupMembership.objects.filter(
                person_id__in=by_facet["groups"], group__archived=False
            ).delete()
        if by_facet["functions"]:
            StaffFunction.objects.filter(person_id__in=by_facet["functions"]).delete()
        if by_facet["assignments"]:
            TeachingAssignment.objects.filter(teacher_id__in=by_facet["assignments"]).exclude(
                school_class__archived=True
            ).exclude(group__archived=True).delete()
        if by_facet["head_of"]:
            HeadTeacher.objects.filter(
                teacher_id__in=by_facet["head_of"], school_class__archived=False
            ).delete()

    def write(
        self, items: list[Item], touched: list[set[str] | None], *, fresh: bool = False
    ) -> None:
        """Write the links of ``items``; ``fresh`` when they are people created in this
        import, who cannot have any link yet (no conflict to look for in the tables)."""
        if self._classes is None:
            self._classes = self._load_units(SchoolClass)
            self._groups = self._load_units(TeachingGroup)
        assert self._groups is not None
        wanted_classes: set[tuple[int, str]] = set()
        wanted_groups: set[tuple[int, str]] = set()
        plan: list[tuple[int, PersonData, set[str], dict[str, list[tuple[int, Any]]]]] = []
        for (pk, data, _partial), facets in zip(items, touched, strict=True):
            facets = ALL_FACETS if facets is None else facets
            resolved: dict[str, list[tuple[int, Any]]] = {}
            for name, refs in (
                ("classes", data.classes),
                ("groups", data.groups),
                ("head_of", data.head_of),
            ):
                resolved[name] = [
                    (s, code) for st, code in refs if (s := self._school(st, pk, data)) is not None
                ]
            resolved["assignments"] = [
                (s, (kind, code, subj))
                for st, kind, code, subj in data.assignments
                if (s := self._school(st, pk, data)) is not None
            ]
            wanted_classes |= {(s, c) for s, c in resolved["classes"] + resolved["head_of"]}
            wanted_classes |= {(s, c) for s, (k, c, _) in resolved["assignments"] if k == "class"}
            wanted_groups |= set(resolved["groups"])
            wanted_groups |= {(s, c) for s, (k, c, _) in resolved["assignments"] if k == "group"}
            plan.append((pk, data, facets, resolved))
        classes = self._unit_ids(SchoolClass, self._classes, wanted_classes)
        groups = self._unit_ids(TeachingGroup, self._groups, wanted_groups)
        rows: dict[Any, list[Any]] = {
            m: []
            for m in (
                Affiliation,
                Enrolment,
                GroupMembership,
                StaffFunction,
                TeachingAssignment,
                HeadTeacher,
            )
        }
        for pk, data, facets, resolved in plan:
            if "affiliations" in facets:
                seen: set[tuple[int, str]] = set()
                for st, profile in data.affiliations:
                    school = self.schools.get(st)
                    if school and (school[0], profile) not in seen:
                        seen.add((school[0], profile))
                        rows[Affiliation].append(
                            (pk, school[0], profile, st == data.main_structure)
                        )
            if "classes" in facets:
                rows[Enrolment] += [(pk, classes[k]) for k in dict.fromkeys(resolved["classes"])]
            if "groups" in facets:
                rows[GroupMembership] += [
                    (pk, groups[k]) for k in dict.fromkeys(resolved["groups"])
                ]
            if "head_of" in facets:
                rows[HeadTeacher] += [(pk, classes[k]) for k in dict.fromkeys(resolved["head_of"])]
            if "functions" in facets:
                for st, code, label, dcode, dlabel in dict.fromkeys(data.functions):
                    school = self.schools.get(st)
                    if school is None:
                        self.report.warn(
                            "unknown_structure",
                            f"fonction dans la structure {st} absente de la livraison",
                            record=data.external_id,
                        )
                    else:
                        rows[StaffFunction].append((pk, school[0], code, label, dcode, dlabel))
            if "assignments" in facets:
                for s, (kind, code, subj) in dict.fromkeys(resolved["assignments"]):
                    rows[TeachingAssignment].append(
                        (
                            pk,
                            self._subject_id(subj, data),
                            classes[(s, code)] if kind == "class" else None,
                            groups[(s, code)] if kind == "group" else None,
                        )
                    )
        for model, objs in rows.items():
            if fresh:
                insert_rows(model, LINK_FIELDS[model], first_of_each(objs, LINK_UNIQUE[model]))
            else:
                insert_rows(model, LINK_FIELDS[model], objs, ignore_conflicts=True)

    @staticmethod
    def remove_all(pks: list[int]) -> None:
        """Detached people leave their schools, current classes, groups and families."""
        Affiliation.objects.filter(person_id__in=pks).delete()
        Enrolment.objects.filter(pupil_id__in=pks, school_class__archived=False).delete()
        GroupMembership.objects.filter(person_id__in=pks, group__archived=False).delete()
        StaffFunction.objects.filter(person_id__in=pks).delete()
        TeachingAssignment.objects.filter(teacher_id__in=pks).exclude(
            school_class__archived=True
        ).exclude(group__archived=True).delete()
        HeadTeacher.objects.filter(teacher_id__in=pks, school_class__archived=False).delete()
        RelativeLink.objects.filter(relative_id__in=pks).delete()
        RelativeLink.objects.filter(pupil_id__in=pks).delete()

    @staticmethod
    def functions_of(pks: list[int]) -> dict[int, set[tuple[str, ...]]]:
        found: dict[int, set[tuple[str, ...]]] = {}
        for pk, uai, code, label, dcode in StaffFunction.objects.filter(
            person_id__in=pks
        ).values_list("person_id", "school__uai", "code", "label", "discipline_code"):
            found.setdefault(pk, set()).add((uai, code, label, dcode))
        return found

    @staticmethod
    def remove_everything(pks: list[int]) -> None:
        """Erased people (RGPD) leave every link, last years' included."""
        for model, field in (
            (Affiliation, "person_id"),
            (Enrolment, "pupil_id"),
            (GroupMembership, "person_id"),
            (StaffFunction, "person_id"),
            (TeachingAssignment, "teacher_id"),
            (HeadTeacher, "teacher_id"),
            (RelativeLink, "relative_id"),
            (RelativeLink, "pupil_id"),
        ):
            model.objects.filter(**{f"{field}__in": pks}).delete()

    def schools_of_people(self, pks: list[int]) -> dict[int, str]:
        """Main school (UAI) of each person, for the report; parents through a child."""
        # Ordered so that the main school comes last and wins in the dict.
        found = dict(
            Affiliation.objects.filter(person_id__in=pks)
            .order_by("is_main")
            .values_list("person_id", "school__uai")
        )
        missing = [pk for pk in pks if pk not in found]
        if missing:
            for relative, uai in Affiliation.objects.filter(
                person__relative_links__relative_id__in=missing
            ).values_list("person__relative_links__relative_id", "school__uai"):
                found.setdefault(relative, uai)
        return found
