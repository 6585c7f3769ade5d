"""The convention page: members (adhesion, withdrawal, exclusion), amendments, agreements.

Coordinator staff run it; a member's staff record their own body's decisions (withdrawal,
approval of an amendment, decision on an exclusion or a termination). Auditors read.
Each member has an account page (situation, sums still owed to the contractor).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.pilotage import services
from ostal.pilotage.abilities import (
    is_coordinator_staff,
    is_staff_of_member,
    may_read_member,
    writable_members,
)
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.forms import (
    AdhesionForm,
    AgreementForm,
    AmendmentForm,
    DeliberationForm,
    RenewalForm,
)
from ostal.pilotage.models import (
    Amendment,
    Convention,
    HistoryEntry,
    MemberDecision,
    Membership,
)
from ostal.pilotage.money import cents, euros
from ostal.pilotage.selectors import (
    current_agreement,
    current_convention,
    membership_for,
    owed_orders,
)
from ostal.pilotage.views.common import refuse, require_role
from ostal.territory.models import Authority


@login_required
def convention_page(request: HttpRequest) -> HttpResponse:
    require_role(request)
    convention = current_convention()
    if convention is None:
        return render(request, "pilotage/convention.html", {"convention": None})
    memberships = list(convention.memberships.select_related("authority"))
    own = {m.pk for m in memberships if is_staff_of_member(request.user, m.authority)}
    decisions = MemberDecision.objects.filter(decided_by__convention=convention).select_related(
        "decided_by__authority", "target__authority"
    )
    exclusion_votes: dict[int, list[str]] = {}
    for d in decisions:
        if d.kind == MemberDecision.Kind.EXCLUSION and d.target_id:
            exclusion_votes.setdefault(d.target_id, []).append(d.decided_by.authority.name)
    for m in memberships:
        m.exclusion_votes = exclusion_votes.get(m.pk, [])  # type: ignore[attr-defined]
        m.readable = may_read_member(request.user, m.authority)  # type: ignore[attr-defined]
    amendments = list(convention.amendments.prefetch_related("approvals__membership__authority"))
    return render(
        request,
        "pilotage/convention.html",
        {
            "convention": convention,
            "memberships": memberships,
            "own": own,
            "is_coordinator": is_coordinator_staff(request.user),
            "amendments": amendments,
            "agreements": convention.agreements.all(),
            "deliberation_form": DeliberationForm(),
            "amendment_form": AmendmentForm(auto_id="amendment-%s"),
            "adhesion_form": AdhesionForm(
                authorities=_adhesion_candidates(convention), auto_id="adhesion-%s"
            ),
            "agreement_form": AgreementForm(auto_id="agreement-%s"),
            "renewal_form": RenewalForm(auto_id="renewal-%s"),
            "termination_votes": MemberDecision.objects.filter(
                kind=MemberDecision.Kind.TERMINATION, decided_by__convention=convention
            ).count(),
            "history": HistoryEntry.objects.filter(
                subject_type__in=["convention", "membership", "amendment", "frameworkagreement"]
            ).select_related("actor")[:20],
        },
    )


def _membership(request: HttpRequest, membership_id: int) -> Membership:
    convention = current_convention()
    membership = (
        convention.memberships.filter(pk=membership_id).select_related("authority").first()
        if convention
        else None
    )
    if membership is None:
        raise Http404
    return membership


def _acting_membership(request: HttpRequest, membership: Membership) -> Membership:
    """The membership of the body the person acts for (their first writable one)."""
    for authority in writable_members(request.user):
        acting = membership.convention.memberships.filter(authority=authority).first()
        if acting is not None:
            return acting
    raise Http404


@login_required
@require_POST
def membership_action(request: HttpRequest, membership_id: int, action: str) -> HttpResponse:
    require_role(request)
    membership = _membership(request, membership_id)
    form = DeliberationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la délibération et sa date."))
        return redirect("pilotage:convention")
    deliberation, on = form.cleaned_data["deliberation"], form.cleaned_data["on"]
    try:
        if action == "retrait":
            if not (
                is_staff_of_member(request.user, membership.authority)
                or is_coordinator_staff(request.user)
            ):
                raise Http404
            services.membership_withdraw(
                membership=membership, deliberation=deliberation, left_on=on, actor=request.user
            )
            messages.success(
                request, _("Retrait de %(n)s enregistré.") % {"n": membership.authority.name}
            )
        elif action == "vote-exclusion":
            services.member_decision_record(
                kind=MemberDecision.Kind.EXCLUSION,
                decided_by=_acting_membership(request, membership),
                target=membership,
                deliberation=deliberation,
                decided_on=on,
                actor=request.user,
            )
            messages.success(request, _("Décision enregistrée."))
        elif action == "exclusion":
            if not is_coordinator_staff(request.user):
                raise Http404
            services.membership_exclude(
                membership=membership, deliberation=deliberation, left_on=on, actor=request.user
            )
            dues = services.member_dues(
                authority=membership.authority, convention=membership.convention
            )
            text = _("Exclusion constatée : %(n)s.") % {"n": membership.authority.name}
            if dues > 0:
                text += " " + _(
                    "Les sommes dues au titulaire restent à régler : %(amount)s HT (art. 5)."
                ) % {"amount": euros(dues)}
            messages.success(request, text)
        else:
            raise Http404
    except ConventionRuleError as error:
        refuse(request, error)
    return redirect("pilotage:convention")


@login_required
def membership_account(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A member's account: its situation in the groupement and what it still owes the
    contractor (art. 5: sums owed stay owed after a withdrawal or an exclusion)."""
    require_role(request)
    membership = membership_for(request.user, membership_id)
    owed = list(owed_orders(membership.authority, membership.convention))
    return render(
        request,
        "pilotage/member_account.html",
        {
            "membership": membership,
            "owed": owed,
            "dues": cents(sum((o.total_amount for o in owed), cents(None))),
        },
    )


