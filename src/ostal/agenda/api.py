"""JSON API of the agenda (mobile app): the occurrences of a range, the calendars, adding
an event, answering an invitation. Same selectors, services and predicates as the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.agenda import services
from ostal.agenda.models import Calendar, Invitation
from ostal.agenda.recurrence import Occurrence
from ostal.agenda.selectors import (
    event_for_reader,
    occurrences_for,
    readable_calendars,
    writable_targets,
)
from ostal.core.params import BadParameter, date_param, validate_date_bounds
from ostal.directory.models import Person

MAX_RANGE_DAYS = 62


def _calendar_json(calendar: Calendar, managed: bool) -> dict[str, Any]:
    return {"id": calendar.pk, "kind": calendar.kind, "label": calendar.label, "managed": managed}


def _occurrence_json(occ: Occurrence, managed: set[int]) -> dict[str, Any]:
    event = occ.event
    return {
        "event": event.pk,
        "uid": event.uid,
        "calendar": event.calendar_id,
        "title": event.title,
        "place": event.place,
        "description": event.description,
        "start": occ.start.isoformat(),
        "end": occ.end.isoformat(),
        "all_day": event.all_day,
        "recurring": bool(event.rrule),
        "recurrence_id": occ.recurrence_id if event.rrule else None,
        "invitation": occ.invitation.answer if occ.invitation is not None else None,
        "managed": occ.invitation is None and event.calendar_id in managed,
    }


class AgendaRangeView(APIView):
    """The person's occurrences from ``?start=`` to ``?end=`` (local days, both included;
    default: the coming seven days; at most 62 days)."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        start = date_param(
            request.query_params.get("start"), default=timezone.localdate(), name="start"
        )
        end = date_param(
            request.query_params.get("end"), default=start + timedelta(days=6), name="end"
        )
        if end < start or (end - start).days >= MAX_RANGE_DAYS:
            raise BadParameter(
                "end", f"Période invalide : la fin suit le début, {MAX_RANGE_DAYS} jours au plus."
            )
        readable = readable_calendars(user=user)
        occurrences = occurrences_for(user=user, start=start, end=end)
        return Response(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "calendars": [
                    _calendar_json(c, c.pk in readable.managed) for c in readable.calendars
                ],
                "occurrences": [_occurrence_json(o, readable.managed) for o in occurrences],
            }
        )


class EventIn(serializers.Serializer[Any]):
    calendar = serializers.CharField(
        help_text="personnel, classe-<id>, groupe-<id> ou etablissement-<id>", default="personnel"
    )
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    start = serializers.DateTimeField(validators=[validate_date_bounds])
    end = serializers.DateTimeField(validators=[validate_date_bounds])
    all_day = serializers.BooleanField(default=False)
    rrule = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    exdates = serializers.ListField(
        child=serializers.DateField(validators=[validate_date_bounds]), required=False, default=list
    )
    skip_holidays = serializers.BooleanField(default=False)
    audiences = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, default=list
    )


class EventCreateView(APIView):
    """Add an event to a calendar the person writes in (404 for any other)."""

    @extend_schema(request=EventIn, responses={201: dict})
    def post(self, request: Request) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        data_in = EventIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = dict(data_in.validated_data)
        target = next(
            (t for t in writable_targets(user=user) if t.key == data.pop("calendar")), None
        )
        if target is None:
            raise Http404
        calendar = services.calendar_ensure(kind=target.kind, target=target.obj)
        try:
            event = services.event_save(
                actor=user, calendar=calendar, data=services.EventInput(**data)
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        except PermissionDenied:
            raise Http404 from None
        return Response({"id": event.pk, "uid": event.uid, "calendar": calendar.pk}, status=201)


class AnswerIn(serializers.Serializer[Any]):
    answer = serializers.ChoiceField(
        choices=[
            Invitation.Answer.ACCEPTED,
            Invitation.Answer.DECLINED,
            Invitation.Answer.MAYBE,
        ]
    )


class AnswerView(APIView):
    """Answer an invitation: ``accepted``, ``declined`` or ``maybe``."""

    @extend_schema(request=AnswerIn, responses={200: dict})
    def post(self, request: Request, pk: int) -> Response:
        user: Person = request.user  # type: ignore[assignment]
        found = event_for_reader(user=user, pk=pk)
        if found is None or found[1] is None:
            raise Http404
        data_in = AnswerIn(data=request.data)
        data_in.is_valid(raise_exception=True)
        invitation = services.invitation_answer(
            invitation=found[1], person=user, answer=data_in.validated_data["answer"]
        )
        return Response({"event": pk, "answer": invitation.answer})
