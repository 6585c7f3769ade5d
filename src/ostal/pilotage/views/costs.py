"""Costs: each member's weight in the agreement, allocations (damages by weight, termination
costs equally), and their CSV and PDF exports."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.pilotage import services
from ostal.pilotage.abilities import is_coordinator_staff
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.forms import AllocationForm
from ostal.pilotage.models import CostAllocation
from ostal.pilotage.money import cents
from ostal.pilotage.selectors import current_agreement, current_convention
from ostal.pilotage.views.common import pdf_response, refuse, require_role


def _context(request: HttpRequest) -> dict[str, object]:
    agreement = current_agreement(current_convention())
    weights = services.member_weights(agreement=agreement) if agreement else []
    allocations = (
        CostAllocation.objects.filter(agreement=agreement).prefetch_related("shares__member")
        if agreement
        else CostAllocation.objects.none()
    )
    return {
        "agreement": agreement,
        "weights": weights,
        "total": sum((w.amount for w in weights), start=cents(None)),
        "allocations": allocations,
        "is_coordinator": is_coordinator_staff(request.user),
        "form": AllocationForm(initial={"decided_on": timezone.localdate()}),
        "now": timezone.now(),
    }


@login_required
def costs_page(request: HttpRequest) -> HttpResponse:
    require_role(request)
    return render(request, "pilotage/costs.html", _context(request))


@login_required
@require_POST
def allocation_new(request: HttpRequest) -> HttpResponse:
    if not is_coordinator_staff(request.user):
        raise Http404
    agreement = current_agreement(current_convention())
    form = AllocationForm(request.POST)
    if agreement is None or not form.is_valid():
        messages.error(request, _("Montant ou date invalide."))
        return redirect("pilotage:costs")
    try:
        services.cost_allocation_record(
            agreement=agreement, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Répartition enregistrée : appel de fonds prêt."))
    except ConventionRuleError as error:
        refuse(request, error)
    return redirect("pilotage:costs")


@login_required
def costs_csv(request: HttpRequest) -> HttpResponse:
    require_role(request)
    context = _context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="poids-des-membres.csv"'
    response.write("\ufeff")
    out = csv.writer(response, delimiter=";")
    out.writerow(["membre", "montant_engage_ht", "poids_pourcent"])
    for w in context["weights"]:  # type: ignore[attr-defined]
        out.writerow(
            [w.member.name, str(w.amount).replace(".", ","), str(w.percent).replace(".", ",")]
        )
    for allocation in context["allocations"]:  # type: ignore[attr-defined]
        out.writerow([])
        out.writerow(
            [
                allocation.label,
                str(allocation.total).replace(".", ","),
                allocation.get_kind_display(),
            ]
        )
        for share in allocation.shares.all():
            out.writerow([share.member.name, str(share.amount).replace(".", ","), ""])
    return response


@login_required
def costs_pdf(request: HttpRequest) -> HttpResponse:
    require_role(request)
    return pdf_response("pilotage/pdf/costs.html", _context(request), "couts-groupement.pdf")
