"""Attachments: size limit and type check by content at upload, quarantine until the
antivirus verdict; a refused file keeps the draft."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.messaging import services
from ostal.messaging.models import Attachment, Delivery, Message

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_pdf_is_attached_and_quarantined_until_clean(mw, login) -> None:
    """A PDF is attached in quarantine: nobody downloads it until the antivirus says clean."""
    w = mw.world
    client = login(w.teacher)
    response = client.post(
        "/messagerie/ecrire/",
        {"targets": [f"p:{w.pupil.pk}"], "subject": "Sujet", "body": "Voir PJ", "action": "send",
         "attachments": [SimpleUploadedFile("sujet.pdf", PDF, content_type="application/pdf")]},
    )  # fmt: skip
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (
        attachment.content_type == "application/pdf" and attachment.scan == Attachment.Scan.PENDING
    )
    pupil = login(w.pupil)
    assert (
        "En attente d&#x27;analyse antivirus"
        in pupil.get(f"/messagerie/message/{attachment.message_id}/").content.decode()
    )
    assert pupil.get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 409
    services.attachment_scan_record(attachment=attachment, infected=False)
    download = pupil.get(f"/messagerie/piece-jointe/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(w.other_pupil).get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 404


def test_infected_file_stays_in_quarantine_and_author_is_told(mw, login) -> None:
    """An infected verdict keeps the file unreachable and tells its author."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="x", body="y",
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )  # fmt: skip
    attachment = message.attachments.get()
    services.attachment_scan_record(
        attachment=attachment, infected=True, signature="Eicar-Test-Signature"
    )
    assert login(w.pupil).get(f"/messagerie/piece-jointe/{attachment.pk}/").status_code == 409
    notice = Delivery.objects.get(recipient=w.teacher).message
    assert "infectée" in notice.subject and "Eicar" in notice.body


def test_oversized_or_wrong_type_is_refused_and_draft_kept(mw, settings) -> None:
    """Too big, or an executable whatever its name: refused naming the file; the draft is kept."""
    w = mw.world
    settings.MESSAGING_MAX_ATTACHMENT = 1024 * 1024
    big = SimpleUploadedFile("gros.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(
        services.SendRefused, match="gros.pdf » dépasse la taille maximale"
    ) as refused:
        services.message_send(
            sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="x", body="y", attachments=[big]
        )
    assert refused.value.draft is not None and refused.value.draft.is_draft
    fake = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    good = SimpleUploadedFile("ok.pdf", PDF)
    with pytest.raises(services.SendRefused, match="photo.pdf » : ce type de fichier"):
        services.message_send(
            sender=w.teacher,
            targets=[f"p:{w.pupil.pk}"],
            subject="z",
            body="y",
            attachments=[fake, good],
        )
    assert not Delivery.objects.exists()
    kept = Message.objects.get(subject="z")
    assert kept.is_draft and [a.name for a in kept.attachments.all()] == ["ok.pdf"]
