"""Antivirus scan of attachments against a real clamd (fixture ``clamd``: Debian's clamd
with a local signature file holding EICAR): the scan job is queued when an attachment is
stored and runs once the send is committed (jobs run inline in tests)."""

from __future__ import annotations

import io
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import strip_tags

from ostal.core import antivirus as core_antivirus
from ostal.messaging import antivirus, services
from ostal.messaging.models import Attachment, Delivery, Message
from ostal.messaging.tasks import messaging_attachment_scan, messaging_attachment_scan_sweep
from ostal.messaging.tests.conftest import EICAR, EICAR_SIGNATURE

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _send(client, pupil_pk: int, name: str, content: bytes, capture) -> Attachment:
    """Send through the compose page; the queued scan runs at the commit."""
    with capture(execute=True) as callbacks:
        response = client.post(
            "/messagerie/ecrire/",
            {"targets": [f"p:{pupil_pk}"], "subject": "Sujet", "body": "Voir PJ",
             "action": "send", "attachments": [SimpleUploadedFile(name, content)]},
        )  # fmt: skip
    # One scan queued (the other callback tells the notification channels: ostal.push).
    scans = [c for c in callbacks if "_attach" in c.__qualname__]
    assert response.status_code == 302 and len(scans) == 1
    return Attachment.objects.get(name=name)


def _page(client, attachment: Attachment) -> str:
    """The message page, as HTML."""
    return unescape(client.get(f"/messagerie/message/{attachment.message_id}/").content.decode())


def _text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def test_clamd_verdicts_on_streams(clamd) -> None:
    """EICAR is found with the local signature's name; other bytes are clean."""
    found = antivirus.stream_scan(io.BytesIO(EICAR))
    assert found.infected and found.signature.startswith(EICAR_SIGNATURE)
    assert antivirus.stream_scan(io.BytesIO(PDF)) == antivirus.Verdict(infected=False)


def test_eicar_is_infected_stays_unreachable_and_author_is_told(
    mw, login, clamd, django_capture_on_commit_callbacks
) -> None:
    """EICAR sent as a text file: infected, nobody downloads it (author included), the
    author gets the platform notice naming the signature, the page says so in French."""
    w = mw.world
    teacher = login(w.teacher)
    attachment = _send(teacher, w.pupil.pk, "eicar.txt", EICAR, django_capture_on_commit_callbacks)
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.INFECTED and attachment.scanned_at is not None
    assert teacher.get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 409
    pupil = login(w.pupil)
    download = pupil.get(f"/messagerie/piece-jointe/{attachment.pk}/")
    assert download.status_code == 409
    assert "« eicar.txt » ne peut pas être téléchargée : Infecté : en quarantaine" in unescape(
        download.content.decode()
    )
    page = _page(pupil, attachment)
    assert "eicar.txt — Infecté : en quarantaine" in _text(page)
    assert f"/messagerie/piece-jointe/{attachment.pk}/" not in page
    notice = Delivery.objects.get(recipient=w.teacher).message
    assert notice.author is None and notice.no_reply
    assert notice.subject == "Pièce jointe infectée : « eicar.txt »"
    assert f"{EICAR_SIGNATURE}.UNOFFICIAL" in notice.body and "quarantaine" in notice.body


