"""JSON API of the GAR roles (and the export runs, for the Région's tools).

Same selectors, services and predicates as the pages; missing and forbidden both 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.gar.abilities import may_appoint_gar_roles, may_read_gar_exports
from ostal.gar.models import GarAppointment, GarExportRun, GarRole
from ostal.gar.selectors import (
    gar_appointment_for_manager,
    gar_appointments_of,
    gar_candidates,
    gar_runs_visible_to,
    school_for_gar_reader,
)
from ostal.gar.services import gar_role_appoint, gar_role_end


def _person(p: Any) -> dict[str, Any] | None:
    return None if p is None else {"id": p.pk, "name": p.display_name}


def appointment_json(a: GarAppointment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "school": a.school_id,
        "person": _person(a.person),
        "role": a.role,
        "role_label": a.get_role_display(),
        "appointed_at": a.appointed_at.isoformat(),
        "appointed_by": _person(a.appointed_by),
        "ended_at": a.ended_at.isoformat() if a.ended_at else None,
        "ended_by": _person(a.ended_by),
    }


class AppointSerializer(serializers.Serializer[Any]):
    person = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(choices=GarRole.choices)


class SchoolRolesView(APIView):
    """GET: the school's GAR roles (active first) and their history; POST: appoint."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request, school_id: int) -> Response:
        school = school_for_gar_reader(viewer=request.user, school_id=school_id)
        if school is None:
            raise Http404
        rows = [appointment_json(a) for a in gar_appointments_of(school=school)]
        return Response(
            {
                "school": {"id": school.pk, "uai": school.uai, "name": school.display_name},
                "active": [r for r in rows if r["ended_at"] is None],
                "history": rows,
                "can_appoint": may_appoint_gar_roles(request.user, school),
            }
        )

    @extend_schema(request=AppointSerializer, responses={201: dict})
    def post(self, request: Request, school_id: int) -> Response:
        school = school_for_gar_reader(viewer=request.user, school_id=school_id)
        if school is None or not may_appoint_gar_roles(request.user, school):
            raise Http404
        data = AppointSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = gar_candidates(school=school).filter(pk=data.validated_data["person"]).first()
        if person is None:
            raise ValidationError(
                {
                    "person": [
                        "Seul un membre du personnel de l'établissement peut recevoir un rôle GAR."
                    ]
                }
            )
        try:
            appointment = gar_role_appoint(
                actor=request.user,  # type: ignore[arg-type]
                school=school,
                person=person,
                role=data.validated_data["role"],
            )
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(appointment_json(appointment), status=status.HTTP_201_CREATED)


class RoleEndView(APIView):
    """POST: end an active appointment (kept in the history)."""

    @extend_schema(request=None, responses={200: dict})
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = gar_appointment_for_manager(
            viewer=request.user, appointment_id=appointment_id
        )
        if appointment is None or not may_appoint_gar_roles(request.user, appointment.school):
            raise Http404
        try:
            ended = gar_role_end(actor=request.user, appointment=appointment)  # type: ignore[arg-type]
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(appointment_json(ended))


def run_json(run: GarExportRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "trigger": run.trigger,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "files": run.files,
        "counts": run.counts,
        "errors": run.errors,
        "warnings": run.warnings,
        "archive": run.archive_name,
        "archive_md5": run.archive_md5,
        "delivered_to": run.delivered_to,
        "files_purged_at": run.files_purged_at.isoformat() if run.files_purged_at else None,
    }


class ExportRunsView(APIView):
    """GET: the last export runs (operator and Région admins)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        if not may_read_gar_exports(request.user):
            raise Http404
        return Response({"runs": [run_json(r) for r in gar_runs_visible_to(request.user)[:50]]})
