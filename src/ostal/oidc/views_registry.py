"""The client registry pages (``/o/applications/``): region admins and the operator list,
register and disable applications and rotate their secrets. A secret is shown once, in
the response to the action that made it, and never stored in clear."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ostal.oidc.abilities import may_manage_clients, may_mark_first_party
from ostal.oidc.forms import ClientForm
from ostal.oidc.models import Client
from ostal.oidc.selectors import client_for_manager, clients_visible_to
from ostal.oidc.services import client_create, client_disable, client_secret_rotate


def _manager_only(request: HttpRequest) -> None:
    if not may_manage_clients(request.user):
        raise Http404


def _client_or_404(request: HttpRequest, pk: int) -> Client:
    client = client_for_manager(user=request.user, client_pk=pk)
    if client is None:
        raise Http404
    return client


def _secret_page(request: HttpRequest, client: Client, secret: str) -> HttpResponse:
    return render(request, "oidc/client_secret.html", {"client": client, "secret": secret})


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    return render(
        request, "oidc/client_list.html", {"clients": clients_visible_to(user=request.user)}
    )


@never_cache
@login_required
def client_new(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    operator = bool(may_mark_first_party(request.user))
    form = ClientForm(request.POST or None, may_mark_first_party=operator)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            client, secret = client_create(
                actor=request.user,  # type: ignore[arg-type]
                name=data["name"],
                kind=data["kind"],
                redirect_uris=data["redirect_uris"],
                scopes=data["scopes"],
                first_party=bool(data.get("first_party")),
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            messages.success(
                request, _("Application « %(name)s » enregistrée.") % {"name": client.name}
            )
            if secret:
                return _secret_page(request, client, secret)
            return redirect("oidc:client_detail", pk=client.pk)
    return render(request, "oidc/client_form.html", {"form": form})


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    client = _client_or_404(request, pk)
    return render(request, "oidc/client_detail.html", {"client": client})


@require_POST
@login_required
def client_disable_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    client = _client_or_404(request, pk)
    if client.is_active:
        client_disable(client=client, actor=request.user, request=request)  # type: ignore[arg-type]
        messages.success(
            request,
            _("Application « %(name)s » désactivée : ses jetons sont révoqués.")
            % {"name": client.name},
        )
    return redirect("oidc:client_detail", pk=client.pk)


@never_cache
@require_POST
@login_required
def client_rotate_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager_only(request)
    client = _client_or_404(request, pk)
    if client.client_type != Client.CLIENT_CONFIDENTIAL or not client.is_active:
        raise Http404
    secret = client_secret_rotate(client=client, actor=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("Nouveau secret généré : l'ancien ne fonctionne plus."))
    return _secret_page(request, client, secret)
