"""JSON API of the notification preferences for the mobile app: ``GET/PUT
/api/v1/me/notifications``. Same form and French messages as the page; errors in the
common shape of ``ostal.api.errors`` (``fields`` names what to fix).

PUT replaces the preferences: ``email_digest`` (``off``, ``daily``, ``hourly``) is
required; ``daily_hour`` (0–23) and the quiet hours (``"HH:MM"`` or ``null``, both or
neither) keep their current value when left out."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.api.serializers import ErrorSerializer
from ostal.directory.models import Person
from ostal.notifications import selectors, services
from ostal.notifications.forms import PreferencesForm
from ostal.notifications.models import Frequency

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer}

PreferencesOut = inline_serializer(
    "NotificationPreferences",
    {
        "email_digest": serializers.ChoiceField(choices=Frequency.choices),
        "daily_hour": serializers.IntegerField(min_value=0, max_value=23),
        "quiet_start": serializers.CharField(allow_null=True),
        "quiet_end": serializers.CharField(allow_null=True),
        "is_default": serializers.BooleanField(),
        "email": serializers.CharField(allow_blank=True),
        "email_confirmed": serializers.BooleanField(),
        "email_deliverable": serializers.BooleanField(),
    },
)
PreferencesIn = inline_serializer(
    "NotificationPreferencesUpdate",
    {
        "email_digest": serializers.ChoiceField(choices=Frequency.choices),
        "daily_hour": serializers.IntegerField(required=False, min_value=0, max_value=23),
        "quiet_start": serializers.CharField(required=False, allow_null=True),
        "quiet_end": serializers.CharField(required=False, allow_null=True),
    },
)


def _hhmm(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _state(person: Person) -> dict[str, Any]:
    prefs = selectors.preferences_for(person=person)
    return {
        "email_digest": prefs.email_digest,
        "daily_hour": prefs.daily_hour,
        "quiet_start": _hhmm(prefs.quiet_start),
        "quiet_end": _hhmm(prefs.quiet_end),
        "is_default": prefs.is_default,
        "email": person.email,
        "email_confirmed": person.email_confirmed_at is not None,
        "email_deliverable": selectors.email_deliverable(person),
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


class MyNotificationsView(APIView):
    """My notification preferences: e-mail digest frequency, daily hour, quiet hours."""

    @extend_schema(operation_id="me_notifications_read", responses={200: PreferencesOut, **ERRORS})
    def get(self, request: Request) -> Response:
        return Response(_state(request.user))  # type: ignore[arg-type]

    @extend_schema(
        operation_id="me_notifications_update",
        request=PreferencesIn,
        responses={200: PreferencesOut, **ERRORS},
    )
    def put(self, request: Request) -> Response:
        person: Person = request.user  # type: ignore[assignment]
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError(
                {"non_field": ["Envoyez un objet JSON avec au moins « email_digest »."]}
            )
        data = request.data
        current = selectors.preferences_for(person=person)
        daily_hour = data.get("daily_hour", current.daily_hour)
        if isinstance(daily_hour, bool) or not isinstance(daily_hour, int | str):
            daily_hour = "x"  # refused by the form with its message
        form = PreferencesForm(
            {
                "email_digest": _text(data.get("email_digest")),
                "daily_hour": _text(daily_hour),
                "quiet_start": _text(data.get("quiet_start", _hhmm(current.quiet_start))),
                "quiet_end": _text(data.get("quiet_end", _hhmm(current.quiet_end))),
            }
        )
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    ("non_field" if name == "__all__" else name): [str(m) for m in errors]
                    for name, errors in form.errors.items()
                }
            )
        services.preferences_update(person=person, **form.cleaned_data)
        return Response(_state(person))


urlpatterns = [
    path("v1/me/notifications", MyNotificationsView.as_view(), name="me_notifications"),
]
