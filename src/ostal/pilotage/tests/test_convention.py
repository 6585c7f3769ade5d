"""Articles 2 to 6 and 11 of the convention, as rules the pilotage enforces."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ostal.pilotage import services
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import (
    Amendment,
    FrameworkAgreement,
    HistoryEntry,
    MemberDecision,
    Membership,
    Order,
)
from ostal.territory.models import Authority


def test_the_groupement_has_sixteen_members_and_the_region_coordinates(groupement):
    """Art. 3 and 6: the members are the 16 signatories; the Région is the coordinator."""
    members = groupement.convention.memberships.filter(state=Membership.State.MEMBER)
    assert members.count() == 16
    assert groupement.convention.coordinator == groupement.region
    assert not members.filter(authority__name="Haute-Garonne").exists()


def test_the_framework_agreement_lasts_four_years_from_its_notification(groupement):
    """Art. 2: the accord-cadre is concluded for 4 years from the date of its notification."""
    agreement = groupement.agreement
    assert agreement.ends_on == agreement.notified_on.replace(
        year=agreement.notified_on.year + 4
    ) - timedelta(days=1)


def test_an_agreement_may_not_outlive_the_convention(groupement):
    """Art. 4: the convention ends with the agreement and at the latest on its fixed date, so
    an agreement whose 4 years would run past that date is refused."""
    late = services.agreement_create(
        convention=groupement.convention, reference="AC-2", title="Second", contractor="X"
    )
    with pytest.raises(ConventionRuleError) as refusal:
        services.agreement_notify(agreement=late, notified_on=groupement.today)
    assert refusal.value.rule == "Art. 4"
    late.refresh_from_db()
    assert late.state == FrameworkAgreement.State.DRAFT


def test_the_convention_is_valid_until_the_agreement_ends(groupement):
    """Art. 4: validity runs from notification until the end of the agreement."""
    convention = groupement.convention
    assert convention.ends_on == groupement.agreement.ends_on
    assert convention.in_force_on(groupement.today)
    assert not convention.in_force_on(convention.notified_on - timedelta(days=1))


def test_a_renewal_is_a_new_convention_signed_by_the_current_members(groupement):
    """Art. 4: a renewal carries the current members into a new convention with its own dates."""
    services.membership_withdraw(
        membership=groupement.membership(groupement.aveyron),
        deliberation="Délibération CD12-2026-04",
        left_on=groupement.today,
    )
    renewal = services.convention_renew(
        convention=groupement.convention,
        title="Convention renouvelée",
        notified_on=groupement.today,
        latest_end_on=groupement.today + timedelta(days=5 * 365),
    )
    assert renewal.renews == groupement.convention
    assert renewal.memberships.count() == 15
    with pytest.raises(ConventionRuleError):
        services.convention_renew(
            convention=groupement.convention,
            title="Encore",
            notified_on=groupement.today,
            latest_end_on=groupement.today,
        )


def test_adhesion_results_from_signing_and_a_body_signs_once(groupement):
    """Art. 5: adhesion results from the signature; a body already member cannot sign again,
    and a body outside the region cannot join."""
    with pytest.raises(ConventionRuleError) as refusal:
        services.membership_adhere(
            convention=groupement.convention,
            authority=groupement.herault,
            signed_on=groupement.today,
        )
    assert refusal.value.code == "already_member"
    haute_garonne = Authority.objects.get(kind=Authority.Kind.DEPARTMENT, code="31")
    joined = services.membership_adhere(
        convention=groupement.convention, authority=haute_garonne, signed_on=groupement.today
    )
    assert joined.is_current
    assert HistoryEntry.objects.filter(action="member_adhered", subject_id=joined.pk).exists()


def test_withdrawal_is_recorded_by_a_deliberation(groupement):
    """Art. 5: withdrawal is recorded by a deliberation of the member's assembly."""
    membership = groupement.membership(groupement.aveyron)
    with pytest.raises(ConventionRuleError) as refusal:
        services.membership_withdraw(
            membership=membership, deliberation=" ", left_on=groupement.today
        )
    assert refusal.value.code == "deliberation_required"
    services.membership_withdraw(
        membership=membership, deliberation="Délibération CD12-2026-04", left_on=groupement.today
    )
    membership.refresh_from_db()
    assert membership.state == Membership.State.WITHDRAWN
    assert membership.deliberation == "Délibération CD12-2026-04"