def test_clean_pdf_is_downloadable_by_recipients_only(
    mw, login, clamd, django_capture_on_commit_callbacks
) -> None:
    """A PDF scanned clean: the recipient sees a link and downloads it; a stranger gets 404."""
    w = mw.world
    attachment = _send(
        login(w.teacher), w.pupil.pk, "sujet.pdf", PDF, django_capture_on_commit_callbacks
    )
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.CLEAN and attachment.scanned_at is not None
    pupil = login(w.pupil)
    page = _page(pupil, attachment)
    assert f'href="/messagerie/piece-jointe/{attachment.pk}/">sujet.pdf</a>' in page
    assert "analyse antivirus" not in page
    download = pupil.get(f"/messagerie/piece-jointe/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(w.other_pupil).get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 404
    assert not Message.objects.filter(author=None).exists()  # no notice for a clean file


def test_clamd_unreachable_keeps_pending_and_sweep_queues_again(
    mw, login, clamd_socket, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    """clamd down: the file stays in quarantine (never clean without a scan), the page says
    it waits; the sweep leaves fresh files to their own job, and queues the ones still
    waiting after MESSAGING_SCAN_RETRY_MINUTES again: once clamd is back, they are scanned."""
    w = mw.world
    settings.MESSAGING_CLAMD_SOCKET = str(tmp_path / "absent.ctl")
    attachment = _send(
        login(w.teacher), w.pupil.pk, "sujet.pdf", PDF, django_capture_on_commit_callbacks
    )
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.PENDING and attachment.scanned_at is None
    pupil = login(w.pupil)
    assert "sujet.pdf — En attente d'analyse antivirus" in _text(_page(pupil, attachment))
    assert pupil.get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 409

    assert messaging_attachment_scan_sweep.call_local() == 0  # too fresh: its job may run
    Message.objects.filter(pk=attachment.message_id).update(
        created_at=attachment.message.created_at
        - timedelta(minutes=settings.MESSAGING_SCAN_RETRY_MINUTES + 1)
    )
    assert messaging_attachment_scan_sweep.call_local() == 1  # queued again, clamd still down
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.PENDING

    settings.MESSAGING_CLAMD_SOCKET = clamd_socket  # clamd is back
    assert messaging_attachment_scan_sweep.call_local() == 1
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.CLEAN
    assert messaging_attachment_scan_sweep.call_local() == 0
    assert pupil.get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 200


def test_a_verdict_is_recorded_once(mw, clamd) -> None:
    """A second scan job of the same file (sweep and first job racing) changes nothing: one
    notice only, the first verdict stays."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="x", body="y",
        attachments=[SimpleUploadedFile("eicar.txt", EICAR)],
    )  # fmt: skip
    attachment = message.attachments.get()  # on_commit not run: still pending
    assert attachment.scan == Attachment.Scan.PENDING
    assert messaging_attachment_scan.call_local(attachment.pk) == Attachment.Scan.INFECTED
    assert messaging_attachment_scan.call_local(attachment.pk) == Attachment.Scan.INFECTED
    services.attachment_scan_record(attachment=attachment, infected=False)
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.INFECTED
    assert Delivery.objects.filter(recipient=w.teacher).count() == 1


def test_draft_attachments_are_scanned_too(mw, clamd, django_capture_on_commit_callbacks) -> None:
    """A file saved with a draft is scanned at once, like a sent one."""
    w = mw.world
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_save(
            author=w.teacher, targets=[], subject="Brouillon", body="",
            attachments=[SimpleUploadedFile("notes.txt", b"Rien de dangereux.\n")],
        )  # fmt: skip
    assert draft.attachments.get().scan == Attachment.Scan.CLEAN


def test_no_verdict_from_clamd_leaves_the_file_pending(mw, monkeypatch) -> None:
    """clamd answering ERROR (e.g. its StreamMaxLength exceeded) is no verdict: the file
    stays in quarantine, nobody is told."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="x", body="y",
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )  # fmt: skip
    attachment = message.attachments.get()

    class Refusing:
        def instream(self, stream):
            assert stream.read(4) == b"%PDF"  # the stored file is what is streamed
            return {"stream": ("ERROR", "INSTREAM size limit exceeded.")}

    monkeypatch.setattr(core_antivirus, "_client", Refusing)
    with pytest.raises(antivirus.ScanUnavailable, match="ERROR"):
        antivirus.stream_scan(io.BytesIO(PDF))
    assert messaging_attachment_scan.call_local(attachment.pk) == Attachment.Scan.PENDING
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.Scan.PENDING and attachment.scanned_at is None
    assert not Message.objects.filter(author=None).exists()
