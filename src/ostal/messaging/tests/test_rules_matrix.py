"""The communication rules matrix: every sender persona × every kind of target, through the
compose page and through the API. An allowed send delivers to the target; a refused one
names the rule (or the broadcast restriction), delivers nothing and keeps a draft."""

from __future__ import annotations

import html
from typing import Any

import pytest

from ostal.messaging import rules_engine
from ostal.messaging.models import Delivery, Message

pytestmark = pytest.mark.django_db

TARGETS = ["pupil", "parent", "teacher", "staff", "direction", "class", "parents_of_class",
           "teachers_of_class", "all_staff"]  # fmt: skip

# ✓ = may write. Pupils: their class's teachers and the vie scolaire; parents: their
# children's teachers, direction and vie scolaire; staff: everybody of their school;
# collectivité staff: the direction only; nobody writes across schools (no cité here).
MATRIX: dict[str, str] = {
    #                pupil parent teacher staff direction class pclass tclass allstaff
    "pupil":         "✗✗✓✓✗✗✗✗✗",
    "parent":        "✗✗✓✓✓✗✗✗✗",
    "teacher":       "✓✓✓✓✓✓✓✓✓",
    "cpe":           "✓✓✓✓✓✓✓✓✓",
    "admin":         "✓✓✓✓✓✓✓✓✓",
    "other_teacher": "✗✗✗✗✗✗✗✗✗",
    "agent":         "✗✗✗✗✓✗✗✗✗",
}  # fmt: skip
CASES = [
    (sender, target, row[i] == "✓")
    for sender, row in MATRIX.items()
    for i, target in enumerate(TARGETS)
]


def _target(mw: Any, name: str) -> tuple[str, int]:
    """The target key and the id of one person it must reach."""
    w = mw.world
    return {
        "pupil": (f"p:{w.other_pupil.pk}", w.other_pupil.pk),
        "parent": (f"p:{w.other_parent.pk}", w.other_parent.pk),
        "teacher": (f"p:{mw.colleague.pk}", mw.colleague.pk),
        "staff": (f"p:{mw.supervisor.pk}", mw.supervisor.pk),
        "direction": (f"p:{mw.deputy.pk}", mw.deputy.pk),
        "class": (f"c:{w.class_4b.pk}", w.other_pupil.pk),
        "parents_of_class": (f"pc:{w.class_4b.pk}", w.other_parent.pk),
        "teachers_of_class": (f"tc:{w.class_4b.pk}", mw.colleague.pk),
        "all_staff": (f"s:{w.college.pk}", mw.supervisor.pk),
    }[name]


def _refusal_named(text: str) -> bool:
    return any(
        marker in text
        for marker in ("la règle « ", "réservés aux personnels", "ne vous est pas ouverte",
                       "personnels de collectivité")
    )  # fmt: skip


@pytest.mark.parametrize(("sender", "target", "allowed"), CASES)
def test_matrix_through_the_page(mw, login, sender, target, allowed) -> None:
    """The compose page sends to an allowed target, and refuses a forbidden one naming the rule."""
    person = mw.persona(sender)
    key, reached = _target(mw, target)
    client = login(person)
    response = client.post(
        "/messagerie/ecrire/",
        {"targets": [key], "subject": "Bonjour", "body": "<p>Un mot</p>", "action": "send"},
    )
    if allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        message = Message.objects.get(author=person, sent_at__isnull=False)
        assert Delivery.objects.filter(message=message, recipient_id=reached).exists()
    else:
        assert response.status_code == 400
        text = html.unescape(response.content.decode())
        assert "Le message n'a pas été envoyé." in text
        assert _refusal_named(text), text[:3000]
        assert not Delivery.objects.exists()
        assert not Message.objects.filter(sent_at__isnull=False).exists()
        draft = Message.objects.get(author=person, sent_at__isnull=True)
        assert draft.draft_targets == [key]


@pytest.mark.parametrize(("sender", "target", "allowed"), CASES)
def test_matrix_through_the_api(mw, bearer, sender, target, allowed) -> None:
    """The API sends to an allowed target, and answers 400 naming the rule for a forbidden one."""
    person = mw.persona(sender)
    key, reached = _target(mw, target)
    response = bearer(person).post(
        "/api/v1/messages/envoyer/",
        {"recipients": [key], "subject": "Bonjour", "body": "Un mot"},
        content_type="application/json",
    )
    if allowed:
        assert response.status_code == 201, response.content
        assert Delivery.objects.filter(
            message_id=response.json()["id"], recipient_id=reached
        ).exists()
    else:
        assert response.status_code == 400, response.content
        fields = response.json()["error"]["fields"]
        assert _refusal_named(" ".join(fields["recipients"])), fields
        assert not Delivery.objects.exists()
        assert Message.objects.get(author=person).is_draft
        assert fields["draft"] == [str(Message.objects.get(author=person).pk)]


PERSON_TARGETS = ["pupil", "parent", "teacher", "staff", "direction"]
SEARCH_CASES = [
    (sender, target, MATRIX[sender][TARGETS.index(target)] == "✓")
    for sender in MATRIX
    for target in PERSON_TARGETS
]


@pytest.mark.parametrize(("sender", "target", "allowed"), SEARCH_CASES)
def test_recipient_search_finds_only_allowed_people(
    mw, bearer, login, sender, target, allowed
) -> None:
    """Recipient search (API and page) finds a person exactly when the rules allow writing to them."""
    person = mw.persona(sender)
    _key, reached = _target(mw, target)
    from ostal.directory.models import Person

    last_name = Person.objects.get(pk=reached).first_name
    found = (
        bearer(person).get("/api/v1/messages/destinataires/", {"q": last_name}).json()["results"]
    )
    assert (reached in [r["id"] for r in found]) is allowed
    page = login(person).post("/messagerie/ecrire/", {"query": last_name, "action": "search"})
    assert (f'value="p:{reached}"' in page.content.decode()) is allowed
    assert (rules_engine.may_write(person, Person.objects.get(pk=reached)) is not None) is allowed


def test_cite_scolaire_staff_reach_the_other_school(mw) -> None:
    """In a cité scolaire, a teacher of the lycée may write to pupils of the collège."""
    w = mw.world
    assert rules_engine.may_write(w.other_teacher, w.pupil) is None
    w.lycee.cite_scolaire_head = w.college
    w.lycee.save()
    grant = rules_engine.may_write(w.other_teacher, w.pupil)
    assert grant is not None and grant.school == w.lycee


def test_parent_reaches_own_children_only(mw) -> None:
    """A parent may write to their own children, not to their classmates."""
    w = mw.world
    assert rules_engine.may_write(w.parent, w.pupil) is not None
    assert rules_engine.may_write(w.parent, w.sibling) is not None
    assert rules_engine.may_write(w.parent, w.other_pupil) is None


def test_large_recipient_sets_are_checked_the_same_way(mw, monkeypatch) -> None:
    """The broadcast path of the send check (ids matched in Python) gives the same answers."""
    w = mw.world
    monkeypatch.setattr(rules_engine, "SMALL_SET", 0)
    assert rules_engine.may_write(w.pupil, mw.colleague) is not None
    assert rules_engine.may_write(w.pupil, w.other_parent) is None
    allowed = rules_engine.allowed_recipients(
        w.teacher, [w.pupil.pk, w.other_parent.pk, w.sibling.pk]
    )
    assert set(allowed) == {w.pupil.pk, w.other_parent.pk}