def test_withdrawal_is_refused_while_the_member_owes_sums_to_the_contractor(groupement):
    """Art. 5: a member withdrawing first settles all sums it owes under the agreement."""
    order = groupement.order()
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    membership = groupement.membership(groupement.herault)
    with pytest.raises(ConventionRuleError) as refusal:
        services.membership_withdraw(
            membership=membership, deliberation="Délibération CD34", left_on=groupement.today
        )
    assert refusal.value.rule == "Art. 5"
    assert refusal.value.code == "dues_outstanding"
    assert "1\u202f500,00 €" in refusal.value.message
    membership.refresh_from_db()
    assert membership.is_current
    for state in (Order.State.VERIFIED, Order.State.PAID):
        services.order_transition(order=order, to_state=state, actor=groupement.member_staff)
    services.membership_withdraw(
        membership=membership, deliberation="Délibération CD34", left_on=groupement.today
    )
    membership.refresh_from_db()
    assert membership.state == Membership.State.WITHDRAWN


def test_the_coordinator_cannot_withdraw(groupement):
    """Art. 6: the Région is the mandated coordinator and cannot leave the groupement."""
    with pytest.raises(ConventionRuleError) as refusal:
        services.membership_withdraw(
            membership=groupement.membership(groupement.region),
            deliberation="Délibération",
            left_on=groupement.today,
        )
    assert refusal.value.rule == "Art. 6"


def _decide_exclusion(groupement, target, skip=()):
    for m in groupement.convention.memberships.filter(state=Membership.State.MEMBER):
        if m.pk == target.pk or m.authority in skip:
            continue
        services.member_decision_record(
            kind=MemberDecision.Kind.EXCLUSION,
            decided_by=m,
            target=target,
            deliberation=f"Délibération {m.authority.code}",
            decided_on=groupement.today,
        )


def test_exclusion_needs_the_express_and_identical_decision_of_all_the_other_members(groupement):
    """Art. 5: exclusion is decided by express and identical decisions of all other members;
    one missing decision refuses it and names who has not decided."""
    target = groupement.membership(groupement.aveyron)
    _decide_exclusion(groupement, target, skip=(groupement.herault,))
    with pytest.raises(ConventionRuleError) as refusal:
        services.membership_exclude(
            membership=target, deliberation="Constat", left_on=groupement.today
        )
    assert refusal.value.code == "exclusion_not_unanimous"
    assert "Hérault" in refusal.value.message
    target.refresh_from_db()
    assert target.is_current
    services.member_decision_record(
        kind=MemberDecision.Kind.EXCLUSION,
        decided_by=groupement.membership(groupement.herault),
        target=target,
        deliberation="Délibération CD34",
        decided_on=groupement.today,
    )
    services.membership_exclude(membership=target, deliberation="Constat", left_on=groupement.today)
    target.refresh_from_db()
    assert target.state == Membership.State.EXCLUDED


def test_a_member_does_not_decide_its_own_exclusion(groupement):
    """Art. 5: the *other* members decide the exclusion."""
    target = groupement.membership(groupement.aveyron)
    with pytest.raises(ConventionRuleError) as refusal:
        services.member_decision_record(
            kind=MemberDecision.Kind.EXCLUSION,
            decided_by=target,
            target=target,
            deliberation="x",
            decided_on=groupement.today,
        )
    assert refusal.value.code == "self_exclusion"


def test_a_member_that_owes_dues_is_excluded_and_still_owes_them(groupement):
    """Art. 5: once every other member has decided, a member that owes the contractor is
    excluded all the same; the sums stay owed and can still be settled afterwards."""
    order = groupement.order(
        member=groupement.aveyron,
        actor=groupement.other_member_staff,
        schools=[groupement.aveyron_college],
    )
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.other_member_staff
    )
    target = groupement.membership(groupement.aveyron)
    _decide_exclusion(groupement, target)
    services.membership_exclude(membership=target, deliberation="Constat", left_on=groupement.today)
    target.refresh_from_db()
    assert target.state == Membership.State.EXCLUDED
    owed = services.member_dues(authority=groupement.aveyron, convention=groupement.convention)
    assert owed == order.total_amount > 0
    entry = HistoryEntry.objects.get(action="member_excluded")
    assert entry.data == {"dues": str(owed)}
    for state in (Order.State.VERIFIED, Order.State.PAID):
        services.order_transition(order=order, to_state=state, actor=groupement.other_member_staff)
    assert services.member_dues(
        authority=groupement.aveyron, convention=groupement.convention
    ) == Decimal("0.00")


