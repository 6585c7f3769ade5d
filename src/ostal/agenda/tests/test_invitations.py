"""Invitations to a personal event: only to people the messaging rules let the inviter
write to (the same engine), all or none; the invited answer accept, decline or maybe."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ostal.agenda import services
from ostal.agenda.models import Calendar, Event, Invitation
from ostal.agenda.selectors import occurrences_for
from ostal.conftest import World


@pytest.fixture
def meeting(world: World, add_event: Any) -> Event:
    personal = services.calendar_ensure(kind=Calendar.Kind.PERSONAL, target=world.teacher)
    return add_event(world.teacher, personal, title="Préparer le conseil de classe")


def test_invite_a_reachable_colleague_who_then_sees_and_answers(
    world: World, meeting: Event, login: Any
) -> None:
    """The teacher invites the principal (staff may write to their school's staff); the
    principal sees the event in their agenda, answers « peut-être », and the teacher sees
    the answer next to the principal's name."""
    client = login(world.teacher)
    response = client.post(
        reverse("agenda:invite", args=[meeting.pk]), {"people": [world.admin.pk]}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(event=meeting)
    assert (invitation.person, invitation.answer) == (world.admin, Invitation.Answer.PENDING)

    seen = occurrences_for(user=world.admin, start=date(2026, 11, 25), end=date(2026, 11, 25))
    assert [(o.event.pk, o.invitation.pk) for o in seen] == [(meeting.pk, invitation.pk)]

    client = login(world.admin)
    page = client.get(reverse("agenda:week"))
    assert "1 invitation sans réponse" in page.content.decode()
    answered = client.post(reverse("agenda:answer", args=[meeting.pk]), {"answer": "maybe"})
    assert answered.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.MAYBE
    assert invitation.answered_at is not None

    page = login(world.teacher).get(reverse("agenda:event", args=[meeting.pk])).content.decode()
    assert "Hélène Iglesias : peut-être" in page


def test_inviting_someone_out_of_reach_invites_nobody(world: World, meeting: Event) -> None:
    """Inviting the principal and a teacher of another school (no rule allows writing to
    them) is refused as a whole, naming the refused person by id only."""
    with pytest.raises(ValidationError) as refused:
        services.invitation_send(
            actor=world.teacher, event=meeting, people=[world.admin.pk, world.other_teacher.pk]
        )
    assert f"destinataire n° {world.other_teacher.pk}" in refused.value.messages[0]
    assert "Henry" not in refused.value.messages[0]
    assert not Invitation.objects.exists()


def test_invite_page_refuses_out_of_reach_with_a_french_error(
    world: World, meeting: Event, login: Any
) -> None:
    """The page answers 422 with the rule's refusal, and stores nothing."""
    response = login(world.teacher).post(
        reverse("agenda:invite", args=[meeting.pk]), {"people": [world.other_teacher.pk]}
    )
    assert response.status_code == 422
    assert "règles de communication" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_search_finds_only_reachable_people(
    world: World, meeting: Event, login: Any
) -> None:
    """The search of the invite page is the messaging recipient search: the principal is
    found, the other school's teacher is not."""
    client = login(world.teacher)
    found = client.get(reverse("agenda:invite", args=[meeting.pk]), {"q": "Iglesias"})
    assert "Hélène Iglesias" in found.content.decode()
    missing = client.get(reverse("agenda:invite", args=[meeting.pk]), {"q": "Henry"})
    assert "Gilles Henry" not in missing.content.decode()


def test_only_the_owner_invites_and_only_the_invited_answers(
    world: World, meeting: Event, login: Any
) -> None:
    """Someone else's event cannot be used to invite (404), and a person not invited
    cannot answer (404); an unknown answer is refused in French."""
    assert (
        login(world.admin)
        .post(reverse("agenda:invite", args=[meeting.pk]), {"people": [world.admin.pk]})
        .status_code
        == 404
    )
    assert (
        login(world.admin).post(reverse("agenda:answer", args=[meeting.pk]), {"answer": "accepted"})
    ).status_code == 404
    invitation = services.invitation_send(
        actor=world.teacher, event=meeting, people=[world.admin.pk]
    )[0]
    with pytest.raises(ValidationError, match="Réponse inconnue"):
        services.invitation_answer(invitation=invitation, person=world.admin, answer="oui")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.PENDING


def test_no_invitations_on_a_class_calendar(world: World, add_event: Any) -> None:
    """Invitations exist only on personal events."""
    class_cal = services.calendar_ensure(kind=Calendar.Kind.CLASS, target=world.class_4b)
    event = add_event(world.teacher, class_cal)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invitation_send(actor=world.teacher, event=event, people=[world.admin.pk])
