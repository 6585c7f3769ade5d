"""Attach the active context (school, child) to each request, computed lazily."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from ostal.web.context import ActiveContext


class ActiveContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = ActiveContext(request)
        request.ostal = context  # type: ignore[attr-defined]
        request.active_school = SimpleLazyObject(lambda: context.school)  # type: ignore[attr-defined]
        return self.get_response(request)
