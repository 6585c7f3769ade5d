"""Platform messages (no author: report and rate-limit alerts, antivirus notices) carry
Ostal's text with every user value escaped, and no link (issue 14, item 4): markup typed by
a pupil never reaches the school's admins as a live link."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.messaging import services
from ostal.messaging.models import Attachment, Delivery, Message

pytestmark = pytest.mark.django_db
PHISHING = '<a href="https://evil.example/connexion">Vérifiez votre compte</a>'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _alert_of(admin) -> Message:
    delivery = Delivery.objects.get(recipient=admin, message__subject__startswith="Message signalé")
    return delivery.message


class _Links(HTMLParser):
    """Every ``href`` of the page, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def _assert_no_live_link(content: str) -> None:
    parser = _Links()
    parser.feed(content)
    assert parser.hrefs  # the page's own links were read
    assert not [href for href in parser.hrefs if "evil.example" in href]
    assert '<a href="https://evil.example' not in content


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_report_reason_reaches_the_admins_escaped_and_without_link(
    mw, login, bearer, via
) -> None:
    """A pupil's report reason in markup shows to the school admin as the text typed, never
    as a link, on the message page and in the API."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject="Devoirs <b>urgent</b>",
        body="<p>Texte</p>",
    )  # fmt: skip
    if via == "page":
        response = login(w.pupil).post(
            f"/messagerie/message/{message.pk}/signaler/", {"reason": PHISHING}
        )
        assert response.status_code == 302
    else:
        response = bearer(w.pupil).post(
            f"/api/v1/messages/{message.pk}/signaler/",
            {"reason": PHISHING},
            content_type="application/json",
        )
        assert response.status_code == 200
    alert = _alert_of(w.admin)
    assert alert.author is None and alert.no_reply
    assert "<a" not in alert.body and "evil.example" in html.unescape(alert.body)

    page = login(w.admin).get(f"/messagerie/message/{alert.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    _assert_no_live_link(content)
    assert html.escape(PHISHING, quote=False) in content  # shown as typed, escaped
    assert "Devoirs &lt;b&gt;urgent&lt;/b&gt;" in content
    assert "<b>urgent</b>" not in content

    api = bearer(w.admin).get(f"/api/v1/messages/{alert.pk}/")
    assert api.status_code == 200
    body = api.json()["body"]
    assert "<a" not in body and "&lt;a href" in body


def test_an_alert_stored_with_a_link_renders_without_it(mw, login) -> None:
    """A platform message stored before the rule, holding a link, shows its text only."""
    w = mw.world
    alert = services.alert_admins(school=w.college, subject="Ancienne alerte", body="<p>x</p>")
    assert alert is not None
    Message.objects.filter(pk=alert.pk).update(body=f"<p>Motif : {PHISHING}</p>")
    page = login(w.admin).get(f"/messagerie/message/{alert.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert '<a href="https://evil.example' not in content and "Vérifiez votre compte" in content
    assert Message.objects.get(pk=alert.pk).body.count("evil.example") == 1  # the row unchanged


def test_an_antivirus_notice_escapes_the_file_name_and_subject(mw, login) -> None:
    """The author's notice of an infected file names the file and the subject as typed,
    escaped, with no link."""
    w = mw.world
    message = services.message_send(
        sender=w.teacher, targets=[f"p:{w.pupil.pk}"], subject=PHISHING, body="<p>Texte</p>",
        attachments=[SimpleUploadedFile("<b>cours.pdf", PDF)],
    )  # fmt: skip
    attachment = Attachment.objects.get(message=message)
    services.attachment_scan_record(attachment=attachment, infected=True, signature="<i>Eicar</i>")
    notice = Delivery.objects.get(recipient=w.teacher, message__author__isnull=True).message
    assert "<a" not in notice.body and "<b>" not in notice.body and "<i>" not in notice.body
    page = login(w.teacher).get(f"/messagerie/message/{notice.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    _assert_no_live_link(content)
    assert "« &lt;b&gt;cours.pdf »" in content
