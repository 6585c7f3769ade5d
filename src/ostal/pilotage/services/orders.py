"""Bons de commande (art. 7): issued by one member for its own needs, then notified,
verified and paid by that member; never deleted (a cancelled order stays on record).

Lifecycle: draft → notified → verified (service fait) → paid; draft or notified →
cancelled. Deployment orders are issued by a collectivité for all or part of the schools in
its charge; who orders the schools of a body that is not a collectivité is data
(``Authority.deployment_ordered_by``: in Occitanie the Région orders the DRAAF's lycées
agricoles), so the DRAAF and the académies issue unit orders only (specific
developments), which any member may issue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ostal.pilotage import deployment
from ostal.pilotage.abilities import is_staff_of_member
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import FrameworkAgreement, Membership, Order
from ostal.pilotage.money import euros
from ostal.pilotage.selectors import bodies_deployed_by
from ostal.pilotage.services.history import history_record
from ostal.territory.models import Authority, School

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Order.State.DRAFT: (Order.State.NOTIFIED, Order.State.CANCELLED),
    Order.State.NOTIFIED: (Order.State.VERIFIED, Order.State.CANCELLED),
    Order.State.VERIFIED: (Order.State.PAID,),
    Order.State.PAID: (),
    Order.State.CANCELLED: (),
}
DATE_FIELD: dict[str, str] = {
    Order.State.NOTIFIED: "notified_on",
    Order.State.VERIFIED: "verified_on",
    Order.State.PAID: "paid_on",
    Order.State.CANCELLED: "cancelled_on",
}


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _refuse_other_member(actor: Any, member: Authority) -> None:
    if not is_staff_of_member(actor, member):
        raise ConventionRuleError(
            rule="Art. 7",
            code="not_your_order",
            message=_(
                "Chaque membre émet et suit ses propres bons de commande : vous n'agissez pas "
                "pour %(name)s."
            )
            % {"name": member.name},
        )


def _refuse_outside_agreement(
    agreement: FrameworkAgreement, starts_on: date, ends_on: date
) -> None:
    if agreement.state != FrameworkAgreement.State.ACTIVE or agreement.ends_on is None:
        raise ConventionRuleError(
            rule="Art. 2",
            code="agreement_not_active",
            message=_("L'accord-cadre %(ref)s n'est pas en cours d'exécution.")
            % {"ref": agreement.reference},
        )
    assert agreement.notified_on is not None
    if starts_on < agreement.notified_on or ends_on > agreement.ends_on:
        raise ConventionRuleError(
            rule="Art. 2",
            code="outside_agreement_term",
            message=_(
                "La prestation (du %(start)s au %(end)s) doit tenir dans la durée de "
                "l'accord-cadre, du %(a_start)s au %(a_end)s."
            )
            % {
                "start": _d(starts_on),
                "end": _d(ends_on),
                "a_start": _d(agreement.notified_on),
                "a_end": _d(agreement.ends_on),
            },
        )


def _refuse_closed_schools(schools: Iterable[School]) -> None:
    closed = [s for s in schools if not s.is_open]
    if closed:
        raise ConventionRuleError(
            rule="Art. 7",
            code="school_closed",
            message=_(
                "Un bon de déploiement couvre des établissements ouverts ; fermé : %(schools)s."
            )
            % {"schools": ", ".join(str(s) for s in closed)},
        )


def _refuse_foreign_schools(member: Authority, schools: Iterable[School]) -> None:
    charge = set(bodies_deployed_by(member).values_list("pk", flat=True))
    foreign = [s for s in schools if s.responsible_authority_id not in charge]
    if foreign:
        raise ConventionRuleError(
            rule="Art. 7",
            code="school_of_another_member",
            message=_(
                "Une collectivité commande le déploiement des seuls établissements dont elle a "
                "la charge ; %(member)s n'a pas la charge de : %(schools)s."
            )
            % {"member": member.name, "schools": ", ".join(str(s) for s in foreign)},
        )


@transaction.atomic
def order_create(
    *,
    member: Authority,
    agreement: FrameworkAgreement,
    kind: str,
    title: str,
    lump_sum_amount: Decimal,
    recurring_amount: Decimal = Decimal("0.00"),
    starts_on: date,
    ends_on: date,
    schools: Iterable[School] = (),
    actor: Any,
) -> Order:
    """A member drafts a bon de commande for its own needs."""
    _refuse_other_member(actor, member)
    if not Membership.objects.filter(
        convention=agreement.convention, authority=member, state=Membership.State.MEMBER
    ).exists():
        raise ConventionRuleError(
            rule="Art. 3",
            code="not_a_member",
            message=_("%(name)s n'est pas membre du groupement.") % {"name": member.name},
        )
    for amount in (lump_sum_amount, recurring_amount):
        if not isinstance(amount, Decimal) or amount < 0:
            raise ConventionRuleError(
                rule="Montants",
                code="invalid_amount",
                message=_("Les montants sont des nombres décimaux positifs, en euros HT."),
            )
    if lump_sum_amount + recurring_amount <= 0:
        raise ConventionRuleError(
            rule="Montants",
            code="zero_amount",
            message=_("Un bon de commande porte un montant supérieur à zéro."),
        )
    if ends_on < starts_on:
        raise ConventionRuleError(
            rule="Art. 2",
            code="period_reversed",
            message=_("La fin de la prestation précède son début."),
        )
    _refuse_outside_agreement(agreement, starts_on, ends_on)
    school_list = list(schools)
    if kind == Order.Kind.DEPLOYMENT:
        if not bodies_deployed_by(member).exists():
            message = _(
                "Les bons de commande de déploiement sont émis par les collectivités pour "
                "les établissements dont elles ont la charge ; %(name)s commande des "
                "prestations unitaires."
            ) % {"name": member.name}
            if member.deployment_ordered_by is not None:
                message += " " + _(
                    "Ses établissements sont couverts par les bons de déploiement émis par : "
                    "%(orderer)s."
                ) % {"orderer": member.deployment_ordered_by.name}
            raise ConventionRuleError(rule="Art. 7", code="not_a_collectivite", message=message)
        if not school_list:
            raise ConventionRuleError(
                rule="Art. 7",
                code="no_school",
                message=_("Un bon de déploiement couvre au moins un établissement."),
            )
        _refuse_foreign_schools(member, school_list)
        _refuse_closed_schools(school_list)
    elif kind == Order.Kind.UNIT:
        if recurring_amount:
            raise ConventionRuleError(
                rule="Art. 7",
                code="unit_not_recurring",
                message=_("Une prestation unitaire n'a pas de part récurrente."),
            )
        school_list = []
    else:
        raise ConventionRuleError(
            rule="Art. 7", code="unknown_kind", message=_("Nature de bon de commande inconnue.")
        )
    sequence = Order.objects.filter(member=member).count() + 1
    order = Order.objects.create(
        agreement=agreement,
        member=member,
        number=f"BC-{member.code}-{starts_on.year}-{sequence:03d}",
        kind=kind,
        title=title.strip(),
        lump_sum_amount=lump_sum_amount,
        recurring_amount=recurring_amount,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    order.schools.set(school_list)
    history_record(
        actor=actor,
        action="order_created",
        subject=order,
        message=_("Bon %(number)s créé (brouillon), %(amount)s HT")
        % {"number": order.number, "amount": euros(order.total_amount)},
        data={"schools": [s.uai for s in school_list]},
    )
    return order


@transaction.atomic
def order_transition(
    *,
    order: Order,
    to_state: str,
    actor: Any,
    on: date | None = None,
    reason: str = "",
) -> Order:
    """Move an order along its lifecycle; the member that issued it does so, with a date."""
    order = Order.objects.select_for_update().select_related("agreement", "member").get(pk=order.pk)
    _refuse_other_member(actor, order.member)
    if to_state not in TRANSITIONS.get(order.state, ()):
        labels = dict(Order.State.choices)
        raise ConventionRuleError(
            rule="Cycle du bon de commande",
            code="forbidden_transition",
            message=_(
                "Un bon « %(from)s » ne peut pas passer à « %(to)s » (brouillon → notifié → "
                "service fait → payé ; l'annulation n'est possible qu'avant le service fait)."
            )
            % {"from": labels.get(order.state, order.state), "to": labels.get(to_state, to_state)},
        )
    day = on or timezone.localdate()
    previous = [getattr(order, f) for f in ("notified_on", "verified_on") if getattr(order, f)]
    if previous and day < max(previous):
        raise ConventionRuleError(
            rule="Cycle du bon de commande",
            code="date_before_previous_step",
            message=_("La date (%(day)s) précède l'étape précédente (%(prev)s).")
            % {"day": _d(day), "prev": _d(max(previous))},
        )
    if to_state == Order.State.NOTIFIED:
        _refuse_outside_agreement(order.agreement, order.starts_on, order.ends_on)
        if order.kind == Order.Kind.DEPLOYMENT:
            _refuse_foreign_schools(order.member, order.schools.all())
    if to_state == Order.State.CANCELLED and not reason.strip():
        raise ConventionRuleError(
            rule="Conservation des bons",
            code="cancel_reason_required",
            message=_("Une annulation est motivée : le bon reste au dossier avec son motif."),
        )
    before = order.state
    order.state = to_state
    setattr(order, DATE_FIELD[to_state], day)
    fields = ["state", DATE_FIELD[to_state], "updated_at"]
    if to_state == Order.State.CANCELLED:
        order.cancel_reason = reason.strip()[:255]
        fields.append("cancel_reason")
    order.save(update_fields=fields)
    history_record(
        actor=actor,
        action=f"order_{to_state}",
        subject=order,
        message=_("%(from)s → %(to)s le %(day)s%(reason)s")
        % {
            "from": dict(Order.State.choices)[before],
            "to": order.get_state_display(),
            "day": _d(day),
            "reason": f" — {reason.strip()}" if reason.strip() else "",
        },
        data={"from": before, "to": to_state, "on": day.isoformat()},
    )
    if order.kind == Order.Kind.DEPLOYMENT:
        school_ids = list(order.schools.values_list("pk", flat=True))
        # Forget now (this process) and again after commit (a reader may have cached the
        # old answer in between).
        deployment.forget(school_ids)
        transaction.on_commit(lambda: deployment.forget(school_ids))
    return order
