"""Offer-analysis rounds: deadlines per member, observations (late ones flagged), and the
coordinator's validation within its own 15 days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.pilotage import services
from ostal.pilotage.abilities import is_coordinator_staff, is_staff_of_member
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.forms import ConsultationForm, ObservationForm
from ostal.pilotage.models import Consultation
from ostal.pilotage.selectors import consultation_for, current_convention
from ostal.pilotage.views.common import refuse, require_role


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    require_role(request)
    consultations = list(Consultation.objects.prefetch_related("receipts")[:100])
    rows = [(c, services.validation_deadline(c)) for c in consultations]
    return render(
        request,
        "pilotage/consultation_list.html",
        {
            "rows": rows,
            "form": ConsultationForm(),
            "is_coordinator": is_coordinator_staff(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def consultation_new(request: HttpRequest) -> HttpResponse:
    if not is_coordinator_staff(request.user):
        raise Http404
    convention = current_convention()
    form = ConsultationForm(request.POST)
    if convention is None or not form.is_valid():
        messages.error(request, _("Indiquez l'objet de l'analyse."))
        return redirect("pilotage:consultations")
    try:
        consultation = services.consultation_open(
            convention=convention,
            title=form.cleaned_data["title"],
            sent_at=timezone.now(),
            actor=request.user,
        )
    except ConventionRuleError as error:
        refuse(request, error)
        return redirect("pilotage:consultations")
    messages.success(request, _("Éléments d'analyse envoyés aux membres."))
    return redirect("pilotage:consultation", consultation_id=consultation.pk)


@login_required
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    require_role(request)
    consultation = consultation_for(request.user, consultation_id)
    receipts = list(
        consultation.receipts.select_related("membership__authority").prefetch_related(
            "observations"
        )
    )
    own = [r for r in receipts if is_staff_of_member(request.user, r.membership.authority)]
    if request.method == "POST":
        form = ObservationForm(request.POST)
        receipt = next((r for r in own if str(r.pk) == request.POST.get("receipt")), None)
        if receipt is None:
            raise Http404
        if form.is_valid():
            try:
                observation = services.observation_submit(
                    receipt=receipt, text=form.cleaned_data["text"], actor=request.user
                )
            except ConventionRuleError as error:
                refuse(request, error)
            else:
                if observation.is_late:
                    messages.warning(request, _("Observations enregistrées hors délai."))
                else:
                    messages.success(request, _("Observations envoyées au coordonnateur."))
                return redirect("pilotage:consultation", consultation_id=consultation.pk)
    else:
        form = ObservationForm()
    return render(
        request,
        "pilotage/consultation_detail.html",
        {
            "consultation": consultation,
            "receipts": receipts,
            "own": own,
            "form": form,
            "is_coordinator": is_coordinator_staff(request.user),
            "validation_deadline": services.validation_deadline(consultation),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def consultation_validate(request: HttpRequest, consultation_id: int) -> HttpResponse:
    if not is_coordinator_staff(request.user):
        raise Http404
    consultation = consultation_for(request.user, consultation_id)
    try:
        services.consultation_validate(consultation=consultation, actor=request.user)
        messages.success(request, _("Analyse finalisée validée."))
    except ConventionRuleError as error:
        refuse(request, error)
    return redirect("pilotage:consultation", consultation_id=consultation.pk)
