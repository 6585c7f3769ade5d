"""Messages follow the account's RGPD lifecycle: a detached person keeps their mailbox (and
can neither log in nor be written to); an erased person's copies, drafts, folders, reports
and files go, what they wrote stays with its recipients signed « Compte supprimé »; files
leave storage with their rows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ostal.conftest import PASSWORD
from ostal.directory.models import Person
from ostal.feed.services import directory_retention_purge
from ostal.messaging import services
from ostal.messaging.models import Attachment, Delivery, Folder, Message, MessageReport
from ostal.messaging.retention import messages_erase

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _file(attachment: Attachment, media: Path) -> Path:
    return media / attachment.file.name


def _detach(person: Person, days: int) -> None:
    Person.objects.filter(pk=person.pk).update(
        state=Person.State.DETACHED, state_changed_at=timezone.now() - timedelta(days=days)
    )


class Mailbox:
    """Alice's messagerie: a message received with Chloé (filed in her folder, reported),
    one she wrote to M. Garcia (with a file), one he threw away and purged (with a file),
    a draft (with a file), and her mother's message about her."""

    def __init__(self, mw: Any, capture: Any) -> None:
        w = mw.world
        with capture(execute=True):
            self.received = services.message_send(
                sender=w.teacher,
                targets=[f"p:{w.pupil.pk}", f"p:{w.other_pupil.pk}"],
                subject="Sortie",
                body="<p>Jeudi</p>",
            )
            self.folder = services.folder_create(owner=w.pupil, name="Sorties")
            services.delivery_move(
                delivery=Delivery.objects.get(message=self.received, recipient=w.pupil),
                folder=self.folder,
            )
            services.message_report(reporter=w.pupil, message=self.received, reason="test")
            self.written = services.message_send(
                sender=w.pupil,
                targets=[f"p:{w.teacher.pk}"],
                subject="Mon exposé",
                body="<p>Ci-joint</p>",
                attachments=[_pdf("expose.pdf")],
            )
            self.purged = services.message_send(
                sender=w.pupil,
                targets=[f"p:{w.teacher.pk}"],
                subject="Brouillon d'exposé",
                body="<p>v0</p>",
                attachments=[_pdf("v0.pdf")],
            )
            services.message_trash(user=w.teacher, message=self.purged)
            services.trash_purge(now=timezone.now() + timedelta(days=31))
            self.draft = services.draft_save(
                author=w.pupil,
                targets=[f"p:{w.teacher.pk}"],
                subject="À finir",
                body="",
                attachments=[_pdf("plan.pdf")],
            )
            self.about = services.message_send(
                sender=w.parent,
                targets=[f"p:{w.teacher.pk}"],
                subject="Absence",
                body="<p>Malade</p>",
                about_pupil=w.pupil,
            )


@pytest.fixture
def box(mw: Any, django_capture_on_commit_callbacks: Any) -> Mailbox:
    return Mailbox(mw, django_capture_on_commit_callbacks)


