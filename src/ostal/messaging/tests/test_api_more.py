"""The JSON API does everything the pages do: boxes, folders, trash, drafts, replies,
forwards, attachments, reports and recalls — with the pages' permission checks (someone
else's message, copy, folder or draft is a 404), the freeze enforced at send (the draft is
kept), and authentication required everywhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.core.models import SecurityEvent
from ostal.messaging import services
from ostal.messaging.models import Attachment, Delivery, Folder, Freeze, Message, MessageReport

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
API = "/api/v1/messages/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _send(sender, person, subject="Bonjour", **kw) -> Message:
    return services.message_send(
        sender=sender, targets=[f"p:{person.pk}"], subject=subject, body="<p>Texte</p>", **kw
    )


def _json(client, method: str, url: str, data=None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data or {}, content_type="application/json")


def _endpoints(message: int, folder: int, draft: int, attachment: int) -> list[tuple[str, str]]:
    return [
        ("get", API),
        ("get", f"{API}envoyes/"),
        ("get", f"{API}corbeille/"),
        ("post", f"{API}corbeille/vider/"),
        ("get", f"{API}quota/"),
        ("get", f"{API}dossiers/"),
        ("post", f"{API}dossiers/"),
        ("get", f"{API}dossiers/{folder}/"),
        ("patch", f"{API}dossiers/{folder}/"),
        ("delete", f"{API}dossiers/{folder}/"),
        ("post", f"{API}envoyer/"),
        ("get", f"{API}destinataires/?q=ab"),
        ("get", f"{API}pieces-jointes/{attachment}/"),
        ("get", f"{API}brouillons/"),
        ("post", f"{API}brouillons/"),
        ("get", f"{API}brouillons/{draft}/"),
        ("patch", f"{API}brouillons/{draft}/"),
        ("put", f"{API}brouillons/{draft}/"),
        ("delete", f"{API}brouillons/{draft}/"),
        ("post", f"{API}brouillons/{draft}/envoyer/"),
        ("post", f"{API}brouillons/{draft}/pieces-jointes/"),
        ("delete", f"{API}brouillons/{draft}/pieces-jointes/{attachment}/"),
        ("get", f"{API}{message}/"),
        ("post", f"{API}{message}/corbeille/"),
        ("post", f"{API}{message}/restaurer/"),
        ("post", f"{API}{message}/ranger/"),
        ("post", f"{API}{message}/signaler/"),
        ("post", f"{API}{message}/rappeler/"),
        ("post", f"{API}{message}/repondre/"),
        ("post", f"{API}{message}/repondre-a-tous/"),
        ("post", f"{API}{message}/transferer/"),
    ]


def test_every_endpoint_needs_authentication(client) -> None:
    """Without a token or a session, every messaging endpoint answers 401 in the API's shape."""
    for method, url in _endpoints(1, 1, 1, 1):
        response = _json(client, method, url)
        assert response.status_code == 401, (method, url)
        assert response.json()["error"]["message"] == "Authentification requise."


