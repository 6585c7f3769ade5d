"""Writes of the pilotage: one function per use case, each in a transaction, each refusing
what the convention refuses with a ``ConventionRuleError`` and leaving a history entry."""

from ostal.pilotage.services.consultations import (
    consultation_open,
    consultation_reminders_send,
    consultation_validate,
    observation_deadline,
    observation_submit,
    receipt_acknowledge,
    validation_deadline,
)
from ostal.pilotage.services.convention import (
    agreement_create,
    agreement_notify,
    agreement_terminate,
    amendment_adopt,
    amendment_approve,
    amendment_propose,
    convention_create,
    convention_renew,
    member_decision_record,
    member_dues,
    membership_adhere,
    membership_exclude,
    membership_withdraw,
)
from ostal.pilotage.services.costs import cost_allocation_record, member_weights
from ostal.pilotage.services.history import history_of, history_record, pilotage_role_grant
from ostal.pilotage.services.orders import order_create, order_transition
from ostal.pilotage.services.statistics import audience_aggregate_day, audience_aggregate_range

__all__ = [
    "agreement_create",
    "agreement_notify",
    "agreement_terminate",
    "amendment_adopt",
    "amendment_approve",
    "amendment_propose",
    "audience_aggregate_day",
    "audience_aggregate_range",
    "consultation_open",
    "consultation_reminders_send",
    "consultation_validate",
    "convention_create",
    "convention_renew",
    "cost_allocation_record",
    "history_of",
    "history_record",
    "member_decision_record",
    "member_dues",
    "member_weights",
    "membership_adhere",
    "membership_exclude",
    "membership_withdraw",
    "observation_deadline",
    "observation_submit",
    "order_create",
    "order_transition",
    "pilotage_role_grant",
    "receipt_acknowledge",
    "validation_deadline",
]
