"""JSON API of the shell: who am I, my schools, my children."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.api.serializers import ErrorSerializer, MeSerializer
from ostal.directory.selectors import children_of, schools_of

ERRORS = {401: ErrorSerializer, 403: ErrorSerializer}


class MeView(APIView):
    """The authenticated person, their schools and (for parents) their children."""

    @extend_schema(responses={200: MeSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        context = request._request.ostal  # type: ignore[attr-defined]
        user = request.user
        child = context.child
        data = {
            "pk": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "profile": user.profile,
            "national_profile": user.national_profile,
            "schools": schools_of(person=user),
            "children": children_of(relative=user) if user.is_relative else [],
            "active_school": context.school,
            "active_child": child.pupil.pk if child else None,
        }
        return Response(MeSerializer(data).data)
