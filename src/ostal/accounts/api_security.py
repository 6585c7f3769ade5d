"""JSON API of one's own sessions (mobile app): list them, close one.

``GET /api/v1/me/sessions`` and ``DELETE /api/v1/me/sessions/<id>``; a session of someone
else is the same 404 as a missing one.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.accounts.selectors import sessions_of
from ostal.accounts.services.security import session_revoke
from ostal.api.serializers import ErrorSerializer

ERRORS = {401: ErrorSerializer, 403: ErrorSerializer}


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    device = serializers.CharField(source="label")
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    ip_address = serializers.IPAddressField(allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, obj: Any) -> bool:
        return bool(obj.session_key == self.context.get("current_key"))


class MySessionsView(APIView):
    """The sessions open on my account; ``current`` marks the one making the call."""

    @extend_schema(responses={200: SessionSerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        session = getattr(request._request, "session", None)
        current = session.session_key if session is not None else None
        rows = sessions_of(person=request.user)  # type: ignore[arg-type]
        return Response(SessionSerializer(rows, many=True, context={"current_key": current}).data)


class MySessionView(APIView):
    """Close one of my sessions (it is logged out at once)."""

    @extend_schema(responses={204: None, 404: ErrorSerializer, **ERRORS})
    def delete(self, request: Request, session_id: int) -> Response:
        if not session_revoke(
            person=request.user,  # type: ignore[arg-type]
            session_id=session_id,
            request=request._request,
        ):
            raise Http404
        return Response(status=204)


urlpatterns = [
    path("v1/me/sessions", MySessionsView.as_view(), name="me_sessions"),
    path("v1/me/sessions/<id:session_id>", MySessionView.as_view(), name="me_session"),
]
