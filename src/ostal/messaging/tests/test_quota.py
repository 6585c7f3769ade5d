"""Per-user quota (``MESSAGING_QUOTA_MB``): what counts, refusals over the quota (send and
new attachments refused with usage and limit, draft kept), receiving never refused, and
the usage shown on the pages and in the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.messaging import quota, services
from ostal.messaging.models import Delivery, Freeze, Message

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KB = 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MESSAGING_QUOTA_MB = 1


def _pdf(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"0" * (size - len(PDF)))


def _send_file(sender, person, size: int, subject: str = "PJ") -> Message:
    return services.message_send(
        sender=sender, targets=[f"p:{person.pk}"], subject=subject, body="x",
        attachments=[_pdf("f.pdf", size)],
    )  # fmt: skip


def test_usage_counts_what_the_user_keeps(mw) -> None:
    """Usage: files of messages received (inbox, folder, trash), sent and drafts; not a
    recalled copy nor a sent message put in the trash; emptying the trash frees space."""
    w = mw.world
    received = _send_file(w.teacher, w.pupil, 100 * KB)
    in_folder = _send_file(w.teacher, w.pupil, 50 * KB)
    services.delivery_move(
        delivery=Delivery.objects.get(message=in_folder),
        folder=services.folder_create(owner=w.pupil, name="Classés"),
    )
    sent = _send_file(w.pupil, w.teacher, 30 * KB)
    services.draft_save(
        author=w.pupil, targets=[], subject="B", body="", attachments=[_pdf("d.pdf", 20 * KB)]
    )
    assert quota.usage(user=w.pupil) == 200 * KB
    assert quota.usage(user=w.teacher) == 180 * KB  # its sent files + the one received
    services.message_trash(user=w.pupil, message=received)
    assert quota.usage(user=w.pupil) == 200 * KB  # the trash still counts
    services.trash_empty(user=w.pupil)
    assert quota.usage(user=w.pupil) == 100 * KB
    services.message_trash(user=w.pupil, message=sent)  # the author's copy
    assert quota.usage(user=w.pupil) == 70 * KB
    Delivery.objects.filter(message=in_folder).update(hidden=True)  # a recalled copy
    assert quota.usage(user=w.pupil) == 20 * KB


def test_over_quota_send_refused_with_usage_and_limit_draft_kept(mw) -> None:
    """A send whose new files pass the quota is refused, naming usage and limit and how to
    free space; the draft is kept without the new file; once space is freed it goes."""
    w = mw.world
    _send_file(w.pupil, w.teacher, 700 * KB, subject="Premier")
    with pytest.raises(services.SendRefused) as refused:
        _send_file(w.pupil, w.teacher, 400 * KB, subject="Second")
    text = " ".join(refused.value.messages)
    assert "elle occupe 0,7 Mo sur 1,0 Mo autorisés" in text and "vidant la corbeille" in text
    draft = refused.value.draft
    assert draft is not None and draft.is_draft and draft.subject == "Second"
    assert not draft.attachments.exists()
    assert not Delivery.objects.filter(message=draft).exists()
    first = Message.objects.get(subject="Premier")
    services.message_trash(user=w.pupil, message=first)
    sent = _send_file(w.pupil, w.teacher, 400 * KB, subject="Second")
    assert sent.sent_at is not None


def test_receiving_is_never_refused_but_sending_then_is(mw, login) -> None:
    """Mail to someone over quota is still delivered; they then cannot send (even without
    a file) until they free space; a draft without new files is still saved."""
    w = mw.world
    _send_file(w.teacher, w.pupil, 700 * KB)
    _send_file(mw.cpe, w.pupil, 700 * KB)  # each sender holds their copy too
    assert Delivery.objects.filter(recipient=w.pupil).count() == 2
    assert quota.quota_of(user=w.pupil).over
    with pytest.raises(services.SendRefused, match="elle occupe 1,4 Mo sur 1,0 Mo"):
        services.message_send(
            sender=w.pupil, targets=[f"p:{w.teacher.pk}"], subject="Sans PJ", body="x"
        )
    assert Message.objects.get(subject="Sans PJ").is_draft
    with pytest.raises(services.SendRefused, match="Votre messagerie est pleine") as refused:
        services.draft_save(
            author=w.pupil, targets=[], subject="Brouillon", body="",
            attachments=[_pdf("d.pdf", 10 * KB)],
        )  # fmt: skip
    kept = refused.value.draft
    assert kept is not None and kept.subject == "Brouillon" and not kept.attachments.exists()
    page = login(w.pupil).post(
        "/messagerie/ecrire/",
        {"targets": [f"p:{w.teacher.pk}"], "subject": "Page", "body": "x", "action": "send"},
    )
    assert page.status_code == 400 and "Votre messagerie est pleine" in page.content.decode()
    Freeze.objects.create(scope="school", school=w.college, reason="Incident", frozen_by=w.admin)
    with pytest.raises(services.SendRefused, match="gelée") as frozen:
        _send_file(w.pupil, w.teacher, 10 * KB, subject="Gelé")
    assert frozen.value.draft is not None and not frozen.value.draft.attachments.exists()


def test_api_refuses_uploads_over_quota(mw, bearer) -> None:
    """The API's upload to a draft is refused over the quota (400 naming usage and limit)."""
    w = mw.world
    _send_file(w.teacher, w.pupil, 900 * KB)
    client = bearer(w.pupil)
    pk = client.post(
        "/api/v1/messages/brouillons/", {"subject": "PJ"}, content_type="application/json"
    ).json()["id"]
    response = client.post(
        f"/api/v1/messages/brouillons/{pk}/pieces-jointes/", {"file": _pdf("g.pdf", 200 * KB)}
    )
    assert response.status_code == 400
    assert "0,9 Mo sur 1,0 Mo" in response.json()["error"]["fields"]["file"][0]
    assert not Message.objects.get(pk=pk).attachments.exists()
    quota_json = client.get("/api/v1/messages/quota/").json()
    assert quota_json == {
        "used": 900 * KB, "limit": 1024 * KB, "over": False, "label": "0,9 Mo sur 1,0 Mo",
    }  # fmt: skip


def test_usage_shown_on_the_mailbox_pages(mw, login, settings) -> None:
    """The mailbox pages show « x Mo sur y Mo » with a meter; over the quota, an alert says
    how to free space; with no quota (0) the usage alone is shown."""
    w = mw.world
    settings.MESSAGING_QUOTA_MB = 200
    client = login(w.pupil)
    for url in ("/messagerie/", "/messagerie/envoyes/", "/messagerie/brouillons/",
                "/messagerie/corbeille/", "/messagerie/ecrire/"):  # fmt: skip
        page = client.get(url).content.decode()
        assert "0,0 Mo sur 200 Mo" in page and "<meter" in page, url
    settings.MESSAGING_QUOTA_MB = 1
    _send_file(w.teacher, w.pupil, 700 * KB)
    _send_file(mw.cpe, w.pupil, 700 * KB)  # each sender holds their copy too
    page = client.get("/messagerie/").content.decode()
    assert "1,4 Mo sur 1,0 Mo" in page and "Videz la corbeille" in page
    settings.MESSAGING_QUOTA_MB = 0
    services.message_send(sender=w.pupil, targets=[f"p:{w.teacher.pk}"], subject="Libre", body="x")
    assert "1,4 Mo (pas de limite)" in client.get("/messagerie/").content.decode()
