"""Offer analysis (art. 6): the coordinator sends its analysis to the other members, who
have at most 15 calendar days *from receipt* to send their observations; at the end of
that period the coordinator has 15 days to validate the finalised analysis.

Days are counted in Europe/Paris: a receipt at 23:30 Paris time on 1 March counts from
1 March, whatever the UTC date. The deadline is the whole 15th day after the day of
receipt (receipt on 1 March → observations until 16 March, 23:59 Paris time). Late
observations are kept and flagged, never refused: the coordinator decides what to do.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ostal.pilotage.abilities import is_coordinator_staff, is_staff_of_member
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import (
    OBSERVATION_DAYS,
    VALIDATION_DAYS,
    Consultation,
    ConsultationReceipt,
    Convention,
    Observation,
    PilotageRole,
)
from ostal.pilotage.services.convention import current_memberships
from ostal.pilotage.services.history import history_record


def paris_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def observation_deadline(received_at: datetime) -> date:
    """15 calendar days from receipt, counted from the Paris day of receipt."""
    return paris_day(received_at) + timedelta(days=OBSERVATION_DAYS)


def validation_deadline(consultation: Consultation) -> date:
    """15 days for the coordinator after the members' period has run out."""
    deadlines = [r.deadline for r in consultation.receipts.all()]
    end = max(deadlines) if deadlines else paris_day(consultation.sent_at)
    return end + timedelta(days=VALIDATION_DAYS)


def _refuse_unless_coordinator(actor: Any) -> None:
    if not is_coordinator_staff(actor):
        raise ConventionRuleError(
            rule="Art. 6",
            code="coordinator_only",
            message=_("Seul le coordonnateur conduit l'analyse des offres."),
        )


@transaction.atomic
def consultation_open(
    *, convention: Convention, title: str, sent_at: datetime, actor: Any
) -> Consultation:
    _refuse_unless_coordinator(actor)
    consultation = Consultation.objects.create(convention=convention, title=title, sent_at=sent_at)
    for membership in current_memberships(convention):
        if membership.authority_id == convention.coordinator_id:
            continue
        ConsultationReceipt.objects.create(
            consultation=consultation,
            membership=membership,
            received_at=sent_at,
            deadline=observation_deadline(sent_at),
        )
    history_record(
        actor=actor, action="consultation_opened", subject=consultation, message=consultation.title
    )
    return consultation


@transaction.atomic
def receipt_acknowledge(
    *, receipt: ConsultationReceipt, received_at: datetime, actor: Any
) -> ConsultationReceipt:
    """Record when a member actually received the analysis (its 15 days run from then)."""
    if not (is_coordinator_staff(actor) or is_staff_of_member(actor, receipt.membership.authority)):
        raise ConventionRuleError(
            rule="Art. 6",
            code="not_your_receipt",
            message=_("Seul le membre destinataire ou le coordonnateur enregistre la réception."),
        )
    if received_at < receipt.consultation.sent_at:
        raise ConventionRuleError(
            rule="Art. 6",
            code="received_before_sent",
            message=_("La réception ne peut pas précéder l'envoi des éléments d'analyse."),
        )
    receipt.received_at = received_at
    receipt.deadline = observation_deadline(received_at)
    receipt.save(update_fields=["received_at", "deadline"])
    history_record(
        actor=actor,
        action="receipt_acknowledged",
        subject=receipt.consultation,
        message=_("%(name)s : reçu le %(day)s, observations jusqu'au %(deadline)s")
        % {
            "name": receipt.membership.authority.name,
            "day": date_format(paris_day(received_at), "d/m/Y"),
            "deadline": date_format(receipt.deadline, "d/m/Y"),
        },
    )
    return receipt


@transaction.atomic
def observation_submit(
    *, receipt: ConsultationReceipt, text: str, actor: Any, now: datetime | None = None
) -> Observation:
    """A member sends its observations; after its deadline they are flagged late."""
    if not is_staff_of_member(actor, receipt.membership.authority):
        raise ConventionRuleError(
            rule="Art. 7",
            code="not_your_observation",
            message=_("Chaque membre fait connaître ses propres observations."),
        )
    if receipt.consultation.state != Consultation.State.OPEN:
        raise ConventionRuleError(
            rule="Art. 6",
            code="consultation_closed",
            message=_("L'analyse est déjà validée par le coordonnateur."),
        )
    if not text.strip():
        raise ConventionRuleError(
            rule="Art. 6", code="empty_observation", message=_("Les observations sont vides.")
        )
    now = now or timezone.now()
    late = paris_day(now) > receipt.deadline
    observation = Observation.objects.create(
        receipt=receipt,
        text=text.strip(),
        submitted_by=actor if getattr(actor, "pk", None) else None,
        is_late=late,
    )
    observation.submitted_at = now
    observation.save(update_fields=["submitted_at"])
    history_record(
        actor=actor,
        action="observation_late" if late else "observation_sent",
        subject=receipt.consultation,
        message=_("Observations de %(name)s%(late)s")
        % {
            "name": receipt.membership.authority.name,
            "late": _(" (hors délai)") if late else "",
        },
    )
    return observation


