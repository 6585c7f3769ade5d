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

_OUT_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
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
        data: dict[str, Any] = request.data if isinstance(request.data, dict) else {}
        raw_keys = data.get("keys")
        keys: dict[str, Any] = raw_keys if isinstance(raw_keys, dict) else {}
        endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
        label = data.get("label") or ""
        errors = {
            name: ["Ce champ est obligatoire."]
            for name, value in (("endpoint", endpoint), ("p256dh", p256dh), ("auth", auth))
            if not isinstance(value, str) or not value
        }
        if not isinstance(label, str):
            errors["label"] = ["Texte attendu."]
        if errors:
            raise exceptions.ValidationError(errors)
        assert isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)
        try:
            row = services.subscription_save(
                person=request.user,  # type: ignore[arg-type]
                endpoint=endpoint,
                p256dh=p256dh,
                auth=auth,
                label=label or request.headers.get("User-Agent", "")[:120],
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
