"""Stored XSS attempts in a news body are made inert on save (the ``news`` policy of
``ostal.core.richtext``), and the homework profile is unchanged."""

from __future__ import annotations

import pytest

from ostal.core.richtext import POLICIES, clean, rich_text_clean
from ostal.news import services
from ostal.news.tests.conftest import NewsWorld, news_input

ATTEMPTS = [
    '<p>Bonjour<script>alert("x")</script></p>',
    '<p><a href="javascript:alert(1)">clic</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">clic</a></p>',
    '<svg onload="alert(1)"><circle r="1"/></svg><p>svg</p>',
    '<p style="width: expression(alert(1))">css</p><style>p{background:url(javascript:x)}</style>',
    '<p onclick="alert(1)" onmouseover="alert(2)">événements</p>',
    '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>',
    '<p><b>non fermé <a href="https://example.org" target="_blank">lien',
    '"><script>alert(1)</script><p',
    "<scr<script>ipt>alert(1)</script>",
]
FORBIDDEN = ["<script", "javascript:", "onload", "onerror", "onclick", "onmouseover", "expression(",
             "<style", "<svg", "<iframe", "<img", "style="]  # fmt: skip


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_news_policy_renders_attempts_inert(attempt):
    """Nothing that runs script or injects style survives the news policy."""
    out = clean(attempt, kind="news").lower()
    for bad in FORBIDDEN:
        assert bad not in out, (bad, out)


def test_links_get_noopener_noreferrer():
    """Links keep http(s)/mailto targets and always get rel="noopener noreferrer"."""
    out = clean('<a href="https://example.org" rel="opener">x</a>', kind="news")
    assert out == '<a href="https://example.org" rel="noopener noreferrer">x</a>'


def test_policies_per_kind():
    """Each kind has its policy: news adds h2; the platform profile keeps no link; the
    historical homework profile is unchanged."""
    assert "h2" in POLICIES["news"].tags and "h2" not in POLICIES["rich"].tags
    assert clean('<a href="https://x.org">x</a>', kind="platform") == "x"
    assert rich_text_clean("<h2>t</h2><p>p</p>") == "t<p>p</p>"
    with pytest.raises(KeyError):
        clean("<p>x</p>", kind="inconnu")


@pytest.mark.django_db
@pytest.mark.parametrize("attempt", ATTEMPTS[:7])
def test_stored_attempts_are_inert_on_the_page(nw: NewsWorld, login, attempt):
    """An XSS attempt saved as a body is stored and shown inert on the reader's page."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(
            owner=f"school:{w.college.pk}", for_parents=True, body=attempt + "<p>fin</p>"
        ),
        action="send",
    )
    for bad in FORBIDDEN:
        assert bad not in item.body.lower()
    page = login(w.parent).get(f"/actualites/{item.pk}/").content.decode().lower()
    body = page.split('<div class="news-body">', 1)[1].split("</div>", 1)[0]
    for bad in FORBIDDEN:
        assert bad not in body
