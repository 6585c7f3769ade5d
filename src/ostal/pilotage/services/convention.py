"""Writes on the convention itself: members, amendments, framework agreements (art. 2-6, 11).

Each function refuses what the convention refuses with a ``ConventionRuleError`` naming
the article, and records what it did in the pilotage history.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import (
    Amendment,
    AmendmentApproval,
    Convention,
    FrameworkAgreement,
    MemberDecision,
    Membership,
)
from ostal.pilotage.money import cents, euros
from ostal.pilotage.selectors import owed_orders
from ostal.pilotage.services.history import history_record
from ostal.territory.models import Authority


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def current_memberships(convention: Convention) -> list[Membership]:
    return list(
        convention.memberships.filter(state=Membership.State.MEMBER).select_related("authority")
    )


@transaction.atomic
def convention_create(
    *,
    title: str,
    coordinator: Authority,
    notified_on: date,
    latest_end_on: date,
    reference: str = "",
    renews: Convention | None = None,
    actor: Any = None,
) -> Convention:
    if not coordinator.is_coordinator:
        raise ConventionRuleError(
            rule="Art. 6",
            code="not_coordinator",
            message=_("%(name)s n'est pas désigné coordonnateur du groupement.")
            % {"name": coordinator.name},
        )
    if latest_end_on < notified_on:
        raise ConventionRuleError(
            rule="Art. 4",
            code="ends_before_start",
            message=_("La convention ne peut pas finir avant sa notification."),
        )
    convention = Convention.objects.create(
        title=title,
        reference=reference,
        coordinator=coordinator,
        notified_on=notified_on,
        latest_end_on=latest_end_on,
        renews=renews,
    )
    history_record(
        actor=actor, action="convention_created", subject=convention, message=convention.title
    )
    return convention


@transaction.atomic
def convention_renew(
    *,
    convention: Convention,
    title: str,
    notified_on: date,
    latest_end_on: date,
    actor: Any = None,
) -> Convention:
    """A renewal is a new convention signed by the current members of the previous one."""
    if Convention.objects.filter(renews=convention).exists():
        raise ConventionRuleError(
            rule="Art. 4",
            code="already_renewed",
            message=_("Cette convention a déjà été renouvelée."),
        )
    if notified_on <= convention.notified_on:
        raise ConventionRuleError(
            rule="Art. 4",
            code="renewal_before_original",
            message=_("Le renouvellement doit être notifié après la convention qu'il renouvelle."),
        )
    renewal = convention_create(
        title=title,
        coordinator=convention.coordinator,
        notified_on=notified_on,
        latest_end_on=latest_end_on,
        reference=convention.reference,
        renews=convention,
        actor=actor,
    )
    for membership in current_memberships(convention):
        Membership.objects.create(
            convention=renewal, authority=membership.authority, signed_on=notified_on
        )
    return renewal


@transaction.atomic
def membership_adhere(
    *, convention: Convention, authority: Authority, signed_on: date, actor: Any = None
) -> Membership:
    """Art. 5: adhesion results from signing the convention and respecting all of it."""
    if authority != convention.coordinator and authority.region_id != convention.coordinator_id:
        raise ConventionRuleError(
            rule="Art. 1",
            code="outside_territory",
            message=_("%(name)s n'appartient pas au territoire du groupement.")
            % {"name": authority.name},
        )
    existing = Membership.objects.filter(convention=convention, authority=authority).first()
    if existing is not None:
        raise ConventionRuleError(
            rule="Art. 3",
            code="already_member",
            message=_("%(name)s a déjà signé cette convention (%(state)s).")
            % {"name": authority.name, "state": existing.get_state_display()},
        )
    if signed_on > convention.latest_end_on:
        raise ConventionRuleError(
            rule="Art. 4",
            code="convention_ended",
            message=_("La convention a pris fin le %(day)s.") % {"day": _d(convention.ends_on)},
        )
    membership = Membership.objects.create(
        convention=convention, authority=authority, signed_on=signed_on
    )
    history_record(
        actor=actor,
        action="member_adhered",
        subject=membership,
        message=_("Adhésion de %(name)s le %(day)s")
        % {"name": authority.name, "day": _d(signed_on)},
    )
    return membership


def member_dues(*, authority: Authority, convention: Convention) -> Decimal:
    """What the member still owes the contractors: its notified orders not yet paid (each
    counted at its full amount, ``Order.total_amount``). Leaving the groupement changes
    nothing to it: an excluded member still owes these sums (art. 5)."""
    return cents(sum((o.total_amount for o in owed_orders(authority, convention)), Decimal(0)))


def _refuse_withdrawal_if_dues(membership: Membership) -> None:
    """Art. 5: the member that withdraws first settles all it owes under the agreement."""
    dues = member_dues(authority=membership.authority, convention=membership.convention)
    if dues > 0:
        raise ConventionRuleError(
            rule="Art. 5",
            code="dues_outstanding",
            message=_(
                "Retrait refusé : %(name)s doit encore %(amount)s HT au titulaire "
                "(bons de commande notifiés non payés). La convention exige de régler "
                "au préalable l'intégralité des sommes dues au titre de l'accord-cadre."
            )
            % {"name": membership.authority.name, "amount": euros(dues)},
        )


def _refuse_if_not_current(membership: Membership) -> None:
    if not membership.is_current:
        raise ConventionRuleError(
            rule="Art. 5",
            code="not_a_member",
            message=_("%(name)s n'est plus membre du groupement (%(state)s).")
            % {"name": membership.authority.name, "state": membership.get_state_display()},
        )


@transaction.atomic
def membership_withdraw(
    *, membership: Membership, deliberation: str, left_on: date, actor: Any = None
) -> Membership:
    """Art. 5: a member withdraws by a recorded deliberation, once it owes nothing."""
    _refuse_if_not_current(membership)
    if membership.authority_id == membership.convention.coordinator_id:
        raise ConventionRuleError(
            rule="Art. 6",
            code="coordinator_cannot_withdraw",
            message=_("Le coordonnateur mandataire ne peut pas se retirer du groupement."),
        )
    if not deliberation.strip():
        raise ConventionRuleError(
            rule="Art. 5",
            code="deliberation_required",
            message=_(
                "Le retrait est constaté par une délibération de l'assemblée délibérante "
                "ou une décision de l'instance autorisée : indiquez-la."
            ),
        )
    _refuse_withdrawal_if_dues(membership)
    membership.state = Membership.State.WITHDRAWN
    membership.left_on = left_on
    membership.deliberation = deliberation.strip()
    membership.save(update_fields=["state", "left_on", "deliberation", "updated_at"])
    history_record(
        actor=actor,
        action="member_withdrew",
        subject=membership,
        message=_("Retrait de %(name)s (%(deliberation)s)")
        % {"name": membership.authority.name, "deliberation": membership.deliberation},
    )
    return membership


@transaction.atomic
def member_decision_record(
    *,
    kind: str,
    decided_by: Membership,
    deliberation: str,
    decided_on: date,
    target: Membership | None = None,
    agreement: FrameworkAgreement | None = None,
    actor: Any = None,
) -> MemberDecision:
    """One member's express decision on an exclusion or on the termination."""
    _refuse_if_not_current(decided_by)
    if not deliberation.strip():
        raise ConventionRuleError(
            rule="Art. 5",
            code="deliberation_required",
            message=_("Une décision expresse cite la délibération qui la porte."),
        )
    if kind == MemberDecision.Kind.EXCLUSION:
        if target is None or target.convention_id != decided_by.convention_id:
            raise ConventionRuleError(
                rule="Art. 5", code="no_target", message=_("Membre visé inconnu.")
            )
        if target.pk == decided_by.pk:
            raise ConventionRuleError(
                rule="Art. 5",
                code="self_exclusion",
                message=_(
                    "Un membre ne vote pas sa propre exclusion : ce sont les autres qui décident."
                ),
            )
    decision, created = MemberDecision.objects.get_or_create(
        kind=kind,
        decided_by=decided_by,
        target=target,
        agreement=agreement,
        defaults={
            "deliberation": deliberation.strip(),
            "decided_on": decided_on,
            "recorded_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if not created:
        raise ConventionRuleError(
            rule="Art. 5",
            code="already_decided",
            message=_("La décision de %(name)s est déjà enregistrée.")
            % {"name": decided_by.authority.name},
        )
    history_record(
        actor=actor,
        action=f"decision_{kind}",
        subject=decided_by,
        message=_("%(name)s : %(kind)s (%(deliberation)s)")
        % {
            "name": decided_by.authority.name,
            "kind": decision.get_kind_display(),
            "deliberation": decision.deliberation,
        },
        data={
            "target": target.pk if target else None,
            "agreement": agreement.pk if agreement else None,
        },
    )
    return decision


def _missing(deciders: list[Membership], decided_ids: set[int]) -> str:
    return ", ".join(m.authority.name for m in deciders if m.pk not in decided_ids)


@transaction.atomic
def membership_exclude(
    *, membership: Membership, deliberation: str, left_on: date, actor: Any = None
) -> Membership:
    """Art. 5: exclusion only by express and identical decisions of all the other members.

    Sums the member owes do not stand in the way (unlike a withdrawal): they remain owed."""
    _refuse_if_not_current(membership)
    others = [m for m in current_memberships(membership.convention) if m.pk != membership.pk]
    decided = set(
        MemberDecision.objects.filter(
            kind=MemberDecision.Kind.EXCLUSION, target=membership
        ).values_list("decided_by_id", flat=True)
    )
    missing = _missing(others, decided)
    if missing:
        raise ConventionRuleError(
            rule="Art. 5",
            code="exclusion_not_unanimous",
            message=_(
                "Exclusion refusée : elle exige la décision expresse et identique de tous les "
                "autres membres. Décisions manquantes : %(missing)s."
            )
            % {"missing": missing},
        )
    # Exclusion sanctions a breach of the member's obligations, unpaid sums included: it is
    # not refused for dues. They stay owed (art. 5) and show on the member's account.
    dues = member_dues(authority=membership.authority, convention=membership.convention)
    membership.state = Membership.State.EXCLUDED
    membership.left_on = left_on
    membership.deliberation = deliberation.strip()
    membership.save(update_fields=["state", "left_on", "deliberation", "updated_at"])
    message = _("Exclusion de %(name)s") % {"name": membership.authority.name}
    if dues > 0:
        message += _(" ; sommes restant dues au titulaire : %(amount)s HT (art. 5)") % {
            "amount": euros(dues)
        }
    history_record(
        actor=actor,
        action="member_excluded",
        subject=membership,
        message=message,
        data={"dues": str(dues)},
    )
    return membership


def _refuse_retroactive(effective_on: date, reference_day: date) -> None:
    if effective_on < reference_day:
        raise ConventionRuleError(
            rule="Art. 11",
            code="retroactive_amendment",
            message=_(
                "Un avenant ne peut pas être rétroactif : sa prise d'effet (%(effective)s) "
                "précède le %(day)s."
            )
            % {"effective": _d(effective_on), "day": _d(reference_day)},
        )


@transaction.atomic
def amendment_propose(
    *,
    convention: Convention,
    title: str,
    effective_on: date,
    actor: Any = None,
    today: date | None = None,
) -> Amendment:
    """Art. 11: modifications take the form of an amendment and are never retroactive."""
    _refuse_retroactive(effective_on, today or timezone.localdate())
    number = convention.amendments.count() + 1
    amendment = Amendment.objects.create(
        convention=convention, number=number, title=title, effective_on=effective_on
    )
    history_record(
        actor=actor, action="amendment_proposed", subject=amendment, message=str(amendment)
    )
    return amendment


@transaction.atomic
def amendment_approve(
    *,
    amendment: Amendment,
    membership: Membership,
    deliberation: str,
    approved_on: date,
    actor: Any = None,
) -> AmendmentApproval:
    _refuse_if_not_current(membership)
    if amendment.state != Amendment.State.PROPOSED:
        raise ConventionRuleError(
            rule="Art. 11", code="amendment_closed", message=_("Cet avenant est déjà adopté.")
        )
    if not deliberation.strip():
        raise ConventionRuleError(
            rule="Art. 11",
            code="deliberation_required",
            message=_(
                "L'approbation prend la forme retenue pour adopter la convention : "
                "citez la délibération ou la décision."
            ),
        )
    if AmendmentApproval.objects.filter(amendment=amendment, membership=membership).exists():
        raise ConventionRuleError(
            rule="Art. 11",
            code="already_approved",
            message=_("%(name)s a déjà approuvé cet avenant.")
            % {"name": membership.authority.name},
        )
    approval = AmendmentApproval.objects.create(
        amendment=amendment,
        membership=membership,
        deliberation=deliberation.strip(),
        approved_on=approved_on,
    )
    history_record(
        actor=actor,
        action="amendment_approved",
        subject=amendment,
        message=_("Approbation de %(name)s") % {"name": membership.authority.name},
    )
    return approval


@transaction.atomic
def amendment_adopt(
    *, amendment: Amendment, adopted_on: date | None = None, actor: Any = None
) -> Amendment:
    """Art. 11: approved by all the members, and not retroactive on the day it is adopted."""
    adopted_on = adopted_on or timezone.localdate()
    if amendment.state != Amendment.State.PROPOSED:
        raise ConventionRuleError(
            rule="Art. 11", code="amendment_closed", message=_("Cet avenant est déjà adopté.")
        )
    members = current_memberships(amendment.convention)
    approved = set(amendment.approvals.values_list("membership_id", flat=True))
    missing = _missing(members, approved)
    if missing:
        raise ConventionRuleError(
            rule="Art. 11",
            code="amendment_not_unanimous",
            message=_(
                "Avenant non adopté : il doit être approuvé par l'ensemble des membres. "
                "Approbations manquantes : %(missing)s."
            )
            % {"missing": missing},
        )
    _refuse_retroactive(amendment.effective_on, adopted_on)
    amendment.state = Amendment.State.ADOPTED
    amendment.adopted_on = adopted_on
    amendment.save(update_fields=["state", "adopted_on", "updated_at"])
    history_record(
        actor=actor, action="amendment_adopted", subject=amendment, message=str(amendment)
    )
    return amendment


@transaction.atomic
def agreement_create(
    *,
    convention: Convention,
    reference: str,
    title: str,
    contractor: str,
    actor: Any = None,
) -> FrameworkAgreement:
    agreement = FrameworkAgreement.objects.create(
        convention=convention, reference=reference, title=title, contractor=contractor
    )
    history_record(
        actor=actor, action="agreement_created", subject=agreement, message=str(agreement)
    )
    return agreement


@transaction.atomic
def agreement_notify(
    *, agreement: FrameworkAgreement, notified_on: date, actor: Any = None
) -> FrameworkAgreement:
    """Art. 2 and 4: four years from notification, within the convention's validity."""
    convention = agreement.convention
    if agreement.state != FrameworkAgreement.State.DRAFT:
        raise ConventionRuleError(
            rule="Art. 6",
            code="agreement_already_notified",
            message=_("Cet accord-cadre est déjà notifié."),
        )
    if notified_on < convention.notified_on:
        raise ConventionRuleError(
            rule="Art. 4",
            code="convention_not_in_force",
            message=_("La convention n'est en vigueur qu'à partir du %(day)s.")
            % {"day": _d(convention.notified_on)},
        )
    agreement.notified_on = notified_on
    ends_on = agreement.ends_on
    assert ends_on is not None
    if ends_on > convention.latest_end_on:
        raise ConventionRuleError(
            rule="Art. 4",
            code="agreement_outlives_convention",
            message=_(
                "L'accord-cadre (4 ans, jusqu'au %(end)s) dépasserait la fin de la convention "
                "au plus tard le %(latest)s : renouvelez d'abord la convention."
            )
            % {"end": _d(ends_on), "latest": _d(convention.latest_end_on)},
        )
    agreement.state = FrameworkAgreement.State.ACTIVE
    agreement.save(update_fields=["state", "notified_on", "updated_at"])
    history_record(
        actor=actor,
        action="agreement_notified",
        subject=agreement,
        message=_("Notifié le %(day)s, jusqu'au %(end)s")
        % {"day": _d(notified_on), "end": _d(ends_on)},
    )
    return agreement


@transaction.atomic
def agreement_terminate(
    *, agreement: FrameworkAgreement, terminated_on: date, actor: Any = None
) -> FrameworkAgreement:
    """Art. 6: the coordinator terminates only after the express agreement of all members."""
    if agreement.state != FrameworkAgreement.State.ACTIVE:
        raise ConventionRuleError(
            rule="Art. 6",
            code="agreement_not_active",
            message=_("Seul un accord-cadre notifié peut être résilié."),
        )
    members = current_memberships(agreement.convention)
    decided = set(
        MemberDecision.objects.filter(
            kind=MemberDecision.Kind.TERMINATION, agreement=agreement
        ).values_list("decided_by_id", flat=True)
    )
    missing = _missing(members, decided)
    if missing:
        raise ConventionRuleError(
            rule="Art. 6",
            code="termination_not_unanimous",
            message=_(
                "Résiliation refusée : elle exige l'accord exprès de l'ensemble des membres. "
                "Accords manquants : %(missing)s."
            )
            % {"missing": missing},
        )
    agreement.state = FrameworkAgreement.State.TERMINATED
    agreement.terminated_on = terminated_on
    agreement.save(update_fields=["state", "terminated_on", "updated_at"])
    history_record(
        actor=actor,
        action="agreement_terminated",
        subject=agreement,
        message=_("Résilié le %(day)s") % {"day": _d(terminated_on)},
    )
    return agreement