def _approve_all(groupement, amendment, skip=()):
    for m in groupement.convention.memberships.filter(state=Membership.State.MEMBER):
        if m.authority not in skip:
            services.amendment_approve(
                amendment=amendment,
                membership=m,
                deliberation=f"Délibération {m.authority.code}",
                approved_on=groupement.today,
            )


def test_an_amendment_is_adopted_only_when_all_members_approve_it(groupement):
    """Art. 11: an amendment is approved by all the members of the groupement."""
    amendment = services.amendment_propose(
        convention=groupement.convention,
        title="Ajout d'un service",
        effective_on=groupement.today + timedelta(days=30),
    )
    _approve_all(groupement, amendment, skip=(groupement.academy,))
    with pytest.raises(ConventionRuleError) as refusal:
        services.amendment_adopt(amendment=amendment)
    assert refusal.value.code == "amendment_not_unanimous"
    assert "Académie de Montpellier" in refusal.value.message
    services.amendment_approve(
        amendment=amendment,
        membership=groupement.membership(groupement.academy),
        deliberation="Décision rectorale",
        approved_on=groupement.today,
    )
    services.amendment_adopt(amendment=amendment)
    amendment.refresh_from_db()
    assert amendment.state == Amendment.State.ADOPTED
    assert amendment.number == 1


def test_an_amendment_is_never_retroactive(groupement):
    """Art. 11: modifications of the convention cannot be retroactive — neither when
    proposed nor on the day they are finally adopted."""
    with pytest.raises(ConventionRuleError) as refusal:
        services.amendment_propose(
            convention=groupement.convention,
            title="Rétroactif",
            effective_on=groupement.today - timedelta(days=1),
        )
    assert refusal.value.rule == "Art. 11"
    assert refusal.value.code == "retroactive_amendment"
    assert not Amendment.objects.exists()
    amendment = services.amendment_propose(
        convention=groupement.convention,
        title="Bientôt",
        effective_on=groupement.today + timedelta(days=2),
    )
    _approve_all(groupement, amendment)
    with pytest.raises(ConventionRuleError) as late:
        services.amendment_adopt(
            amendment=amendment, adopted_on=groupement.today + timedelta(days=10)
        )
    assert late.value.code == "retroactive_amendment"
    amendment.refresh_from_db()
    assert amendment.state == Amendment.State.PROPOSED


def test_termination_needs_the_express_agreement_of_all_members(groupement):
    """Art. 6: the coordinator terminates the agreement after the express agreement of all."""
    agreement = groupement.agreement
    members = list(groupement.convention.memberships.filter(state=Membership.State.MEMBER))
    for m in members[:-1]:
        services.member_decision_record(
            kind=MemberDecision.Kind.TERMINATION,
            decided_by=m,
            agreement=agreement,
            deliberation="Accord exprès",
            decided_on=groupement.today,
        )
    with pytest.raises(ConventionRuleError) as refusal:
        services.agreement_terminate(agreement=agreement, terminated_on=groupement.today)
    assert refusal.value.code == "termination_not_unanimous"
    services.member_decision_record(
        kind=MemberDecision.Kind.TERMINATION,
        decided_by=members[-1],
        agreement=agreement,
        deliberation="Accord exprès",
        decided_on=groupement.today,
    )
    services.agreement_terminate(agreement=agreement, terminated_on=groupement.today)
    agreement.refresh_from_db()
    assert agreement.state == FrameworkAgreement.State.TERMINATED
    assert agreement.ends_on == groupement.today


def test_amounts_are_decimals_not_floats(groupement):
    """Amounts are decimals: a float is refused, a Decimal is kept to the cent."""
    with pytest.raises(ConventionRuleError) as refusal:
        groupement.order(lump_sum_amount=1000.1)
    assert refusal.value.code == "invalid_amount"
    order = groupement.order(lump_sum_amount=Decimal("0.10"), recurring_amount=Decimal("0.20"))
    order.refresh_from_db()
    assert order.total_amount == Decimal("0.30")
