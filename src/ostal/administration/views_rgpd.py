"""The RGPD pages, public like the accessibility statement and linked from every footer:
the processing register generated from the apps' declarations (``<app>/rgpd.py``), a
page per processing with its retention jobs' last runs, the DPO contact, the legal
notices and the list of cookies (only strictly necessary ones)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ostal.administration.retention import jobs_status
from ostal.core.rgpd import declarations


def _dpo() -> dict[str, str]:
    return {"name": settings.OSTAL_DPO_NAME, "contact": settings.OSTAL_DPO_CONTACT}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    found = declarations()
    return render(
        request,
        "administration/rgpd/index.html",
        {"processings": found.processings, "dpo": _dpo(), "jobs": jobs_status()},
    )


@require_GET
def processing(request: HttpRequest, key: str) -> HttpResponse:
    found = declarations().by_key(key)
    if found is None:
        raise Http404
    context = {
        "processing": found,
        "dpo": _dpo(),
        "jobs": jobs_status(found.retention_jobs) if found.retention_jobs else [],
    }
    return render(request, "administration/rgpd/processing.html", context)


@require_GET
def legal(request: HttpRequest) -> HttpResponse:
    context = {
        "publisher": settings.OSTAL_LEGAL_PUBLISHER or settings.OSTAL_SITE_NAME,
        "director": settings.OSTAL_LEGAL_PUBLICATION_DIRECTOR,
        "host_name": settings.OSTAL_LEGAL_HOST,
        "host": request.get_host(),
        "dpo": _dpo(),
        "register": reverse("rgpd:index"),
    }
    return render(request, "administration/rgpd/legal.html", context)


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def cookies_in_use() -> list[Cookie]:
    """The cookies Ostal sets, named from the settings (all strictly necessary)."""
    hours = settings.SESSION_COOKIE_AGE // 3600
    return [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            _("Garde la session ouverte après la connexion."),
            _("%(n)d heures au plus, ou jusqu'à la déconnexion") % {"n": hours},
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            _("Protège les formulaires contre les requêtes forgées (sécurité)."),
            _("1 an"),
        ),
        Cookie(
            settings.OSTAL_DEVICE_COOKIE_NAME,
            _(
                "Reconnaît votre navigateur pour vous prévenir d'une connexion depuis un "
                "appareil inconnu (sécurité du compte)."
            ),
            _("%(n)d jours") % {"n": settings.OSTAL_DEVICE_COOKIE_DAYS},
        ),
        Cookie(
            settings.SAML_SESSION_COOKIE_NAME,
            _("Suit une connexion par fédération d'identité (ÉduConnect, guichet agents)."),
            _("Le temps de la connexion"),
        ),
        Cookie(
            "messages",
            _("Affiche une seule fois un message de confirmation après une action."),
            _("Jusqu'à l'affichage du message"),
        ),
    ]


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/rgpd/cookies.html", {"cookies": cookies_in_use()})
