"""Writes on the territory: loading a region's structure from data, creating schools.

Rule: which body is responsible for a school follows from its kind (Région for lycées and
EREA, département for collèges, DRAAF for agricultural lycées); it can be overridden
only explicitly. A school delivered by the directory feed before the territory knew its
département (no département, académie or responsible body: not deployable) is attached
as soon as the territory data places it (its entry in the file, or its UAI's département
added to the file), so that it becomes deployable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ostal.territory.models import Authority, School


class TerritoryDataError(ValueError):
    """The territory file is not usable; the message says which entry and why."""


def responsible_authority_for(*, kind: str, department: Authority) -> Authority:
    """The body responsible for a school of ``kind`` located in ``department``."""
    if kind == School.Kind.COLLEGE:
        return department
    region = department.region
    if region is None:
        raise TerritoryDataError(f"Le département {department.name} n'a pas de région.")
    if kind == School.Kind.LYCEE_AGRICOLE:
        draaf = Authority.objects.filter(kind=Authority.Kind.DRAAF, region=region).first()
        if draaf is None:
            raise TerritoryDataError(f"Aucune DRAAF n'est définie pour {region.name}.")
        return draaf
    return region


@transaction.atomic
def school_create(
    *,
    uai: str,
    name: str,
    kind: str,
    department: Authority,
    sector: str = School.Sector.PUBLIC,
    commune: str = "",
    postal_code: str = "",
    responsible_authority: Authority | None = None,
    cite_scolaire_head: School | None = None,
) -> School:
    if department.academy is None:
        raise TerritoryDataError(f"Le département {department.name} n'a pas d'académie.")
    school = School(
        uai=uai,
        name=name,
        kind=kind,
        sector=sector,
        commune=commune,
        postal_code=postal_code,
        department=department,
        academy=department.academy,
        responsible_authority=responsible_authority
        or responsible_authority_for(kind=kind, department=department),
        cite_scolaire_head=cite_scolaire_head,
    )
    school.full_clean(validate_unique=True)
    school.save()
    return school


@transaction.atomic
def school_attach(
    *, school: School, department: Authority, responsible_authority: Authority | None = None
) -> School:
    """Place a school outside the territory in ``department``: its académie and responsible
    body follow (the body from its kind, unless given)."""
    if department.kind != Authority.Kind.DEPARTMENT:
        raise TerritoryDataError(f"{department.name} n'est pas un département.")
    if department.academy is None:
        raise TerritoryDataError(f"Le département {department.name} n'a pas d'académie.")
    school.department = department
    school.academy = department.academy
    school.responsible_authority = responsible_authority or responsible_authority_for(
        kind=school.kind, department=department
    )
    school.save(update_fields=["department", "academy", "responsible_authority", "updated_at"])
    return school


def department_of_uai(uai: str, departments: dict[str, Authority]) -> Authority | None:
    """The département a UAI's digits name (``0``, then the INSEE code), when it is known."""
    return departments.get(uai[1:3]) if uai[:1] == "0" else None


def _authority_fields(entry: dict[str, Any], by_key: dict[str, Authority]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": entry["kind"],
        "code": entry["code"],
        "name": entry["name"],
        "is_groupement_member": bool(entry.get("is_groupement_member", False)),
        "is_coordinator": bool(entry.get("is_coordinator", False)),
    }
    for ref in ("region", "academy", "deployment_ordered_by"):
        if ref == "deployment_ordered_by" and entry.get(ref) == entry.get("key"):
            fields[ref] = None  # itself: set once the authority exists (territory_load)
        elif entry.get(ref):
            if entry[ref] not in by_key:
                raise TerritoryDataError(
                    f"Autorité « {entry['key']} » : {ref} « {entry[ref]} » inconnue "
                    "(elle doit être définie plus haut dans le fichier)."
                )
            fields[ref] = by_key[entry[ref]]
        else:
            fields[ref] = None
    if fields["kind"] not in Authority.Kind.values:
        raise TerritoryDataError(
            f"Autorité « {entry['key']} » : type « {fields['kind']} » inconnu."
        )
    return fields


@transaction.atomic
def territory_load(*, data: dict[str, Any]) -> dict[str, int]:
    """Create or update the authorities, and create the missing schools, of ``data``.

    Idempotent. Schools already present are left as they are (once created, a school is
    kept up to date by the directory feed, not by this file), except those outside the
    territory (no département): they are attached to the département of their entry, or
    to the one their UAI names once the file defines it. The whole file applies or nothing
    does.
    """
    by_key: dict[str, Authority] = {a.key: a for a in Authority.objects.all()}
    counts = {"authorities": 0, "schools": 0, "sources": 0, "attached": 0}
    for entry in data.get("authorities", []):
        try:
            fields = _authority_fields(entry, by_key)
        except KeyError as exc:
            raise TerritoryDataError(f"Autorité {entry!r} : champ {exc} manquant.") from exc
        authority, _ = Authority.objects.update_or_create(key=entry["key"], defaults=fields)
        if entry.get("deployment_ordered_by") == authority.key:
            authority.deployment_ordered_by = authority
            authority.save(update_fields=["deployment_ordered_by"])
        by_key[authority.key] = authority
        counts["authorities"] += 1
    for entry in data.get("schools", []):
        department = by_key.get(entry.get("department", ""))
        if department is None or department.kind != Authority.Kind.DEPARTMENT:
            raise TerritoryDataError(
                f"Établissement {entry.get('uai')} : département « {entry.get('department')} » inconnu."
            )
        existing = School.objects.filter(uai=entry["uai"]).first()
        if existing is None:
            try:
                school_create(
                    uai=entry["uai"],
                    name=entry["name"],
                    kind=entry["kind"],
                    department=department,
                    sector=entry.get("sector", School.Sector.PUBLIC),
                    commune=entry.get("commune", ""),
                    postal_code=entry.get("postal_code", ""),
                )
            except ValidationError as exc:
                raise TerritoryDataError(f"Établissement {entry['uai']} : {exc.messages}") from exc
        elif existing.department_id is None:
            school_attach(school=existing, department=department)
            counts["attached"] += 1
        counts["schools"] += 1
    departments = {
        a.code: a
        for a in by_key.values()
        if a.kind == Authority.Kind.DEPARTMENT and a.academy_id is not None
    }
    for orphan in School.objects.filter(department__isnull=True):
        found = department_of_uai(orphan.uai, departments)
        if found is not None:
            school_attach(school=orphan, department=found)
            counts["attached"] += 1
    for entry in data.get("directory_sources", []):
        _source_upsert(entry, by_key)
        counts["sources"] += 1
    return counts


def _source_upsert(entry: dict[str, Any], by_key: dict[str, Authority]) -> None:
    """Directory sources (académies' AAF, agricultural directory, local) are data too."""
    from django.apps import apps  # the directory app builds on the territory, not the reverse

    source_model = apps.get_model("directory", "Source")
    academy = by_key.get(entry["academy"]) if entry.get("academy") else None
    if entry.get("academy") and academy is None:
        raise TerritoryDataError(
            f"Source « {entry['code']} » : académie « {entry['academy']} » inconnue."
        )
    source_model.objects.update_or_create(
        code=entry["code"],
        defaults={"label": entry["label"], "kind": entry["kind"], "academy": academy},
    )


def territory_load_file(*, path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise TerritoryDataError(f"Fichier de territoire {path} illisible : {exc}") from exc
    return territory_load(data=data)
