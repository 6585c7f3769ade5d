"""JSON API of the school admin console, for an admin's scripts:

* ``GET /api/v1/administration/schools/<id>/accounts?q=&state=`` — the school's accounts
  (``state``: an account state, or ``locked``), 50 a page (``page``);
* ``POST /api/v1/administration/schools/<id>/accounts/<person_id>/unlock`` — lift the
  login lockout (a security event, like the page's button).

Same scope as the pages: a school the caller does not administer, or a person who is not
of that school, answers 404. Errors in the common shape of ``ostal.api.errors``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ostal.administration import selectors, services
from ostal.administration.forms import AccountSearchForm
from ostal.api.serializers import ErrorSerializer
from ostal.directory.models import Person
from ostal.territory.models import School

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 404: ErrorSerializer}
PAGE_SIZE = 50

ACCOUNT_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "id": serializers.IntegerField(),
    "username": serializers.CharField(),
    "last_name": serializers.CharField(),
    "first_name": serializers.CharField(),
    "profile": serializers.CharField(),
    "state": serializers.CharField(),
    "locked": serializers.BooleanField(),
    "activation_code_pending": serializers.BooleanField(),
}
AccountOut = inline_serializer("AdminAccount", ACCOUNT_FIELDS)
AccountsOut = inline_serializer(
    "AdminAccounts",
    {
        "count": serializers.IntegerField(),
        "page": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "results": inline_serializer("AdminAccountRow", ACCOUNT_FIELDS, many=True),
    },
)
UnlockOut = inline_serializer(
    "AdminUnlock",
    {"account": AccountOut, "failures_cleared": serializers.IntegerField()},
)


def _account(person: Person, locked: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "username": person.username,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "profile": person.profile,
        "state": person.state,
        "locked": locked,
        "activation_code_pending": bool(person.activation_code),
    }


def _school(request: Request, school_id: int) -> School:
    school = selectors.school_for_admin(viewer=request.user, school_id=school_id)
    if school is None:
        raise Http404
    return school


class SchoolAccountsView(APIView):
    @extend_schema(
        operation_id="administration_accounts_list",
        parameters=[
            OpenApiParameter("q", str, description="Nom, prénom ou identifiant"),
            OpenApiParameter("state", str, description="État du compte, ou « locked »"),
            OpenApiParameter("page", int),
        ],
        responses={200: AccountsOut, **ERRORS},
    )
    def get(self, request: Request, school_id: int) -> Response:
        school = _school(request, school_id)
        form = AccountSearchForm(
            {"q": request.query_params.get("q", ""), "etat": request.query_params.get("state", "")}
        )
        if not form.is_valid():
            raise exceptions.ValidationError(
                {
                    ("state" if name == "etat" else name): [str(m) for m in errors]
                    for name, errors in form.errors.items()
                }
            )
        people = selectors.accounts_of_school(
            school=school, query=form.cleaned_data["q"].strip(), state=form.cleaned_data["etat"]
        )
        page = Paginator(people, PAGE_SIZE).get_page(request.query_params.get("page"))
        rows = selectors.account_rows(list(page))
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": [_account(r.person, r.locked) for r in rows],
            }
        )


class AccountUnlockView(APIView):
    @extend_schema(
        operation_id="administration_account_unlock",
        request=None,
        responses={200: UnlockOut, **ERRORS},
    )
    def post(self, request: Request, school_id: int, person_id: int) -> Response:
        school = _school(request, school_id)
        person = selectors.account_of_school(school=school, person_id=person_id)
        if person is None:
            raise Http404
        cleared = services.account_unlock(
            actor=request.user,  # type: ignore[arg-type]
            school=school,
            person=person,
            request=request._request,
        )
        return Response({"account": _account(person, False), "failures_cleared": cleared})
