"""JSON API of account life for the mobile app: change my password, read and change my
e-mail. Same forms, services and French messages as the pages; errors in the common
shape of ``ostal.api.errors`` (``fields`` for what to fix, 429 when rate limited).

A password change revokes every token of the account, the one used for the call
included: the app must sign in again (rule: a new password closes every other door).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.accounts import forms_life
from ostal.accounts.services import life
from ostal.api.serializers import ErrorSerializer
from ostal.directory.models import Person

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 429: ErrorSerializer}

EmailSerializer = inline_serializer(
    "MyEmail",
    {"email": serializers.EmailField(allow_blank=True), "confirmed": serializers.BooleanField()},
)


def _limited(request: Request, person: Person) -> None:
    if life.rate_limited(
        request._request,
        group="password-check",
        key=str(person.pk),
        rate=settings.OSTAL_PASSWORD_CHECK_RATE,
    ):
        raise exceptions.Throttled(detail=str(forms_life.RATE_LIMITED_ERROR))


def _invalid(errors: dict[str, Any], renames: dict[str, str]) -> exceptions.ValidationError:
    fields = {
        renames.get(name, "non_field" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in errors.items()
    }
    return exceptions.ValidationError(fields)


def _email_state(person: Person) -> dict[str, Any]:
    return {"email": person.email, "confirmed": person.email_confirmed_at is not None}


class MyPasswordView(APIView):
    """Change my password (current password required); every token is then revoked."""

    @extend_schema(
        request=inline_serializer(
            "PasswordChange",
            {"old_password": serializers.CharField(), "new_password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer(
                "PasswordChanged",
                {"detail": serializers.CharField(), "tokens_revoked": serializers.BooleanField()},
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        person: Person = request.user  # type: ignore[assignment]
        _limited(request, person)
        data = request.data if hasattr(request.data, "get") else {}
        new = str(data.get("new_password", ""))
        form = forms_life.PasswordChangeForm(
            {
                "old_password": str(data.get("old_password", "")),
                "new_password1": new,
                "new_password2": new,
            },
            person=person,
        )
        if not form.is_valid():
            raise _invalid(
                form.errors, {"new_password1": "new_password", "new_password2": "new_password"}
            )
        life.password_change(
            person=person, password=form.cleaned_data["new_password1"], request=request._request
        )
        if request.auth is None:  # a browser session: keep it, like the page does
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request._request, person)
        return Response(
            {
                "detail": _("Mot de passe changé. Reconnectez l'application."),
                "tokens_revoked": True,
            }
        )


class MyEmailView(APIView):
    """My e-mail and whether it is confirmed; changing it mails a confirmation link."""

    @extend_schema(responses={200: EmailSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        return Response(_email_state(request.user))  # type: ignore[arg-type]

    @extend_schema(
        request=inline_serializer(
            "EmailChange",
            {
                "email": serializers.EmailField(allow_blank=True),
                "password": serializers.CharField(),
            },
        ),
        responses={202: EmailSerializer, **ERRORS},
    )
    def put(self, request: Request) -> Response:
        person: Person = request.user  # type: ignore[assignment]
        _limited(request, person)
        data = request.data if hasattr(request.data, "get") else {}
        form = forms_life.EmailChangeForm(
            {"email": str(data.get("email", "")), "old_password": str(data.get("password", ""))},
            person=person,
        )
        if not form.is_valid():
            raise _invalid(form.errors, {"old_password": "password"})
        person = life.email_change(
            person=person, email=form.cleaned_data.get("email") or "", request=request._request
        )
        return Response(_email_state(person), status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("v1/me/password", MyPasswordView.as_view(), name="me_password"),
    path("v1/me/email", MyEmailView.as_view(), name="me_email"),
]