@login_required
@require_POST
def amendment_new(request: HttpRequest) -> HttpResponse:
    if not is_coordinator_staff(request.user):
        raise Http404
    convention = current_convention()
    form = AmendmentForm(request.POST)
    if convention is None or not form.is_valid():
        messages.error(request, _("Indiquez l'objet et la date de prise d'effet."))
        return redirect("pilotage:convention")
    try:
        services.amendment_propose(
            convention=convention,
            title=form.cleaned_data["title"],
            effective_on=form.cleaned_data["effective_on"],
            actor=request.user,
        )
        messages.success(request, _("Avenant soumis à l'approbation des membres."))
    except ConventionRuleError as error:
        refuse(request, error)
    return redirect("pilotage:convention")


@login_required
@require_POST
def amendment_action(request: HttpRequest, amendment_id: int, action: str) -> HttpResponse:
    require_role(request)
    convention = current_convention()
    amendment = Amendment.objects.filter(pk=amendment_id, convention=convention).first()
    if amendment is None:
        raise Http404
    try:
        if action == "approbation":
            form = DeliberationForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Indiquez la délibération et sa date."))
                return redirect("pilotage:convention")
            acting = next(
                (
                    m
                    for m in amendment.convention.memberships.all()
                    if is_staff_of_member(request.user, m.authority)
                ),
                None,
            )
            if acting is None:
                raise Http404
            services.amendment_approve(
                amendment=amendment,
                membership=acting,
                deliberation=form.cleaned_data["deliberation"],
                approved_on=form.cleaned_data["on"],
                actor=request.user,
            )
            messages.success(request, _("Approbation enregistrée."))
        elif action == "adoption" and is_coordinator_staff(request.user):
            services.amendment_adopt(amendment=amendment, actor=request.user)
            messages.success(request, _("Avenant adopté."))
        else:
            raise Http404
    except ConventionRuleError as error:
        refuse(request, error)
    return redirect("pilotage:convention")


def _adhesion_candidates(convention: Convention) -> QuerySet[Authority]:
    taken = convention.memberships.values("authority_id")
    return (
        Authority.objects.filter(Q(region=convention.coordinator) | Q(pk=convention.coordinator_id))
        .exclude(pk__in=taken)
        .order_by("kind", "code")
    )


@login_required
@require_POST
def convention_action(request: HttpRequest, action: str) -> HttpResponse:
    """Coordinator acts (adhesion, agreement, renewal, termination) and each member's own
    decision on the termination."""
    require_role(request)
    convention = current_convention()
    if convention is None:
        raise Http404
    coordinator = is_coordinator_staff(request.user)
    try:
        if action == "adhesion" and coordinator:
            form: forms.Form = AdhesionForm(
                request.POST, authorities=_adhesion_candidates(convention)
            )
            if form.is_valid():
                services.membership_adhere(
                    convention=convention,
                    authority=form.cleaned_data["authority"],
                    signed_on=form.cleaned_data["signed_on"],
                    actor=request.user,
                )
                messages.success(request, _("Adhésion enregistrée."))
        elif action == "accord-cadre" and coordinator:
            form = AgreementForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                with transaction.atomic():
                    created = services.agreement_create(
                        convention=convention,
                        reference=data["reference"],
                        title=data["title"],
                        contractor=data["contractor"],
                        actor=request.user,
                    )
                    services.agreement_notify(
                        agreement=created, notified_on=data["notified_on"], actor=request.user
                    )
                messages.success(request, _("Accord-cadre notifié."))
        elif action == "renouvellement" and coordinator:
            form = RenewalForm(request.POST)
            if form.is_valid():
                services.convention_renew(
                    convention=convention, actor=request.user, **form.cleaned_data
                )
                messages.success(request, _("Convention renouvelée."))
        elif action == "accord-resiliation":
            form = DeliberationForm(request.POST)
            agreement = current_agreement(convention)
            acting = next(
                (
                    m
                    for m in convention.memberships.select_related("authority")
                    if is_staff_of_member(request.user, m.authority)
                ),
                None,
            )
            if agreement is None or acting is None:
                raise Http404
            if form.is_valid():
                services.member_decision_record(
                    kind=MemberDecision.Kind.TERMINATION,
                    decided_by=acting,
                    agreement=agreement,
                    deliberation=form.cleaned_data["deliberation"],
                    decided_on=form.cleaned_data["on"],
                    actor=request.user,
                )
                messages.success(request, _("Accord exprès enregistré."))
        elif action == "resiliation" and coordinator:
            form = DeliberationForm(request.POST)
            agreement = current_agreement(convention)
            if agreement is None:
                raise Http404
            if form.is_valid():
                services.agreement_terminate(
                    agreement=agreement, terminated_on=form.cleaned_data["on"], actor=request.user
                )
                messages.success(request, _("Accord-cadre résilié."))
        else:
            raise Http404
        if not form.is_valid():
            messages.error(request, _("Formulaire incomplet : vérifiez les champs et les dates."))
    except ConventionRuleError as error:
        refuse(request, error)
    return redirect("pilotage:convention")
