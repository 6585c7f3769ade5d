"""Article 6: the analysis of offers — 15 calendar days from receipt for the members'
observations, then 15 days for the coordinator to validate; reminders before deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ostal.pilotage import services
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import Consultation, ConsultationReceipt


def _open(groupement, sent_at):
    return services.consultation_open(
        convention=groupement.convention,
        title="Analyse des offres lot 1",
        sent_at=sent_at,
        actor=groupement.coordinator,
    )


def test_members_have_fifteen_calendar_days_from_receipt_counted_in_paris(groupement):
    """Art. 6: 15 calendar days from receipt; a receipt at 00:30 Paris time (still the
    previous day in UTC) counts from the Paris day."""
    sent = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # 2 March, 00:30 in Paris
    assert services.observation_deadline(sent) == date(2026, 3, 17)
    summer = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 1 July, 00:30 in Paris (UTC+2)
    assert services.observation_deadline(summer) == date(2026, 7, 16)


def test_the_analysis_goes_to_every_other_member_with_its_deadline(groupement):
    """Art. 6: the coordinator sends the analysis to the other members (15 receipts)."""
    consultation = _open(groupement, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    receipts = consultation.receipts.all()
    assert receipts.count() == 15
    assert {r.deadline for r in receipts} == {date(2026, 3, 16)}
    assert services.validation_deadline(consultation) == date(2026, 3, 31)


def test_only_the_coordinator_runs_the_analysis(groupement):
    """Art. 6: the coordinator coordinates the analysis; a member cannot open one."""
    with pytest.raises(ConventionRuleError) as refusal:
        services.consultation_open(
            convention=groupement.convention,
            title="x",
            sent_at=datetime(2026, 3, 1, tzinfo=UTC),
            actor=groupement.member_staff,
        )
    assert refusal.value.code == "coordinator_only"
    assert not Consultation.objects.exists()


def test_late_observations_are_kept_and_flagged(groupement):
    """Art. 6: observations after the 15 days are recorded but flagged late."""
    consultation = _open(groupement, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    receipt = consultation.receipts.get(membership__authority=groupement.herault)
    on_time = services.observation_submit(
        receipt=receipt,
        text="RAS",
        actor=groupement.member_staff,
        now=datetime(2026, 3, 16, 22, 0, tzinfo=UTC),
    )
    assert not on_time.is_late  # 23:00 in Paris on the 16th: still in time
    late = services.observation_submit(
        receipt=receipt,
        text="Complément",
        actor=groupement.member_staff,
        now=datetime(2026, 3, 16, 23, 30, tzinfo=UTC),
    )
    assert late.is_late  # 00:30 in Paris on the 17th


def test_a_member_sends_only_its_own_observations(groupement):
    """Art. 7: each member makes its own observations known."""
    consultation = _open(groupement, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    receipt = consultation.receipts.get(membership__authority=groupement.herault)
    with pytest.raises(ConventionRuleError):
        services.observation_submit(receipt=receipt, text="x", actor=groupement.other_member_staff)
    assert not receipt.observations.exists()


def test_the_coordinator_validates_after_the_members_period_and_is_flagged_late_after_fifteen_days(
    groupement,
):
    """Art. 6: validation comes at the end of the members' period, within 15 days after it."""
    consultation = _open(groupement, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    with pytest.raises(ConventionRuleError) as refusal:
        services.consultation_validate(
            consultation=consultation,
            actor=groupement.coordinator,
            now=datetime(2026, 3, 10, tzinfo=UTC),
        )
    assert refusal.value.code == "observation_period_running"
    services.consultation_validate(
        consultation=consultation,
        actor=groupement.coordinator,
        now=datetime(2026, 4, 2, 10, tzinfo=UTC),
    )
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.VALIDATED
    assert consultation.validated_late  # after 31 March


def test_reminders_go_to_members_whose_deadline_is_near_once_a_day(
    groupement, mailoutbox, settings
):
    """Members who have not answered are reminded from 3 days before their deadline, once a day;
    those who answered are not."""
    settings.PILOTAGE_REMINDER_DAYS = 3
    consultation = _open(groupement, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    aveyron = consultation.receipts.get(membership__authority=groupement.aveyron)
    services.observation_submit(receipt=aveyron, text="Vu", actor=groupement.other_member_staff)
    assert services.consultation_reminders_send(today=date(2026, 3, 10)) == 0
    sent = services.consultation_reminders_send(today=date(2026, 3, 14))
    assert sent == 1  # only Hérault has staff with an e-mail and has not answered
    assert mailoutbox[0].to == ["agent@example.org"]
    assert "16/03/2026" in mailoutbox[0].subject
    assert services.consultation_reminders_send(today=date(2026, 3, 14)) == 0
    herault = ConsultationReceipt.objects.get(
        consultation=consultation, membership__authority=groupement.herault
    )
    assert herault.last_reminded_on == date(2026, 3, 14)


def test_the_coordinator_is_reminded_of_its_validation_deadline(groupement, mailoutbox):
    """Once the members' period is over, the coordinator is reminded before its 15 days end."""
    consultation = _open(groupement, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    assert services.validation_deadline(consultation) == date(2026, 3, 31)
    services.consultation_reminders_send(today=date(2026, 3, 29))
    assert [m.to for m in mailoutbox] == [["coord@example.org"]]
    assert "31/03/2026" in mailoutbox[0].subject
    assert timedelta(days=15) == date(2026, 3, 31) - date(2026, 3, 16)
