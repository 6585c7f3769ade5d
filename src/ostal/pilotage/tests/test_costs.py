"""Articles 6 and 8: weights, damages by weight, termination costs equally — to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ostal.pilotage import services
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import CostAllocation, MemberDecision, Membership, Order
from ostal.pilotage.money import allocate, to_money


def _commit(groupement, order, actor):
    services.order_transition(order=order, to_state=Order.State.NOTIFIED, actor=actor)


def test_a_members_weight_is_its_share_of_the_committed_orders(groupement, world):
    """Art. 8: the relative weight of a member is its share of the agreement's orders; drafts
    and cancelled orders weigh nothing."""
    _commit(
        groupement,
        groupement.order(lump_sum_amount=Decimal("2000.00"), recurring_amount=Decimal("0")),
        groupement.member_staff,
    )
    region = groupement.order(
        member=groupement.region,
        actor=groupement.coordinator,
        schools=[world.lycee],
        lump_sum_amount=Decimal("6000.00"),
        recurring_amount=Decimal("0"),
    )
    _commit(groupement, region, groupement.coordinator)
    groupement.order(lump_sum_amount=Decimal("99999.00"))  # a draft
    weights = {w.member: w for w in services.member_weights(agreement=groupement.agreement)}
    assert len(weights) == 16
    assert weights[groupement.herault].weight == Decimal("0.250000")
    assert weights[groupement.region].weight == Decimal("0.750000")
    assert weights[groupement.aveyron].weight == Decimal("0")


def test_damages_are_shared_by_weight_and_the_shares_sum_exactly_to_the_total(groupement, world):
    """Art. 8: damages against the coordinator are shared by each member's relative weight;
    shares are to the cent and add up exactly to the total."""
    _commit(
        groupement,
        groupement.order(lump_sum_amount=Decimal("1000.00"), recurring_amount=Decimal("0")),
        groupement.member_staff,
    )
    aveyron = groupement.order(
        member=groupement.aveyron,
        actor=groupement.other_member_staff,
        schools=[groupement.aveyron_college],
        lump_sum_amount=Decimal("1000.00"),
        recurring_amount=Decimal("0"),
    )
    _commit(groupement, aveyron, groupement.other_member_staff)
    region = groupement.order(
        member=groupement.region,
        actor=groupement.coordinator,
        schools=[world.lycee],
        lump_sum_amount=Decimal("1000.00"),
        recurring_amount=Decimal("0"),
    )
    _commit(groupement, region, groupement.coordinator)
    allocation = services.cost_allocation_record(
        agreement=groupement.agreement,
        kind=CostAllocation.Kind.DAMAGES,
        label="Jugement TA",
        total=Decimal("100.00"),
        decided_on=groupement.today,
        actor=groupement.coordinator,
    )
    amounts = sorted(s.amount for s in allocation.shares.all())
    assert amounts == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(amounts) == Decimal("100.00")


def test_only_the_coordinator_calls_for_funds(groupement):
    """Art. 8: the coordinator makes the call for funds to each member."""
    with pytest.raises(ConventionRuleError) as refusal:
        services.cost_allocation_record(
            agreement=groupement.agreement,
            kind=CostAllocation.Kind.DAMAGES,
            label="x",
            total=Decimal("10.00"),
            decided_on=groupement.today,
            actor=groupement.member_staff,
        )
    assert refusal.value.code == "coordinator_only"
    assert not CostAllocation.objects.exists()


def test_termination_costs_are_shared_equally_once_terminated(groupement):
    """Art. 6: termination costs are shared equally between the members, to the cent."""
    with pytest.raises(ConventionRuleError) as refusal:
        services.cost_allocation_record(
            agreement=groupement.agreement,
            kind=CostAllocation.Kind.TERMINATION,
            label="Frais",
            total=Decimal("1000.01"),
            decided_on=groupement.today,
            actor=groupement.coordinator,
        )
    assert refusal.value.code == "not_terminated"
    for m in groupement.convention.memberships.filter(state=Membership.State.MEMBER):
        services.member_decision_record(
            kind=MemberDecision.Kind.TERMINATION,
            decided_by=m,
            agreement=groupement.agreement,
            deliberation="Accord exprès",
            decided_on=groupement.today,
        )
    services.agreement_terminate(agreement=groupement.agreement, terminated_on=groupement.today)
    allocation = services.cost_allocation_record(
        agreement=groupement.agreement,
        kind=CostAllocation.Kind.TERMINATION,
        label="Frais",
        total=Decimal("1000.01"),
        decided_on=groupement.today,
        actor=groupement.coordinator,
    )
    shares = [s.amount for s in allocation.shares.all()]
    assert len(shares) == 16
    assert sum(shares) == Decimal("1000.01")
    assert set(shares) == {Decimal("62.50"), Decimal("62.51")}


def test_allocation_is_exact_for_awkward_totals():
    """Largest remainder: the shares always add up to the total, whatever the weights."""
    shares = allocate(
        Decimal("0.05"), [("a", Decimal("1")), ("b", Decimal("1")), ("c", Decimal("1"))]
    )
    assert sum(shares.values()) == Decimal("0.05")
    assert shares == {"a": Decimal("0.02"), "b": Decimal("0.02"), "c": Decimal("0.01")}


def test_typed_amounts_are_parsed_as_decimals_to_the_cent():
    """Amounts typed in French (comma, spaces) become Decimals rounded half-even to the cent."""
    assert to_money("1 234,565") == Decimal("1234.56")
    assert to_money("0,125") == Decimal("0.12")
    with pytest.raises(ValueError):
        to_money("-3")
    with pytest.raises(ValueError):
        to_money("douze")
