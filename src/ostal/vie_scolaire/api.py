"""JSON API of vie scolaire for the mobile app (``/api/v1/vie-scolaire/``): a family's
events (each naming the child), one event with the motives a parent may choose, the
parent's justification. Same selectors, services and predicates as the pages: another
family's event answers 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.core.params import parse_id
from ostal.directory.models import Person, school_year_of
from ostal.vie_scolaire import display, selectors, services
from ostal.vie_scolaire.models import Event


def _event_json(e: Event, *, pending: bool = False) -> dict[str, Any]:
    return {
        "id": e.pk,
        "child": {"id": e.pupil_id, "name": e.pupil.display_name},
        "kind": e.kind,
        "label": display.what(e),
        "date": e.date.isoformat(),
        "start": e.start_time.strftime("%H:%M"),
        "end": e.end_time.strftime("%H:%M"),
        "late_minutes": e.late_minutes,
        "course": display.course_label(e),
        "state": display.state_label(e, pending=pending),
        "justified": e.motive_id is not None,
        "regularised": e.regularised,
        "pending_justification": pending,
        "motive": display.motive_label(e, family=True),
    }


class EventsView(APIView):
    """The events of the person's family since the start of the school year (a pupil: their
    own; a parent: each child's, ``?eleve=<id>`` for one)."""

    @extend_schema(operation_id="vie_scolaire_events", responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        ids = selectors.family_ids(user=user)
        wanted = request.query_params.get("eleve")
        if wanted is not None:
            pk = parse_id(wanted)
            if pk is None or pk not in ids:
                raise Http404
            ids = [pk]
        today = timezone.localdate()
        recs = selectors.records(pupil_ids=ids, since=date(school_year_of(today), 8, 1))
        return Response(
            {
                "results": [
                    _event_json(e, pending=e.pk in rec.pending) for rec in recs for e in rec.events
                ]
            }
        )


class EventView(APIView):
    """One event of the family, with the motives a parent may give it."""

    @extend_schema(operation_id="vie_scolaire_event", responses={200: dict})
    def get(self, request: Request, pk: int) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        event = selectors.event_for_family(user=user, pk=pk)
        if event is None:
            raise Http404
        pending = event.justifications.filter(state="pending").exists()
        data = _event_json(event, pending=pending)
        data["motives"] = (
            [{"id": m.pk, "label": m.label} for m in selectors.parent_motives(event=event)]
            if user.is_relative
            else []
        )
        return Response(data)


class JustifyIn(serializers.Serializer[Any]):
    motive = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class JustifyView(APIView):
    """A parent justifies an event of their child (``{"motive": id, "comment": "…"}``)."""

    @extend_schema(operation_id="vie_scolaire_justify", request=JustifyIn, responses={201: dict})
    def post(self, request: Request, pk: int) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        event = selectors.event_for_family(user=user, pk=pk) if user.is_relative else None
        if event is None:
            raise Http404
        data = JustifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            found = services.justification_submit(
                parent=user,
                event=event,
                motive_id=data.validated_data["motive"],
                comment=data.validated_data.get("comment", ""),
            )
        except DjangoValidationError as exc:
            raise ValidationError({"non_field": exc.messages}) from None
        except DjangoPermissionDenied:
            raise Http404 from None
        return Response(
            {"id": found.pk, "event": event.pk, "state": found.state, "motive": found.motive.label},
            status=201,
        )


class MotivesView(APIView):
    """The motives of a school the person runs the vie scolaire of (``?etablissement=<id>``,
    else their first school), inactive ones included; anyone else: 404."""

    @extend_schema(operation_id="vie_scolaire_motives", responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        wanted = request.query_params.get("etablissement")
        pk = parse_id(wanted) if wanted is not None else None
        if wanted is not None and pk is None:
            raise Http404
        school = selectors.managed_school(user=user, wanted=pk)
        if school is None:
            raise Http404
        services.ensure_motives(school)
        return Response(
            {
                "school": {"id": school.pk, "name": school.display_name},
                "results": [
                    {
                        "id": m.pk,
                        "label": m.label,
                        "kind": m.kind,
                        "proving": m.proving,
                        "parents_may_choose": m.parents_may_choose,
                        "shown_to_parents": m.shown_to_parents,
                        "active": m.active,
                        "uses": n,
                    }
                    for m, n in selectors.motives_of_school(school=school)
                ],
            }
        )
