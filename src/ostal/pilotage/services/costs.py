"""Costs (art. 6 and 8): each member's weight in the framework agreement is its share of
the committed orders (notified, verified or paid; drafts and cancelled orders weigh
nothing), each order counting its lump sum plus its annual recurring amount once per year
of the order (``Order.total_amount``). Damages awarded against the coordinator are shared by weight; termination costs
are shared equally among the members. Shares are allocated to the cent and always add up
to the total (``ostal.pilotage.money``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ostal.pilotage.abilities import is_coordinator_staff
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import CostAllocation, CostShare, FrameworkAgreement, Order
from ostal.pilotage.money import allocate, allocate_equally, cents, euros, percent
from ostal.pilotage.services.convention import current_memberships
from ostal.pilotage.services.history import history_record
from ostal.territory.models import Authority


@dataclass(frozen=True)
class Weight:
    member: Authority
    amount: Decimal
    weight: Decimal  # fraction of 1, 6 places

    @property
    def percent(self) -> Decimal:
        return (self.weight * 100).quantize(Decimal("0.01"))


def member_weights(*, agreement: FrameworkAgreement) -> list[Weight]:
    """Every current member with its committed orders and its relative weight."""
    members = [m.authority for m in current_memberships(agreement.convention)]
    orders = Order.objects.filter(agreement=agreement, state__in=Order.COMMITTED).only(
        "member_id", "lump_sum_amount", "recurring_amount", "starts_on", "ends_on"
    )
    amounts: dict[int, Decimal] = {}
    for order in orders:  # the recurring amount counts per year of the order
        amounts[order.member_id] = amounts.get(order.member_id, Decimal(0)) + order.total_amount
    amounts = {pk: cents(amount) for pk, amount in amounts.items()}
    total = sum(amounts.values(), Decimal("0.00"))
    result = []
    for member in members:
        amount = amounts.get(member.pk, Decimal("0.00"))
        weight = (amount / total).quantize(Decimal("0.000001")) if total else Decimal(0)
        result.append(Weight(member, amount, weight))
    return result


def damages_shares(*, agreement: FrameworkAgreement, total: Decimal) -> dict[Authority, Decimal]:
    """Art. 8: damages shared by each member's relative weight in the agreement."""
    weights = [(w.member, w.amount) for w in member_weights(agreement=agreement) if w.amount > 0]
    if not weights:
        raise ConventionRuleError(
            rule="Art. 8",
            code="no_weight",
            message=_("Aucun bon de commande engagé : le poids relatif des membres est nul."),
        )
    return allocate(total, weights)


def termination_shares(
    *, agreement: FrameworkAgreement, total: Decimal
) -> dict[Authority, Decimal]:
    """Art. 6: termination costs shared equally among the members."""
    members = [m.authority for m in current_memberships(agreement.convention)]
    return allocate_equally(total, members)


@transaction.atomic
def cost_allocation_record(
    *,
    agreement: FrameworkAgreement,
    kind: str,
    label: str,
    total: Decimal,
    decided_on: date,
    actor: Any,
) -> CostAllocation:
    """The coordinator records an allocation (its call for funds); shares are frozen."""
    if not is_coordinator_staff(actor):
        raise ConventionRuleError(
            rule="Art. 8",
            code="coordinator_only",
            message=_("Le coordonnateur effectue l'appel de fonds auprès de chaque membre."),
        )
    if not isinstance(total, Decimal) or total <= 0:
        raise ConventionRuleError(
            rule="Montants",
            code="invalid_amount",
            message=_("Le montant à répartir est un nombre décimal positif, en euros."),
        )
    if kind == CostAllocation.Kind.DAMAGES:
        shares = damages_shares(agreement=agreement, total=total)
        weights = {w.member.pk: w.weight for w in member_weights(agreement=agreement)}
    elif kind == CostAllocation.Kind.TERMINATION:
        if agreement.state != FrameworkAgreement.State.TERMINATED:
            raise ConventionRuleError(
                rule="Art. 6",
                code="not_terminated",
                message=_(
                    "Les frais de résiliation se répartissent une fois l'accord-cadre résilié."
                ),
            )
        shares = termination_shares(agreement=agreement, total=total)
        equal = (Decimal(1) / len(shares)).quantize(Decimal("0.000001")) if shares else Decimal(0)
        weights = {m.pk: equal for m in shares}
    else:
        raise ConventionRuleError(rule="Art. 8", code="unknown_kind", message=_("Nature inconnue."))
    allocation = CostAllocation.objects.create(
        agreement=agreement,
        kind=kind,
        label=label.strip() or str(dict(CostAllocation.Kind.choices)[kind]),
        total=total,
        decided_on=decided_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    CostShare.objects.bulk_create(
        CostShare(allocation=allocation, member=m, weight=weights.get(m.pk, Decimal(0)), amount=a)
        for m, a in shares.items()
    )
    history_record(
        actor=actor,
        action="costs_allocated",
        subject=allocation,
        message=_("%(label)s : %(total)s répartis entre %(n)d membres")
        % {"label": allocation.label, "total": euros(total), "n": len(shares)},
    )
    return allocation


__all__ = ["Weight", "cost_allocation_record", "damages_shares", "member_weights", "percent"]
