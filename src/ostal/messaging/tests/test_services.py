"""Sending, replying, drafts, mailboxes, reports, recalls, rate limits and the freeze switch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostal.core.models import SecurityEvent
from ostal.directory.models import AuthorityRole
from ostal.messaging import services
from ostal.messaging.models import Delivery, Freeze, Message

pytestmark = pytest.mark.django_db


def _send(sender, person, subject="Bonjour", **kw):
    return services.message_send(
        sender=sender, targets=[f"p:{person.pk}"], subject=subject, body="<p>Texte</p>", **kw
    )


def test_body_is_sanitized_and_delivery_unread(mw) -> None:
    """A sent body loses scripts; the recipient's copy is unread in their inbox."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="Devoir",
        body="<p>Lire <script>alert(1)</script>le chapitre</p>",
    )  # fmt: skip
    assert message.body == "<p>Lire le chapitre</p>"
    delivery = Delivery.objects.get(message=message)
    assert delivery.recipient == w.pupil and delivery.read_at is None and delivery.box == "inbox"


def test_reading_marks_read_and_unread_counter_drops(mw, login) -> None:
    """Opening a message marks it read; the header counter shows the unread count."""
    w = mw.world
    message = _send(w.teacher, w.pupil)
    client = login(w.pupil)
    inbox = client.get("/messagerie/").content.decode()
    assert "1 message non lu" in inbox
    page = client.get(f"/messagerie/message/{message.pk}/")
    assert page.status_code == 200 and "Texte" in page.content.decode()
    assert Delivery.objects.get(message=message).read_at is not None
    assert "1 message non lu" not in client.get("/messagerie/").content.decode()


def test_stranger_cannot_open_a_message(mw, login) -> None:
    """A message is visible to its author and recipients only (404 for others)."""
    w = mw.world
    message = _send(w.teacher, w.pupil)
    assert login(w.other_pupil).get(f"/messagerie/message/{message.pk}/").status_code == 404


def test_parent_message_says_which_child(mw, login) -> None:
    """A parent's message about one of their children shows that child to the teacher."""
    w = mw.world
    message = _send(w.parent, w.teacher, about_pupil=w.pupil)
    assert message.about_pupil == w.pupil
    inbox = login(w.teacher).get("/messagerie/").content.decode()
    assert "Alice Durand" in inbox
    with pytest.raises(services.SendRefused, match="l'un de vos enfants"):
        _send(w.parent, w.teacher, about_pupil=w.other_pupil)


def test_reply_reaches_an_author_the_rules_do_not(mw) -> None:
    """Replying to a message received is allowed towards its author (collectivité agent)."""
    w = mw.world
    question = _send(w.agent, w.admin, subject="Travaux")
    with pytest.raises(services.SendRefused):
        _send(w.admin, w.agent)
    reply = _send(w.admin, w.agent, subject="RE : Travaux", reply_to=question)
    assert reply.thread == question and reply.parent == question
    assert Delivery.objects.filter(message=reply, recipient=w.agent).exists()


def test_no_reply_broadcast_refuses_replies(mw) -> None:
    """A no-reply message cannot be answered; only staff may send one."""
    w = mw.world
    notice = _send(w.teacher, w.pupil, no_reply=True)
    with pytest.raises(services.SendRefused, match="n'accepte pas de réponse"):
        _send(w.pupil, w.teacher, reply_to=notice)
    with pytest.raises(services.SendRefused, match="Seuls les personnels"):
        _send(w.parent, w.teacher, no_reply=True)


def test_broadcast_of_many_people_is_staff_only(mw, settings) -> None:
    """More recipients than the threshold is a broadcast, refused to a parent."""
    w = mw.world
    settings.MESSAGING_BROADCAST_THRESHOLD = 1
    with pytest.raises(services.SendRefused, match="réservés aux personnels"):
        services.message_send(
            sender=w.parent, targets=[f"p:{w.teacher.pk}", f"p:{mw.cpe.pk}"], subject="x", body="y"
        )
    message = services.message_send(
        sender=w.teacher,
        targets=[f"p:{w.pupil.pk}", f"p:{w.other_pupil.pk}"],
        subject="x",
        body="y",
    )
    assert message.is_broadcast


def test_rate_limit_refuses_keeps_draft_and_alerts_admin_once(mw, settings) -> None:
    """Beyond the hourly limit a send is refused (draft kept), logged, and admins alerted once."""
    w = mw.world
    settings.MESSAGING_MAX_PER_HOUR = 2
    _send(w.parent, w.teacher)
    _send(w.parent, w.teacher)
    for _ in range(2):
        with pytest.raises(services.SendRefused, match="limite est atteinte") as refused:
            _send(w.parent, w.teacher, subject="Encore")
        assert refused.value.draft is not None and refused.value.draft.subject == "Encore"
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.MESSAGING_RATE_LIMITED, actor=w.parent
        ).count()
        == 2
    )
    alerts = Delivery.objects.filter(
        recipient=w.admin, message__subject__startswith="Envois limités"
    )
    assert alerts.count() == 1
    assert Message.objects.filter(author=w.parent, sent_at__isnull=False).count() == 2


