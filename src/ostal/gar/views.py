"""Pages of the GAR: a school's GAR roles (management) and the export runs (Région)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ostal.core.params import parse_id
from ostal.gar.abilities import may_appoint_gar_roles, may_read_gar_exports
from ostal.gar.models import GarExportRun, GarRole
from ostal.gar.selectors import (
    gar_appointment_for_manager,
    gar_appointments_of,
    gar_candidates,
    gar_mail_of,
    gar_runs_visible_to,
    school_for_gar_reader,
)
from ostal.gar.services import gar_role_appoint, gar_role_end
from ostal.territory.models import School


def _roles_page(
    request: HttpRequest, school: School, *, error: str = "", status: int = 200
) -> HttpResponse:
    appointments = list(gar_appointments_of(school=school))
    can_appoint = may_appoint_gar_roles(request.user, school)
    return render(
        request,
        "gar/roles.html",
        {
            "school": school,
            "active": [a for a in appointments if a.is_active],
            "history": appointments,
            "can_appoint": can_appoint,
            "candidates": [(p, bool(gar_mail_of(p))) for p in gar_candidates(school=school)]
            if can_appoint
            else [],
            "roles": GarRole.choices,
            "error": error,
            "posted": request.POST if error else {},
        },
        status=status,
    )


@login_required
def roles(request: HttpRequest, school_id: int) -> HttpResponse:
    school = school_for_gar_reader(viewer=request.user, school_id=school_id)
    if school is None:
        raise Http404
    if request.method != "POST":
        return _roles_page(request, school)
    if not may_appoint_gar_roles(request.user, school):
        raise Http404
    person_id = parse_id(request.POST.get("person"))
    person = gar_candidates(school=school).filter(pk=person_id).first() if person_id else None
    if person is None:
        return _roles_page(
            request, school, error=_("Choisissez une personne de l'établissement."), status=400
        )
    try:
        appointment = gar_role_appoint(
            actor=request.user,  # type: ignore[arg-type]
            school=school,
            person=person,
            role=request.POST.get("role", ""),
        )
    except ValidationError as exc:
        return _roles_page(request, school, error=" ".join(exc.messages), status=400)
    messages.success(
        request,
        _("%(name)s est désigné(e) %(role)s.")
        % {"name": person.display_name, "role": appointment.get_role_display().lower()},
    )
    return redirect("gar:roles", school_id=school.pk)


@login_required
def role_end(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = gar_appointment_for_manager(viewer=request.user, appointment_id=appointment_id)
    if (
        appointment is None
        or not appointment.is_active
        or not may_appoint_gar_roles(request.user, appointment.school)
    ):
        raise Http404
    if request.method == "POST":
        try:
            gar_role_end(actor=request.user, appointment=appointment)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("La désignation de %(name)s a pris fin.")
                % {"name": appointment.person.display_name},
            )
        return redirect("gar:roles", school_id=appointment.school_id)
    return render(request, "gar/role_end_confirm.html", {"appointment": appointment})


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    if not may_read_gar_exports(request.user):
        raise Http404
    return render(request, "gar/runs.html", {"runs": gar_runs_visible_to(request.user)[:100]})


def _kind_rows(run: GarExportRun) -> list[dict[str, Any]]:
    rows = []
    for kind, counts in run.counts.items():
        files = [f for f in run.files if f["kind"] == kind]
        rows.append(
            {
                "kind": kind,
                "counts": sorted(counts.items()),
                "files": files,
            }
        )
    return rows


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = gar_runs_visible_to(request.user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return render(request, "gar/run.html", {"run": run, "kinds": _kind_rows(run)})
