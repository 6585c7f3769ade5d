"""Every page a role may use is reachable by clicking: starting from the home page, a
persona following the links of the menus and pages reaches each of their pages (a page
only reachable by typing its URL does not exist for users)."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from ostal.accounts.services.life import account_admin_reset
from ostal.directory import factories

# Not pages to read: files, sign-out, the JSON API, the OIDC and CAS protocol endpoints,
# Django's admin.
_SKIP_PREFIXES = ("/api/", "/admin/", "/o/", "/cas/login", "/comptes/deconnexion/", "/static/")
_SKIP_SUFFIXES = (".pdf", ".csv", ".ics")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def reachable_paths(client: Any, *, limit: int = 150) -> set[str]:
    """The site's paths reached from ``/`` by following links (GET only, same site)."""
    seen = {"/"}
    queue = deque(["/"])
    while queue and len(seen) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            url = urlsplit(urljoin(path, href))
            if url.scheme not in {"", "http"} or url.netloc not in {"", "testserver"}:
                continue
            target = url.path
            if target.startswith(_SKIP_PREFIXES) or target.endswith(_SKIP_SUFFIXES):
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_the_principal_reaches_classes_letters_and_the_timetable_tools(login, world):
    """From the home page the principal reaches a class page, its activation letters, the
    timetable import and the course changes, besides their other services."""
    newcomer = factories.pupil(school_class=world.class_4b, first_name="Zoé", last_name="Neuve")
    code = account_admin_reset(person=newcomer, actor=world.admin)  # a letter to print
    found = reachable_paths(login(world.admin))
    expected = {
        f"/classes/{world.class_4b.pk}/",
        f"/comptes/lettres/classe/{world.class_4b.pk}/",
        "/emploi-du-temps/import/",
        "/emploi-du-temps/cours/",
        "/etablissement/",
        "/messagerie/regles/",
        "/comptes/journal/",
        "/comptes/sessions/",
        "/annuaire/imports/",
        "/cas/services/",
        "/accessibilite/",
    }
    assert expected <= found, sorted(expected - found)
    newcomer.refresh_from_db()
    assert newcomer.activation_code == code  # following links changed nothing


@pytest.mark.parametrize(
    ("persona", "pages"),
    [
        ("parent", {"/messagerie/", "/cahier-de-textes/", "/compte/", "/accessibilite/"}),
        ("pupil", {"/emploi-du-temps/", "/cahier-de-textes/", "/messagerie/", "/compte/"}),
        ("teacher", {"/classes/{class_4b}/", "/cahier-de-textes/", "/emploi-du-temps/"}),
    ],
)
def test_families_and_teachers_reach_their_pages(login, world, persona, pages):
    """Parents, pupils and teachers reach their services from the home page; a teacher
    reaches the page of a class they teach."""
    found = reachable_paths(login(world.persona(persona)))
    expected = {p.format(class_4b=world.class_4b.pk) for p in pages}
    assert expected <= found, sorted(expected - found)
    assert "/emploi-du-temps/import/" not in found  # management's tools are not offered