def test_someone_elses_things_are_404(mw, bearer) -> None:
    """Another person's message, copy, folder, draft or attachment is a 404 everywhere (and
    nothing changes)."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="Privé", body="x",
        attachments=[SimpleUploadedFile("a.pdf", PDF)],
    )  # fmt: skip
    folder = services.folder_create(owner=w.pupil, name="Maths")
    draft = services.draft_save(author=w.pupil, targets=[], subject="Brouillon", body="x")
    draft_file = services.draft_attach(
        author=w.pupil, draft=draft, uploads=[SimpleUploadedFile("b.pdf", PDF)]
    )[0]
    ids = {
        "message": message.pk,
        "folder": folder.pk,
        "draft": draft.pk,
        "attachment": message.attachments.get().pk,
    }
    client = bearer(w.other_pupil)
    scoped = [(m, u) for m, u in _endpoints(**ids) if any(f"/{v}/" in u for v in ids.values())]
    assert len(scoped) == 20
    for method, url in scoped:
        if "pieces-jointes" in url and "brouillons" in url:
            url = url.replace(f"/{message.attachments.get().pk}/", f"/{draft_file.pk}/")
        response = _json(client, method, url, {"name": "X", "folder": None})
        assert response.status_code == 404, (method, url, response.content)
    assert Folder.objects.get(pk=folder.pk).name == "Maths"
    assert Message.objects.get(pk=draft.pk).is_draft and Attachment.objects.count() == 2
    assert Delivery.objects.get(message=message).box == "inbox"
    assert not MessageReport.objects.exists()


def test_boxes_list_with_unread_quota_and_pages(mw, bearer, settings) -> None:
    """Inbox, sent, trash, drafts and a folder list their messages a page at a time, with
    the unread count and the quota."""
    w = mw.world
    settings.MESSAGING_PAGE_SIZE = 2
    for n in range(3):
        _send(w.teacher, w.pupil, subject=f"M{n}")
    client = bearer(w.pupil)
    page1 = client.get(API).json()
    assert page1["unread"] == 3 and page1["has_next"] and page1["box"] == "inbox"
    assert [r["subject"] for r in page1["results"]] == ["M2", "M1"]
    assert page1["quota"]["label"] == "0,0 Mo sur 200 Mo" and page1["quota"]["over"] is False
    page2 = client.get(API, {"page": 2}).json()
    assert [r["subject"] for r in page2["results"]] == ["M0"] and not page2["has_next"]
    sent = bearer(w.teacher).get(f"{API}envoyes/").json()
    assert sent["box"] == "sent" and [r["subject"] for r in sent["results"]] == ["M2", "M1"]
    assert sent["results"][0]["recipients"] == w.pupil.display_name
    services.draft_save(author=w.pupil, targets=[], subject="Idée", body="")
    client = bearer(w.pupil)
    drafts = client.get(f"{API}brouillons/").json()
    assert [r["subject"] for r in drafts["results"]] == ["Idée"]
    assert client.get(f"{API}corbeille/").json()["results"] == []
    assert client.get(f"{API}quota/").json()["limit"] == 200 * 1024 * 1024


def test_folders_create_rename_move_and_delete(mw, bearer) -> None:
    """Folders: create, list with unread counts, file a message there, rename, delete — its
    messages go back to the inbox; a duplicate name is refused in French."""
    w = mw.world
    message = _send(w.teacher, w.pupil, subject="À ranger")
    client = bearer(w.pupil)
    created = _json(client, "post", f"{API}dossiers/", {"name": "Maths"})
    assert created.status_code == 201
    folder_id = created.json()["id"]
    duplicate = _json(client, "post", f"{API}dossiers/", {"name": "Maths"})
    assert duplicate.status_code == 400
    assert duplicate.json()["error"]["fields"]["name"] == ["Vous avez déjà un dossier de ce nom."]
    moved = _json(client, "post", f"{API}{message.pk}/ranger/", {"folder": folder_id})
    assert moved.status_code == 200 and moved.json()["box"] == "folder"
    assert client.get(API).json()["results"] == []
    listed = client.get(f"{API}dossiers/").json()["results"]
    assert listed == [{"id": folder_id, "name": "Maths", "unread": 1, "total": 1}]
    inside = client.get(f"{API}dossiers/{folder_id}/").json()
    assert [r["subject"] for r in inside["results"]] == ["À ranger"]
    assert inside["folder"]["name"] == "Maths"
    renamed = _json(client, "patch", f"{API}dossiers/{folder_id}/", {"name": "Sciences"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Sciences"
    unknown = _json(client, "post", f"{API}{message.pk}/ranger/", {"folder": 999_999})
    assert unknown.status_code == 400
    deleted = _json(client, "delete", f"{API}dossiers/{folder_id}/")
    assert deleted.status_code == 200 and deleted.json()["moved_to_inbox"] == 1
    assert not Folder.objects.exists()
    assert [r["subject"] for r in client.get(API).json()["results"]] == ["À ranger"]
    back = _json(client, "post", f"{API}{message.pk}/ranger/", {"folder": None})
    assert back.json()["box"] == "inbox"


def test_read_trash_restore_and_empty(mw, bearer) -> None:
    """Reading marks read; a message goes to the trash, back, and the emptied trash deletes
    the copy (the author's copy stays)."""
    w = mw.world
    message = _send(w.teacher, w.pupil, subject="Lu")
    client = bearer(w.pupil)
    detail = client.get(f"{API}{message.pk}/").json()
    assert detail["read"] is True and detail["box"] == "inbox" and detail["can_reply"] is True
    assert client.get(API).json()["unread"] == 0
    assert _json(client, "post", f"{API}{message.pk}/corbeille/").json()["box"] == "trash"
    assert [r["id"] for r in client.get(f"{API}corbeille/").json()["results"]] == [message.pk]
    assert _json(client, "post", f"{API}{message.pk}/restaurer/").status_code == 200
    assert Delivery.objects.get(message=message).box == "inbox"
    _json(client, "post", f"{API}{message.pk}/corbeille/")
    emptied = _json(client, "post", f"{API}corbeille/vider/")
    assert emptied.status_code == 200 and emptied.json()["deleted"] == 1
    assert not Delivery.objects.exists() and client.get(f"{API}{message.pk}/").status_code == 404
    assert bearer(w.teacher).get(f"{API}{message.pk}/").status_code == 200


def test_draft_create_update_attach_send_and_delete(mw, bearer) -> None:
    """A draft is created, updated (missing fields kept), given a file, and sent (it becomes
    the message, with its file); another draft is deleted."""
    w = mw.world
    client = bearer(w.pupil)
    created = _json(client, "post", f"{API}brouillons/", {"subject": "Question", "body": "Bonjour"})
    assert created.status_code == 201 and created.json()["is_draft"] is True
    pk = created.json()["id"]
    updated = _json(
        client, "patch", f"{API}brouillons/{pk}/", {"recipients": [f"p:{w.teacher.pk}"]}
    )
    assert updated.status_code == 200
    data = updated.json()
    assert data["subject"] == "Question" and data["body"] == "Bonjour"
    assert data["recipients_detail"] == [{"key": f"p:{w.teacher.pk}", "label": "Franck Garcia"}]
    upload = client.post(
        f"{API}brouillons/{pk}/pieces-jointes/", {"file": SimpleUploadedFile("devoir.pdf", PDF)}
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["results"][0]["scan"] == "pending"
    assert upload.json()["results"][0]["download"] is None
    sent = _json(client, "post", f"{API}brouillons/{pk}/envoyer/")
    assert sent.status_code == 201 and sent.json()["id"] == pk and sent.json()["is_draft"] is False
    assert Delivery.objects.filter(message_id=pk, recipient=w.teacher).exists()
    assert [a["name"] for a in sent.json()["attachments"]] == ["devoir.pdf"]
    assert client.get(f"{API}brouillons/{pk}/").status_code == 404  # no longer a draft
    other = _json(client, "post", f"{API}brouillons/", {"subject": "À jeter"}).json()["id"]
    assert _json(client, "delete", f"{API}brouillons/{other}/").status_code == 204
    assert not Message.objects.filter(pk=other).exists()


def test_draft_attachment_checks_and_removal(mw, bearer) -> None:
    """An upload to a draft gets the page's checks (type read from the content, 5 files),
    all or nothing; a file can be removed from the draft."""
    w = mw.world
    client = bearer(w.pupil)
    pk = _json(client, "post", f"{API}brouillons/", {"subject": "PJ"}).json()["id"]
    fake = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200)
    refused = client.post(
        f"{API}brouillons/{pk}/pieces-jointes/",
        {"file": [SimpleUploadedFile("ok.pdf", PDF), fake]},
    )
    assert refused.status_code == 400
    assert "photo.pdf » : ce type de fichier" in refused.json()["error"]["fields"]["file"][0]
    assert not Attachment.objects.exists()
    files = [SimpleUploadedFile(f"f{n}.pdf", PDF) for n in range(6)]
    too_many = client.post(f"{API}brouillons/{pk}/pieces-jointes/", {"file": files})
    assert too_many.status_code == 400 and not Attachment.objects.exists()
    added = client.post(
        f"{API}brouillons/{pk}/pieces-jointes/", {"file": SimpleUploadedFile("a.pdf", PDF)}
    ).json()["results"][0]
    removed = _json(client, "delete", f"{API}brouillons/{pk}/pieces-jointes/{added['id']}/")
    assert removed.status_code == 204 and not Attachment.objects.exists()


def test_attachment_listed_with_scan_state_and_downloaded_when_clean(mw, bearer) -> None:
    """The detail lists files with their scan state; the download is 409 until clean, then
    the file (the page's rule)."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="PJ", body="x",
        attachments=[SimpleUploadedFile("sujet.pdf", PDF)],
    )  # fmt: skip
    attachment = message.attachments.get()
    client = bearer(w.pupil)
    listed = client.get(f"{API}{message.pk}/").json()["attachments"]
    assert listed[0]["scan"] == "pending" and listed[0]["download"] is None
    pending = client.get(f"{API}pieces-jointes/{attachment.pk}/")
    assert pending.status_code == 409
    assert "En attente d'analyse antivirus" in pending.json()["error"]["message"]
    services.attachment_scan_record(attachment=attachment, infected=False)
    listed = client.get(f"{API}{message.pk}/").json()["attachments"]
    assert listed[0]["download"] == f"{API}pieces-jointes/{attachment.pk}/"
    download = client.get(listed[0]["download"])
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_reply_reply_all_and_forward(mw, bearer) -> None:
    """Replies start from the author (reply-all: the other recipients too), « RE : » and the
    quote; a draft by default, sent at once with ``send``; a forward needs recipients."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}", f"p:{w.parent.pk}"], subject="Sortie",
        body="<p>Départ 8 h</p>",
    )  # fmt: skip
    client = bearer(w.pupil)
    draft = _json(client, "post", f"{API}{message.pk}/repondre/", {"body": "<p>Merci</p>"})
    assert draft.status_code == 201
    data = draft.json()
    assert data["is_draft"] and data["subject"] == "RE : Sortie"
    assert data["recipients"] == [f"p:{w.teacher.pk}"] and data["reply_to"] == message.pk
    assert data["body"].startswith("<p>Merci</p>") and "Départ 8 h" in data["body"]
    everyone = _json(client, "post", f"{API}{message.pk}/repondre-a-tous/").json()
    assert set(everyone["recipients"]) == {f"p:{w.teacher.pk}", f"p:{w.parent.pk}"}
    sent = _json(client, "post", f"{API}{message.pk}/repondre/", {"body": "Ok", "send": True})
    assert sent.status_code == 201 and not sent.json()["is_draft"]
    reply = Message.objects.get(pk=sent.json()["id"])
    assert reply.parent == message and reply.thread == message
    assert Delivery.objects.filter(message=reply, recipient=w.teacher).exists()
    forward = _json(client, "post", f"{API}{message.pk}/transferer/").json()
    assert forward["subject"] == "TR : Sortie" and forward["recipients"] == []
    teacher = bearer(w.teacher)
    forwarded = _json(
        teacher, "post", f"{API}{message.pk}/transferer/",
        {"recipients": [f"p:{mw.cpe.pk}"], "send": True},
    )  # fmt: skip
    assert forwarded.status_code == 201
    assert Delivery.objects.filter(message_id=forwarded.json()["id"], recipient=mw.cpe).exists()


