"""Article 7: each member issues, notifies and follows its own bons de commande."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ostal.core.models import AppendOnlyError
from ostal.pilotage import services
from ostal.pilotage.deployment import school_is_open
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import HistoryEntry, Order


def test_a_departement_orders_deployment_for_part_of_its_colleges(groupement):
    """Art. 7: a collectivité orders the deployment for all or part of the schools in its charge."""
    order = groupement.order(schools=[groupement.college, groupement.college2])
    assert order.state == Order.State.DRAFT
    assert set(order.schools.all()) == {groupement.college, groupement.college2}
    assert order.number.startswith("BC-34-")


def test_an_order_for_another_collectivites_school_is_refused(groupement):
    """Art. 7: a département cannot order the deployment of a school it is not in charge of."""
    with pytest.raises(ConventionRuleError) as refusal:
        groupement.order(schools=[groupement.college, groupement.aveyron_college])
    assert refusal.value.rule == "Art. 7"
    assert refusal.value.code == "school_of_another_member"
    assert groupement.aveyron_college.uai in refusal.value.message
    assert not Order.objects.exists()


def test_the_departement_does_not_order_lycees_of_the_region(groupement, world):
    """Art. 7: lycées are the Région's; a département cannot order their deployment."""
    with pytest.raises(ConventionRuleError):
        groupement.order(schools=[world.lycee])
    region_order = groupement.order(
        member=groupement.region, actor=groupement.coordinator, schools=[world.lycee]
    )
    assert region_order.member == groupement.region


def test_a_member_orders_only_in_its_own_name(groupement):
    """Art. 7: each member issues its own orders; the staff of another département cannot."""
    with pytest.raises(ConventionRuleError) as refusal:
        groupement.order(actor=groupement.other_member_staff)
    assert refusal.value.code == "not_your_order"
    with pytest.raises(ConventionRuleError):
        groupement.order(actor=groupement.auditor)
    assert not Order.objects.exists()


def test_academies_order_unit_services_not_deployments(groupement, django_user_model):
    """Art. 7: unit services (specific developments) may be ordered by any member, académies
    included; deployment orders are the collectivités'."""
    from ostal.pilotage.models import PilotageRole

    rectorat = django_user_model.objects.create_user("rectorat", profile="ACA", last_name="R")
    services.pilotage_role_grant(
        person=rectorat, authority=groupement.academy, role=PilotageRole.Role.MEMBER
    )
    with pytest.raises(ConventionRuleError) as refusal:
        groupement.order(member=groupement.academy, actor=rectorat, schools=[])
    assert refusal.value.code == "not_a_collectivite"
    unit = groupement.order(
        member=groupement.academy,
        actor=rectorat,
        kind=Order.Kind.UNIT,
        title="Connecteur spécifique",
        recurring_amount=Decimal("0.00"),
    )
    assert unit.kind == Order.Kind.UNIT


def test_an_order_stays_within_the_framework_agreement(groupement):
    """Art. 2: orders execute the 4-year agreement; a service past its end is refused."""
    with pytest.raises(ConventionRuleError) as refusal:
        groupement.order(ends_on=groupement.agreement.ends_on + timedelta(days=1))
    assert refusal.value.code == "outside_agreement_term"


def test_the_lifecycle_is_draft_notified_verified_paid_and_recorded(groupement):
    """An order goes draft → notified → service verified → paid, each step dated and recorded."""
    order = groupement.order()
    for state in (Order.State.NOTIFIED, Order.State.VERIFIED, Order.State.PAID):
        order = services.order_transition(
            order=order, to_state=state, actor=groupement.member_staff
        )
    assert order.state == Order.State.PAID
    assert order.notified_on == order.verified_on == order.paid_on == groupement.today
    actions = list(
        HistoryEntry.objects.filter(subject_type="order", subject_id=order.pk)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["order_created", "order_notified", "order_verified", "order_paid"]
    with pytest.raises(ConventionRuleError) as refusal:
        services.order_transition(
            order=order, to_state=Order.State.CANCELLED, actor=groupement.member_staff, reason="x"
        )
    assert refusal.value.code == "forbidden_transition"


def test_cancelled_orders_stay_on_record_with_their_reason(groupement):
    """Nothing is deleted: a cancelled order keeps its number, its reason, who and when."""
    order = groupement.order()
    with pytest.raises(ConventionRuleError) as refusal:
        services.order_transition(
            order=order, to_state=Order.State.CANCELLED, actor=groupement.member_staff
        )
    assert refusal.value.code == "cancel_reason_required"
    services.order_transition(
        order=order,
        to_state=Order.State.CANCELLED,
        actor=groupement.member_staff,
        reason="Erreur de périmètre",
    )
    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED
    assert order.cancel_reason == "Erreur de périmètre"
    assert order.cancelled_on == groupement.today
    entry = HistoryEntry.objects.get(action="order_cancelled")
    assert entry.actor == groupement.member_staff
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.all().delete()


def test_a_school_is_open_while_a_current_deployment_order_covers_it(groupement):
    """A school's ENT is open while a notified (or verified, paid) deployment order covers
    today; a draft or a cancelled order opens nothing."""
    order = groupement.order(schools=[groupement.college, groupement.college2])
    assert not school_is_open(groupement.college)
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    assert school_is_open(groupement.college)
    assert school_is_open(groupement.college2)
    assert not school_is_open(groupement.aveyron_college)
    assert not school_is_open(groupement.college, day=order.ends_on + timedelta(days=1))
    services.order_transition(
        order=order, to_state=Order.State.CANCELLED, actor=groupement.member_staff, reason="Annulé"
    )
    assert not school_is_open(groupement.college)