def test_report_logs_and_alerts_the_admins(mw, login) -> None:
    """A recipient reports a message: an event, and an alert in the school admins' inbox."""
    w = mw.world
    message = _send(w.teacher, w.pupil)
    response = login(w.pupil).post(
        f"/messagerie/message/{message.pk}/signaler/", {"reason": "insultant"}
    )
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.MESSAGE_REPORTED, actor=w.pupil
    ).exists()
    assert Delivery.objects.filter(
        recipient=w.admin, message__subject__startswith="Message signalé"
    ).exists()
    assert (
        login(w.other_pupil).post(f"/messagerie/message/{message.pk}/signaler/").status_code == 404
    )


def test_admin_recalls_a_broadcast(mw, login) -> None:
    """An admin recalls a class broadcast: it leaves every inbox, with an event; a teacher cannot."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"c:{w.class_4b.pk}"], subject="Sortie", body="x"
    )
    assert message.is_broadcast and message.recipient_count == 2
    assert login(w.teacher).post(f"/messagerie/message/{message.pk}/rappeler/").status_code == 404
    assert login(w.other_admin).get(f"/messagerie/message/{message.pk}/").status_code == 404
    assert (
        "Rappeler cette diffusion"
        in login(w.admin).get(f"/messagerie/message/{message.pk}/").content.decode()
    )
    with pytest.raises(services.PermissionDenied):
        services.broadcast_recall(admin=w.other_admin, message=message)
    assert login(w.admin).post(f"/messagerie/message/{message.pk}/rappeler/").status_code == 302
    assert Delivery.objects.filter(message=message, hidden=True).count() == 2
    assert not login(w.pupil).get("/messagerie/").content.decode().count("Sortie")
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.MESSAGE_RECALLED).exists()


def test_trash_restore_and_folders(mw, login) -> None:
    """A message goes to the trash and back, and into an own folder."""
    w = mw.world
    message = _send(w.teacher, w.pupil, subject="À ranger")
    client = login(w.pupil)
    client.post(f"/messagerie/message/{message.pk}/corbeille/")
    assert "À ranger" not in client.get("/messagerie/").content.decode()
    assert "À ranger" in client.get("/messagerie/corbeille/").content.decode()
    client.post(f"/messagerie/message/{message.pk}/restaurer/")
    client.post("/messagerie/dossiers/", {"name": "Maths"})
    folder = w.pupil.message_folders.get()
    client.post(f"/messagerie/message/{message.pk}/ranger/", {"folder": folder.pk})
    assert "À ranger" in client.get(f"/messagerie/dossiers/{folder.pk}/").content.decode()
    assert "À ranger" not in client.get("/messagerie/").content.decode()


def test_draft_saved_then_sent(mw, login) -> None:
    """A draft is saved from the compose page, reopened, and sent (it becomes the message)."""
    w = mw.world
    client = login(w.pupil)
    client.post(
        "/messagerie/ecrire/",
        {
            "targets": [f"p:{w.teacher.pk}"],
            "subject": "Question",
            "body": "Bonjour",
            "action": "draft",
        },
    )
    draft = Message.objects.get(author=w.pupil)
    assert draft.is_draft and draft.draft_targets == [f"p:{w.teacher.pk}"]
    page = client.get(f"/messagerie/ecrire/?brouillon={draft.pk}").content.decode()
    assert "Franck Garcia" in page and "Question" in page
    response = client.post(
        "/messagerie/ecrire/",
        {"targets": [f"p:{w.teacher.pk}"], "subject": "Question", "body": "Bonjour",
         "action": "send", "draft_id": draft.pk},
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (
        not draft.is_draft and Delivery.objects.filter(message=draft, recipient=w.teacher).exists()
    )


def test_inbox_query_count_is_constant(mw, login) -> None:
    """The inbox page runs the same number of queries with 3 or 30 messages."""
    w = mw.world
    client = login(w.pupil)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/messagerie/").status_code == 200
        return len(ctx.captured_queries)

    client.get("/messagerie/")
    for i in range(3):
        _send(w.teacher, w.pupil, subject=f"M{i}", about_pupil=w.pupil)
    small = count()
    for i in range(27):
        _send(mw.cpe if i % 2 else w.teacher, w.pupil, subject=f"N{i}")
    assert count() == small


def test_freeze_end_to_end(mw, login) -> None:
    """The school admin freezes the school: sends refused with the draft kept, banner shown,
    event written; after the unfreeze, sending works again."""
    w = mw.world
    admin = login(w.admin)
    assert admin.post("/messagerie/gel/", {"scope": f"school-{w.college.pk}", "reason": "Incident",
                                           "action": "freeze"}).status_code == 302  # fmt: skip
    freeze = Freeze.objects.get(lifted_at__isnull=True)
    assert freeze.school == w.college and freeze.frozen_by == w.admin
    pupil = login(w.pupil)
    inbox = pupil.get("/messagerie/").content.decode()
    assert "Messagerie en lecture seule" in inbox and "Incident" in inbox
    response = pupil.post(
        "/messagerie/ecrire/",
        {"targets": [f"p:{w.teacher.pk}"], "subject": "Question", "body": "x", "action": "send"},
    )
    assert response.status_code == 400 and "La messagerie est gelée" in response.content.decode()
    assert not Delivery.objects.exists()
    assert Message.objects.get(author=w.pupil).is_draft
    # The lycée is not frozen.
    assert _send(w.other_teacher, w.sibling).sent_at is not None
    admin = login(w.admin)
    admin.post("/messagerie/gel/", {"freeze": freeze.pk, "action": "unfreeze"})
    assert "Messagerie en lecture seule" not in login(w.pupil).get("/messagerie/").content.decode()
    assert _send(w.pupil, w.teacher).sent_at is not None
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.MESSAGING_FROZEN)
    assert [e.data["frozen"] for e in events.order_by("pk")] == [True, False]


def test_department_freeze_and_who_may_freeze(mw, login) -> None:
    """A département admin freezes its collèges; a teacher has no freeze page; a school
    admin cannot lift a département freeze."""
    w = mw.world
    AuthorityRole.objects.create(person=mw.colleague, authority=w.college.department, is_admin=True)
    assert login(w.teacher).get("/messagerie/gel/").status_code == 404
    freeze = services.messaging_freeze(
        actor=mw.colleague, authority=w.college.department, reason="Audit"
    )
    assert freeze.scope == Freeze.Scope.DEPARTMENT
    with pytest.raises(services.SendRefused, match="gelée"):
        _send(w.teacher, w.pupil)
    assert _send(w.other_teacher, w.sibling).sent_at is not None  # another département
    with pytest.raises(services.PermissionDenied):
        services.messaging_unfreeze(actor=w.admin, freeze=freeze)
    with pytest.raises(services.PermissionDenied):
        services.messaging_freeze(actor=w.teacher, school=w.college, reason="x")


def test_rules_page_edits_rules_with_an_event(mw, login) -> None:
    """A school admin lets pupils write to their classmates; the change is logged; a
    teacher has no rules page."""
    w = mw.world
    assert login(w.teacher).get("/messagerie/regles/").status_code == 404
    admin = login(w.admin)
    page = admin.get("/messagerie/regles/")
    assert page.status_code == 200 and "Règles de communication" in page.content.decode()
    with pytest.raises(services.SendRefused, match="« Élèves → Élèves »"):
        _send(w.pupil, w.other_pupil)
    admin.post("/messagerie/regles/", {"rule-ELV-ELV": "related", "action": "save"})
    assert _send(w.pupil, w.other_pupil).sent_at is not None
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.COMMUNICATION_RULES_CHANGED)
    assert event.data["changes"] == [["ELV", "ELV", "none", "related"]]
    admin.post("/messagerie/regles/", {"action": "reset"})
    with pytest.raises(services.SendRefused):
        _send(w.pupil, w.other_pupil)


def test_trash_purge_deletes_old_trash_only(mw) -> None:
    """The nightly purge deletes copies trashed longer than the delay, and keeps the others."""
    from datetime import timedelta

    from django.utils import timezone

    w = mw.world
    old = _send(w.teacher, w.pupil, subject="Ancien")
    recent = _send(w.teacher, w.pupil, subject="Récent")
    services.message_trash(user=w.pupil, message=old)
    services.message_trash(user=w.pupil, message=recent)
    services.message_trash(user=w.teacher, message=old)
    Delivery.objects.filter(message=old).update(trashed_at=timezone.now() - timedelta(days=40))
    Message.objects.filter(pk=old.pk).update(author_trashed_at=timezone.now() - timedelta(days=40))
    assert services.trash_purge() == 1
    assert not Message.objects.filter(pk=old.pk).exists()
    assert Delivery.objects.filter(message=recent, box="trash").exists()


def test_demo_messages_reach_the_family(mw) -> None:
    """The demo sends a teacher's note about the child, the parent's answer and a no-reply
    broadcast to the class's parents, through the normal send service."""
    from ostal.messaging.demo import messaging_demo

    w = mw.world
    assert messaging_demo(school=w.college, parent=w.parent) == 3
    note = Message.objects.get(subject="Travail en classe")
    assert (
        note.about_pupil == w.pupil
        and Delivery.objects.filter(message=note, recipient=w.parent).exists()
    )
    assert Message.objects.get(subject="Réunion parents-professeurs").no_reply
    assert messaging_demo(school=w.college, parent=w.parent) == 0
