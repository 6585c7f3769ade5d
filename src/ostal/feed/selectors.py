"""Who may read which import reports: the operator and region admins all of them; school
admins and collectivité admins only the sections of their own schools."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ostal.directory.abilities import is_operator, is_region_admin
from ostal.directory.models import AuthorityRole, Person, SchoolAdmin
from ostal.feed.models import ImportRun
from ostal.feed.report import report_for_schools
from ostal.territory.selectors import schools_of_authority

ALL = None


def import_scope_of(user: Any) -> set[str] | None:
    """UAIs whose import sections ``user`` may read; ``None`` means every school."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_operator(user) or is_region_admin(user):
        return ALL
    uais = set(SchoolAdmin.objects.filter(person_id=user.pk).values_list("school__uai", flat=True))
    for role in AuthorityRole.objects.filter(person_id=user.pk, is_admin=True).select_related(
        "authority"
    ):
        uais |= set(schools_of_authority(authority=role.authority).values_list("uai", flat=True))
    return uais


def may_read_imports(user: Any) -> bool:
    return import_scope_of(user) != set()


def runs_visible_to(user: Person) -> QuerySet[ImportRun]:
    if not may_read_imports(user):
        return ImportRun.objects.none()
    return ImportRun.objects.select_related("source", "actor").order_by("-started_at", "-pk")


def run_for_viewer(*, viewer: Person, run_id: int) -> tuple[ImportRun, dict[str, Any]] | None:
    """A run and the part of its report the viewer may read, or ``None`` (404)."""
    scope = import_scope_of(viewer)
    if scope == set():
        return None
    run = ImportRun.objects.select_related("source", "actor").filter(pk=run_id).first()
    if run is None:
        return None
    return run, report_for_schools(run.report or {}, scope)