@transaction.atomic
def consultation_validate(
    *, consultation: Consultation, actor: Any, now: datetime | None = None
) -> Consultation:
    """Art. 6: the coordinator validates once the members' period has run out (or every
    member has answered); past its own 15 days the validation is flagged late."""
    _refuse_unless_coordinator(actor)
    if consultation.state != Consultation.State.OPEN:
        raise ConventionRuleError(
            rule="Art. 6", code="consultation_closed", message=_("L'analyse est déjà validée.")
        )
    now = now or timezone.now()
    today = paris_day(now)
    receipts = list(consultation.receipts.select_related("membership__authority"))
    answered = set(
        Observation.objects.filter(receipt__in=receipts).values_list("receipt_id", flat=True)
    )
    waiting = [r for r in receipts if r.pk not in answered and today <= r.deadline]
    if waiting:
        raise ConventionRuleError(
            rule="Art. 6",
            code="observation_period_running",
            message=_(
                "Validation prématurée : les membres disposent de 15 jours calendaires à "
                "compter de la réception. En attente : %(names)s."
            )
            % {
                "names": ", ".join(
                    f"{r.membership.authority.name} ({date_format(r.deadline, 'd/m/Y')})"
                    for r in waiting
                )
            },
        )
    consultation.state = Consultation.State.VALIDATED
    consultation.validated_at = now
    consultation.validated_late = today > validation_deadline(consultation)
    consultation.save(update_fields=["state", "validated_at", "validated_late", "updated_at"])
    history_record(
        actor=actor,
        action="consultation_validated",
        subject=consultation,
        message=_("Analyse validée%(late)s")
        % {"late": _(" hors délai") if consultation.validated_late else ""},
    )
    return consultation


def _emails_of(authority_id: int, role: str) -> list[str]:
    return sorted(
        set(
            PilotageRole.objects.filter(authority_id=authority_id, role=role)
            .exclude(person__email="")
            .values_list("person__email", flat=True)
        )
    )


def consultation_reminders_send(*, today: date | None = None) -> int:
    """Remind members whose deadline is near (``PILOTAGE_REMINDER_DAYS`` days or less) and
    the coordinator whose validation deadline is near; at most one reminder a day each.
    Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    window = timedelta(days=settings.PILOTAGE_REMINDER_DAYS)
    sent = 0
    open_consultations = Consultation.objects.filter(state=Consultation.State.OPEN).select_related(
        "convention"
    )
    for consultation in open_consultations:
        receipts = list(
            consultation.receipts.select_related("membership__authority").prefetch_related(
                "observations"
            )
        )
        for receipt in receipts:
            if receipt.observations.all() or receipt.last_reminded_on == today:
                continue
            if not (today <= receipt.deadline <= today + window):
                continue
            recipients = _emails_of(receipt.membership.authority_id, PilotageRole.Role.MEMBER)
            if not recipients:
                continue
            send_mail(
                _("Analyse des offres : observations attendues avant le %(day)s")
                % {"day": date_format(receipt.deadline, "d/m/Y")},
                _(
                    "« %(title)s » : %(name)s dispose jusqu'au %(day)s (15 jours calendaires à "
                    "compter de la réception, article 6 de la convention) pour faire connaître "
                    "ses observations au coordonnateur."
                )
                % {
                    "title": consultation.title,
                    "name": receipt.membership.authority.name,
                    "day": date_format(receipt.deadline, "d/m/Y"),
                },
                None,
                recipients,
            )
            with transaction.atomic():
                ConsultationReceipt.objects.filter(pk=receipt.pk).update(last_reminded_on=today)
            sent += 1
        members_done = all(today > r.deadline or r.observations.all() for r in receipts)
        due = validation_deadline(consultation)
        if members_done and today <= due <= today + window:
            recipients = _emails_of(
                consultation.convention.coordinator_id, PilotageRole.Role.COORDINATOR
            )
            if recipients:
                send_mail(
                    _("Analyse des offres : validation attendue avant le %(day)s")
                    % {"day": date_format(due, "d/m/Y")},
                    _(
                        "« %(title)s » : le délai des membres est écoulé ; le coordonnateur "
                        "dispose jusqu'au %(day)s pour valider l'analyse finalisée (article 6)."
                    )
                    % {"title": consultation.title, "day": date_format(due, "d/m/Y")},
                    None,
                    recipients,
                )
                sent += 1
    return sent