def test_a_detached_person_keeps_their_mailbox_but_cannot_log_in(mw, box, client) -> None:
    """Detached (not yet erased): every copy, draft, folder and file stays; login is refused."""
    w = mw.world
    _detach(w.pupil, days=10)
    assert directory_retention_purge() == 0
    assert Delivery.objects.filter(recipient=w.pupil).count() == 1
    assert Message.objects.filter(author=w.pupil).count() == 3  # 2 sent, 1 draft
    assert Folder.objects.filter(owner=w.pupil).exists()
    assert Attachment.objects.count() == 3
    response = client.post(
        reverse("accounts:login"),
        {"username": w.pupil.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_nobody_writes_to_detached_or_erased_people(mw) -> None:
    """A detached or erased person is refused as a recipient and left out of class lists."""
    w = mw.world
    _detach(w.pupil, days=1)
    with pytest.raises(services.SendRefused, match="n'a plus de compte"):
        services.message_send(
            sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="Bonjour", body="x"
        )
    message = services.message_send(
        sender=w.teacher, targets=[f"c:{w.class_4b.pk}"], subject="Classe", body="x"
    )
    assert set(Delivery.objects.filter(message=message).values_list("recipient", flat=True)) == {
        w.other_pupil.pk
    }
    Person.objects.filter(pk=w.other_pupil.pk).update(state=Person.State.DELETED)
    with pytest.raises(services.SendRefused, match="aucun destinataire"):
        services.message_send(
            sender=w.teacher, targets=[f"c:{w.class_4b.pk}"], subject="Classe", body="x"
        )


def test_erasure_removes_copies_drafts_folders_reports_and_their_files(
    mw, box, media, django_capture_on_commit_callbacks
) -> None:
    """After 90 days detached, the person's copies, drafts, folders, reports and the files of what nobody holds any more are deleted."""
    w = mw.world
    draft_file = _file(box.draft.attachments.get(), media)
    purged_file = _file(box.purged.attachments.get(), media)
    kept_file = _file(box.written.attachments.get(), media)
    assert draft_file.exists() and purged_file.exists() and kept_file.exists()
    _detach(w.pupil, days=91)

    with django_capture_on_commit_callbacks(execute=True):
        assert directory_retention_purge() == 1

    assert Person.objects.get(pk=w.pupil.pk).state == Person.State.DELETED
    assert not Delivery.objects.filter(recipient=w.pupil).exists()
    assert not Folder.objects.filter(owner=w.pupil).exists()
    assert not MessageReport.objects.exists()
    assert not Message.objects.filter(pk__in=[box.draft.pk, box.purged.pk]).exists()
    assert not draft_file.exists() and not purged_file.exists()
    assert kept_file.exists()
    # Chloé keeps the message she received with Alice; Alice's name left its label.
    received = Message.objects.get(pk=box.received.pk)
    assert Delivery.objects.filter(message=received, recipient=w.other_pupil).exists()
    assert received.recipients_label == "Compte supprimé, Chloé Petit"
    # The mother's message no longer points to the erased child.
    assert Message.objects.get(pk=box.about.pk).about_pupil is None


def test_what_the_erased_person_wrote_stays_signed_compte_supprime(
    mw, box, login, bearer, django_capture_on_commit_callbacks
) -> None:
    """The teacher keeps the pupil's message and its file; page and API show « Compte supprimé » as author; a reply is refused."""
    w = mw.world
    _detach(w.pupil, days=91)
    with django_capture_on_commit_callbacks(execute=True):
        directory_retention_purge()

    written = Message.objects.get(pk=box.written.pk)
    assert written.author_id == w.pupil.pk
    assert Delivery.objects.filter(message=written, recipient=w.teacher).exists()
    assert written.attachments.count() == 1
    client = login(w.teacher)
    inbox = client.get("/messagerie/").content.decode()
    assert "Compte supprimé" in inbox and "Alice" not in inbox
    page = client.get(f"/messagerie/message/{written.pk}/").content.decode()
    assert "Compte supprimé" in page and "Durand" not in page
    assert "repondre=" not in page  # no « Répondre » to an account that is gone
    api = bearer(w.teacher)
    detail = api.get(f"/api/v1/messages/{written.pk}/").json()
    assert detail["author"]["name"] == "Compte supprimé"
    assert detail["can_reply"] is False
    refused = api.post(
        f"/api/v1/messages/{written.pk}/repondre/", {}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "n'accepte pas de réponse" in str(refused.json())
    with pytest.raises(services.SendRefused, match="n'a plus de compte"):
        services.message_send(
            sender=w.teacher,
            targets=services.reply_targets(user=w.teacher, message=written, reply_all=False),
            subject="Re: Mon exposé",
            body="<p>Merci</p>",
            reply_to=written,
        )


def test_the_last_copy_of_an_erased_authors_message_takes_it_and_its_file(
    mw, box, media, django_capture_on_commit_callbacks
) -> None:
    """Once the last recipient purges their copy, the erased author's message and its file are deleted."""
    w = mw.world
    kept_file = _file(box.written.attachments.get(), media)
    _detach(w.pupil, days=91)
    with django_capture_on_commit_callbacks(execute=True):
        directory_retention_purge()
        services.message_trash(user=w.teacher, message=box.written)
        services.trash_purge(now=timezone.now() + timedelta(days=31))
    assert not Message.objects.filter(pk=box.written.pk).exists()
    assert not kept_file.exists()


def test_erasure_is_idempotent(mw, box, django_capture_on_commit_callbacks) -> None:
    """Erasing twice changes nothing the second time; a later purge erases nobody again."""
    w = mw.world
    _detach(w.pupil, days=91)
    with django_capture_on_commit_callbacks(execute=True):
        directory_retention_purge()
    state = (
        sorted(Message.objects.values_list("pk", "recipients_label", "author_trashed_at")),
        sorted(Delivery.objects.values_list("pk", flat=True)),
        Attachment.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = messages_erase([w.pupil.pk])
        assert directory_retention_purge() == 0
    assert set(done.values()) == {0}
    assert state == (
        sorted(Message.objects.values_list("pk", "recipients_label", "author_trashed_at")),
        sorted(Delivery.objects.values_list("pk", flat=True)),
        Attachment.objects.count(),
    )
    assert messages_erase([]) == {}


def test_deleting_a_draft_deletes_its_files(mw, media, django_capture_on_commit_callbacks) -> None:
    """A deleted draft takes its attachments' files from storage."""
    w = mw.world
    draft = services.draft_save(
        author=w.teacher, targets=[], subject="Plan", body="", attachments=[_pdf("plan.pdf")]
    )
    path = _file(draft.attachments.get(), media)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_delete(user=w.teacher, draft=draft)
    assert not path.exists() and not Attachment.objects.exists()


def test_a_rolled_back_deletion_keeps_the_file(
    mw, media, django_capture_on_commit_callbacks
) -> None:
    """Files are deleted only once the deletion is committed: a rollback keeps row and file."""
    w = mw.world
    draft = services.draft_save(
        author=w.teacher, targets=[], subject="Plan", body="", attachments=[_pdf("plan.pdf")]
    )
    path = _file(draft.attachments.get(), media)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Message.objects.filter(pk=draft.pk).delete()
        raise RuntimeError("échec")
    assert callbacks == []
    assert path.exists() and Attachment.objects.count() == 1


def test_a_file_another_row_names_is_kept(mw, media, django_capture_on_commit_callbacks) -> None:
    """When two attachments name the same stored file, deleting one keeps the file for the other."""
    w = mw.world
    draft = services.draft_save(
        author=w.teacher, targets=[], subject="Plan", body="", attachments=[_pdf("plan.pdf")]
    )
    first = draft.attachments.get()
    other = services.draft_save(author=w.teacher, targets=[], subject="Copie", body="")
    Attachment.objects.create(
        message=other, file=first.file.name, name="plan.pdf", content_type="application/pdf", size=1
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_delete(user=w.teacher, draft=draft)
    assert _file(first, media).exists()
