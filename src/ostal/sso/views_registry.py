"""Registry pages (``/cas/services/``): list, create, edit, disable connected services.

Managers only (``abilities.py``); anyone else gets 404, as for a missing service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.sso import services
from ostal.sso.abilities import registry_scope_of
from ostal.sso.forms import DEFAULT_ATTRIBUTES, ConnectedServiceForm
from ostal.sso.models import ConnectedService
from ostal.sso.selectors import service_for_manager, services_managed_by


def _initial(service: ConnectedService) -> dict[str, Any]:
    return {name: getattr(service, name) for name in services.FIELDS}


def _save(form: ConnectedServiceForm, save: Any) -> bool:
    """Call a service with the form's data; put its validation errors back on the form."""
    try:
        save(**form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    scope = registry_scope_of(request.user)
    if scope.empty:
        raise Http404
    return render(
        request,
        "sso/service_list.html",
        {"services": services_managed_by(request.user), "everything": scope.everything},
    )


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    scope = registry_scope_of(request.user)
    if scope.empty:
        raise Http404
    form = ConnectedServiceForm(
        request.POST or None,
        scope=scope,
        initial={"released_attributes": list(DEFAULT_ATTRIBUTES), "enabled": True},
    )
    if request.method == "POST" and form.is_valid():

        def create(**data: Any) -> None:
            services.connected_service_create(actor=request.user, request=request, **data)  # type: ignore[arg-type]

        if _save(form, create):
            messages.success(request, _("Service « %(name)s » enregistré.") % form.cleaned_data)
            return redirect("sso:services")
    return render(request, "sso/service_form.html", {"form": form, "service": None})


@login_required
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_for_manager(user=request.user, service_id=service_id)
    if service is None:
        raise Http404
    scope = registry_scope_of(request.user)
    form = ConnectedServiceForm(request.POST or None, scope=scope, initial=_initial(service))
    if request.method == "POST" and form.is_valid():

        def update(**data: Any) -> None:
            services.connected_service_update(
                service=service,
                actor=request.user,  # type: ignore[arg-type]
                request=request,
                **data,
            )

        if _save(form, update):
            messages.success(request, _("Service « %(name)s » modifié.") % form.cleaned_data)
            return redirect("sso:services")
        service.refresh_from_db()
    return render(request, "sso/service_form.html", {"form": form, "service": service})


@login_required
@require_POST
def service_disable(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_for_manager(user=request.user, service_id=service_id)
    if service is None:
        raise Http404
    services.connected_service_disable(service=service, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("Service « %(name)s » désactivé.") % {"name": service.name})
    return redirect("sso:services")
