"""Orders pages: the list (own orders; all for the coordinator and its auditors), drafting
a bon de commande, its lifecycle, its history and its PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.pilotage import services
from ostal.pilotage.abilities import is_staff_of_member, roles_of, writable_members
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.forms import OrderForm, TransitionForm
from ostal.pilotage.models import Order
from ostal.pilotage.money import cents
from ostal.pilotage.selectors import (
    current_agreement,
    current_convention,
    deployable_schools,
    order_for,
    orders_visible_to,
)
from ostal.pilotage.services.orders import TRANSITIONS
from ostal.pilotage.views.common import pdf_response, refuse, require_role


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    require_role(request)
    orders = orders_visible_to(request.user).order_by("member__kind", "member__code", "-created_at")
    state = request.GET.get("etat", "")
    if state in Order.State.values:
        orders = orders.filter(state=state)
    rows = list(orders[:500])
    return render(
        request,
        "pilotage/order_list.html",
        {
            "orders": rows,
            "states": Order.State.choices,
            "state": state,
            "may_order": bool(writable_members(request.user)),
            "total": cents(
                sum((o.total_amount for o in rows if o.state in Order.COMMITTED), start=cents(None))
            ),
        },
    )


@login_required
def order_new(request: HttpRequest) -> HttpResponse:
    require_role(request)
    members = writable_members(request.user)
    if not members:
        raise Http404
    member = next((m for m in members if str(m.pk) == request.GET.get("membre")), members[0])
    agreement = current_agreement(current_convention())
    form = OrderForm(request.POST or None, schools=deployable_schools(member))
    if request.method == "POST" and form.is_valid():
        if agreement is None:
            messages.error(request, _("Aucun accord-cadre en cours."))
        else:
            data = form.cleaned_data
            try:
                order = services.order_create(
                    member=member,
                    agreement=agreement,
                    kind=data["kind"],
                    title=data["title"],
                    lump_sum_amount=data["lump_sum_amount"],
                    recurring_amount=cents(data["recurring_amount"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    schools=data["schools"],
                    actor=request.user,
                )
            except ConventionRuleError as error:
                refuse(request, error)
            else:
                messages.success(
                    request, _("Bon %(n)s enregistré en brouillon.") % {"n": order.number}
                )
                return redirect("pilotage:order", order_id=order.pk)
    return render(
        request,
        "pilotage/order_form.html",
        {"form": form, "member": member, "members": members, "agreement": agreement},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    require_role(request)
    order = order_for(request.user, order_id)
    may_manage = is_staff_of_member(request.user, order.member)
    labels = dict(Order.State.choices)
    return render(
        request,
        "pilotage/order_detail.html",
        {
            "order": order,
            "schools": order.schools.select_related("department").order_by("name"),
            "history": services.history_of(order),
            "may_manage": may_manage,
            "next_states": [(s, labels[s]) for s in TRANSITIONS[order.state]] if may_manage else [],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def order_transition(request: HttpRequest, order_id: int) -> HttpResponse:
    require_role(request)
    order = order_for(request.user, order_id)
    if not is_staff_of_member(request.user, order.member):
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Étape ou date invalide."))
        return redirect("pilotage:order", order_id=order.pk)
    try:
        order = services.order_transition(
            order=order,
            to_state=form.cleaned_data["to_state"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ConventionRuleError as error:
        refuse(request, error)
    else:
        messages.success(
            request,
            _("Bon %(n)s : %(state)s.") % {"n": order.number, "state": order.get_state_display()},
        )
    return redirect("pilotage:order", order_id=order.pk)


@login_required
def order_pdf(request: HttpRequest, order_id: int) -> HttpResponse:
    require_role(request)
    order = order_for(request.user, order_id)
    return pdf_response(
        "pilotage/pdf/order.html",
        {"order": order, "schools": order.schools.order_by("name"), "now": timezone.now()},
        f"{order.number}.pdf",
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require_role(request)
    convention = current_convention()
    agreement = current_agreement(convention)
    orders = orders_visible_to(request.user)
    return render(
        request,
        "pilotage/home.html",
        {
            "roles": roles_of(request.user),
            "convention": convention,
            "agreement": agreement,
            "counts": {
                label: orders.filter(state=value).count() for value, label in Order.State.choices
            },
        },
    )
