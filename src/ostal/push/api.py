"""JSON API of the person's push devices: ``GET/POST /api/v1/push/subscriptions/``,
``DELETE /api/v1/push/subscriptions/<id>/`` and ``GET /api/v1/push/key/`` (the VAPID public
key a browser needs to subscribe). A person sees and removes only their own devices;
someone else's answers 404 like a missing one. Errors in the common shape of
``ostal.api.errors``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.api.serializers import ErrorSerializer
from ostal.push import selectors, services
from ostal.push.keys import vapid_public_key
from ostal.push.models import PushSubscription

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer}

_OUT_FIELDS = {
        "id": serializers.IntegerField(),
        "label": serializers.CharField(allow_blank=True),
        "created_at": serializers.DateTimeField(),
        "last_success_at": serializers.DateTimeField(allow_null=True),
}
SubscriptionOut = inline_serializer("PushSubscription", _OUT_FIELDS)
SubscriptionList = inline_serializer("PushSubscriptionList", _OUT_FIELDS, many=True)
SubscriptionIn = inline_serializer(
    "PushSubscriptionCreate",
    {
        "endpoint": serializers.CharField(),
        "keys": inline_serializer(
            "PushSubscriptionKeys",
            {"p256dh": serializers.CharField(), "auth": serializers.CharField()},
        ),
        "label": serializers.CharField(required=False, allow_blank=True),
    },
)


def _out(row: PushSubscription) -> dict[str, Any]:
    return {
        "id": row.pk,
        "label": row.label,
        "created_at": row.created_at,
        "last_success_at": row.last_success_at,
    }


class SubscriptionsView(APIView):
    @extend_schema(responses={200: SubscriptionList, **ERRORS})
    def get(self, request: Request) -> Response:
        rows = selectors.subscriptions_of(person=request.user)  # type: ignore[arg-type]
        return Response([_out(r) for r in rows])

    @extend_schema(request=SubscriptionIn, responses={201: SubscriptionOut, **ERRORS})
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
        values = {
            "endpoint": data.get("endpoint"),
            "p256dh": keys.get("p256dh"),
            "auth": keys.get("auth"),
            "label": data.get("label") or "",
        }
        missing = {k: ["Ce champ est obligatoire."] for k in ("endpoint", "p256dh", "auth") if not isinstance(values[k], str) or not values[k]}
        if missing or not isinstance(values["label"], str):
            raise exceptions.ValidationError(missing or {"label": ["Texte attendu."]})
        try:
            row = services.subscription_save(
                person=request.user,  # type: ignore[arg-type]
                endpoint=values["endpoint"],
                p256dh=values["p256dh"],
                auth=values["auth"],
                label=values["label"] or request.headers.get("User-Agent", "")[:120],
            )
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        return Response(_out(row), status=status.HTTP_201_CREATED)


class SubscriptionView(APIView):
    @extend_schema(responses={204: None, **ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        row = selectors.subscription_of(person=request.user, pk=pk)  # type: ignore[arg-type]
        services.subscription_remove(subscription=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


class KeyView(APIView):
    @extend_schema(
        responses={200: inline_serializer("PushKey", {"public_key": serializers.CharField()})}
    )
    def get(self, request: Request) -> Response:
        return Response({"public_key": vapid_public_key()})