def test_no_reply_message_refuses_replies(mw, bearer) -> None:
    """A no-reply message cannot be answered through the API (400, nothing created)."""
    w = mw.world
    message = _send(w.teacher, w.pupil, no_reply=True)
    response = _json(bearer(w.pupil), "post", f"{API}{message.pk}/repondre/")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field"] == [
        "Ce message n'accepte pas de réponse."
    ]
    assert not Message.objects.filter(author=w.pupil).exists()


def test_report_and_recall(mw, bearer) -> None:
    """A recipient reports a message (event, admins alerted); a school admin recalls a
    broadcast of their school, a teacher cannot."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"c:{w.class_4b.pk}"], subject="Sortie", body="x"
    )
    reported = _json(bearer(w.pupil), "post", f"{API}{message.pk}/signaler/", {"reason": "Spam"})
    assert reported.status_code == 200 and reported.json()["reported"] is True
    assert MessageReport.objects.get().reason == "Spam"
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.MESSAGE_REPORTED).exists()
    assert _json(bearer(w.teacher), "post", f"{API}{message.pk}/rappeler/").status_code == 404
    assert _json(bearer(w.other_admin), "post", f"{API}{message.pk}/rappeler/").status_code == 404
    admin = bearer(w.admin)
    assert admin.get(f"{API}{message.pk}/").json()["subject"] == "Sortie"
    recalled = _json(admin, "post", f"{API}{message.pk}/rappeler/")
    assert recalled.status_code == 200 and recalled.json()["hidden"] == 2
    assert bearer(w.pupil).get(API).json()["results"] == []


def test_freeze_refuses_every_send_and_keeps_the_draft(mw, bearer) -> None:
    """While frozen: sending a draft, a reply or a new message is refused with the freeze
    reason, nothing is delivered and the draft is kept; saving drafts still works."""
    w = mw.world
    message = _send(w.teacher, w.pupil, subject="Avant le gel")
    Freeze.objects.create(scope="school", school=w.college, reason="Incident", frozen_by=w.admin)
    client = bearer(w.pupil)
    draft = _json(
        client, "post", f"{API}brouillons/",
        {"recipients": [f"p:{w.teacher.pk}"], "subject": "Gelé", "body": "x"},
    )  # fmt: skip
    assert draft.status_code == 201
    pk = draft.json()["id"]
    refused = _json(client, "post", f"{API}brouillons/{pk}/envoyer/")
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert "La messagerie est gelée" in fields["recipients"][0] and fields["draft"] == [str(pk)]
    assert Message.objects.get(pk=pk).is_draft
    reply = _json(client, "post", f"{API}{message.pk}/repondre/", {"body": "Ok", "send": True})
    assert reply.status_code == 400
    kept = Message.objects.get(pk=int(reply.json()["error"]["fields"]["draft"][0]))
    assert kept.is_draft and kept.subject == "RE : Avant le gel"
    direct = _json(
        client, "post", f"{API}envoyer/",
        {"recipients": [f"p:{w.teacher.pk}"], "subject": "Direct", "body": "x"},
    )  # fmt: skip
    assert direct.status_code == 400 and Message.objects.get(subject="Direct").is_draft
    assert not Delivery.objects.filter(recipient=w.teacher).exists()


def test_folder_rename_delete_and_empty_trash_pages(mw, login) -> None:
    """The pages rename and delete a folder (messages back to the inbox) and empty the trash."""
    w = mw.world
    message = _send(w.teacher, w.pupil, subject="Classé")
    folder = services.folder_create(owner=w.pupil, name="Maths")
    services.delivery_move(delivery=Delivery.objects.get(message=message), folder=folder)
    client = login(w.pupil)
    page = client.get(f"/messagerie/dossiers/{folder.pk}/").content.decode()
    assert "Renommer" in page and "Supprimer le dossier « Maths »" in page
    client.post(f"/messagerie/dossiers/{folder.pk}/renommer/", {"name": "Sciences"})
    assert Folder.objects.get().name == "Sciences"
    response = client.post(f"/messagerie/dossiers/{folder.pk}/supprimer/", follow=True)
    assert "1 message remis dans la boîte de réception" in response.content.decode()
    assert not Folder.objects.exists() and Delivery.objects.get().box == "inbox"
    kept = services.folder_create(owner=w.pupil, name="Gardé")
    assert (
        login(w.other_pupil).post(f"/messagerie/dossiers/{kept.pk}/supprimer/").status_code == 404
    )
    assert Folder.objects.filter(pk=kept.pk).exists()
    client = login(w.pupil)
    client.post(f"/messagerie/message/{message.pk}/corbeille/")
    assert "Vider la corbeille" in client.get("/messagerie/corbeille/").content.decode()
    client.post("/messagerie/corbeille/vider/")
    assert not Delivery.objects.exists()
