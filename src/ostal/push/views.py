"""Pages of the installable app and of Web Push.

* ``manifest`` (``/manifest.webmanifest``) and ``service_worker`` (``/sw.js``, served from
  the site root so its scope is the whole site; rendered so it knows the static files'
  and the offline pages' URLs);
* ``offline``: the page the service worker shows for a page it has not kept;
* ``devices`` (``/compte/appareils-push/``): the person's devices that receive push
  notifications: list, remove one, send a test notification. Someone else's device answers
  404 like a missing one.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from ostal.push import selectors, services
from ostal.push.keys import vapid_public_key

# Raised when the service worker's caching changes: old caches are dropped on activation.
CACHE_VERSION = "ostal-pages-v1"
# The pages a family reads offline: each kept on its last network visit (network first).
OFFLINE_PAGES = [
    "timetable:week",
    "timetable:family",
    "homework:index",
    "messaging:inbox",
]


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    name = str(settings.OSTAL_SITE_NAME)
    data = {
        "name": f"{name} – espace numérique de travail",
        "short_name": name,
        "id": "/",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "lang": "fr",
        "dir": "ltr",
        "background_color": "#ffffff",
        "theme_color": "#7a1f1f",
        "description": "Emploi du temps, cahier de textes et messagerie de l'établissement.",
        "icons": [
            {
                "src": static("push/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("push/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": static("push/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": json.dumps(CACHE_VERSION),
        "offline_pages": json.dumps([reverse(n) for n in OFFLINE_PAGES]),
        "precache": json.dumps(
            [
                reverse("push:offline"),
                static("web/ostal.css"),
                static("push/pwa.js"),
                static("push/icon-192.png"),
            ]
        ),
        "offline_url": json.dumps(reverse("push:offline")),
    }
    response = render(
        request, "push/sw.js", context, content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker, offline, for a page it has not kept. Anonymous-safe: it
    names nobody."""
    return render(request, "push/offline.html")


@login_required
@require_GET
def devices(request: HttpRequest) -> HttpResponse:
    person = request.user
    rows = list(selectors.subscriptions_of(person=person))  # type: ignore[arg-type]
    return render(
        request,
        "push/devices.html",
        {
            "devices": rows,
            "vapid_public_key": vapid_public_key(),
            "api_url": reverse("api:push-subscriptions"),
        },
    )


@login_required
@require_POST
def device_remove(request: HttpRequest, pk: int) -> HttpResponse:
    sub = selectors.subscription_of(person=request.user, pk=pk)  # type: ignore[arg-type]
    services.subscription_remove(subscription=sub)
    messages.success(request, _("L'appareil ne recevra plus de notifications."))
    return redirect("push:devices")


@login_required
@require_POST
def device_test(request: HttpRequest, pk: int) -> HttpResponse:
    sub = selectors.subscription_of(person=request.user, pk=pk)  # type: ignore[arg-type]
    if services.push_test(subscription=sub):
        messages.success(request, _("Notification d'essai envoyée."))
    else:
        messages.error(
            request,
            _("Le service push n'a pas accepté la notification ; réessayez plus tard."),
        )
    return redirect("push:devices")
