"""JSON API of marks for the mobile app: a pupil's published marks and averages of a
period. Same selector and rule as the pages: published evaluations only; a pupil their own
marks, a parent a child of theirs (``?eleve=<id>``); anything else is a 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.core.params import parse_id
from ostal.directory.models import Person
from ostal.directory.selectors import child_of
from ostal.evaluation.marks import Stats, rounded
from ostal.evaluation.selectors import Report, pupil_report


def _number(value: Decimal | None) -> str | None:
    """Decimals as strings with two decimals (« 13.67 »): exact, no float rounding."""
    r = rounded(value)
    return None if r is None else f"{r:f}"


def _stats(s: Stats) -> dict[str, Any]:
    return {
        "average": _number(s.average),
        "min": _number(s.lowest),
        "max": _number(s.highest),
        "count": s.count,
    }


def report_json(report: Report) -> dict[str, Any]:
    period = report.period
    return {
        "pupil": {"id": report.pupil.pk, "name": report.pupil.display_name},
        "class": str(report.school_class) if report.school_class else None,
        "period": (
            {
                "index": period.index,
                "label": period.label,
                "start": report.start.isoformat() if report.start else None,
                "end": report.end.isoformat() if report.end else None,
            }
            if period
            else None
        ),
        "periods": [
            {
                "index": p.index,
                "label": p.label,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
            }
            for p in report.periods
        ],
        "marks": [
            {
                "evaluation": line.evaluation.pk,
                "date": line.evaluation.date.isoformat(),
                "subject": line.evaluation.subject.display_label,
                "title": line.evaluation.title,
                "scale": line.evaluation.scale,
                "coefficient": _number(line.evaluation.coefficient),
                "value": _number(line.mark.value),
                "special": line.mark.special or None,
                "class": _stats(line.class_stats),
            }
            for line in report.marks
        ],
        "averages": [
            {
                "subject": s.subject_label,
                "average": _number(s.average),
                "marks": s.marks,
                "class": _stats(s.class_stats),
            }
            for s in report.subjects
        ],
    }


class PupilMarksView(APIView):
    """A pupil's published marks and averages of a period (``?periode=<n>``, default the
    current one); a parent names the child with ``?eleve=<id>``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("eleve", int, required=False),
            OpenApiParameter("periode", int, required=False),
        ],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        period_index = parse_id(request.query_params.get("periode"))
        if user.is_relative:
            child = child_of(relative=user, pupil_id=parse_id(request.query_params.get("eleve")))
            if child is None:
                raise Http404
            report = pupil_report(
                pupil=child.pupil, school_class=child.school_class, period_index=period_index
            )
        elif user.is_pupil:
            report = pupil_report(pupil=user, period_index=period_index)
        else:
            raise Http404
        return Response(report_json(report))


urlpatterns = [path("", PupilMarksView.as_view(), name="evaluation-marks")]
