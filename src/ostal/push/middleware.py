"""After a logout (any: Ostal's, CAS's, SAML's), the answer tells the browser to empty its
caches (``Clear-Site-Data: "cache"``): no page of the person who left is read again on the
device. The service worker's own caches are also emptied by the first page shown to
nobody (``static/push/pwa.js``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"cache"'


@receiver(user_logged_out)
def _mark_logout(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None:
        request._ostal_logged_out = True  # type: ignore[attr-defined]


class ClearSiteDataMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_ostal_logged_out", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
