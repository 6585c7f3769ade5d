"""A folder's listing by pages, on the page and in the API: folders first then files in a
stable order, totals with French plurals and digit grouping, bad page numbers refused
clearly (400 on the API, the French 400 page on the web, never a 500), and a number of
queries that does not grow with the folder."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostal.directory.models import Person
from ostal.documents.models import Document, Folder

pytestmark = pytest.mark.django_db


def _fill(owner: Person, folder: Folder | None, count: int, *, prefix: str = "Doc") -> None:
    """``count`` clean files in one bulk insert (names in reverse order of their ids, so
    the order by name is visible)."""
    now = timezone.now()
    Document.objects.bulk_create(
        [
            Document(
                owner=owner,
                folder=folder,
                name=f"{prefix} {count - n:05d}.pdf",
                file=f"documents/{owner.pk}/t-{n}",
                size=100 + n,
                content_type="application/pdf",
                scan=Document.Scan.CLEAN,
                created_at=now,
                updated_at=now,
            )
            for n in range(count)
        ],
        batch_size=500,
    )


def _text(response: Any) -> str:
    return response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")


def _rows(text: str) -> str:
    """The table's body only (the move form lists every folder)."""
    return text[text.index("<tbody>") : text.index("</tbody>")]


def test_pages_hold_folders_first_then_files_by_name(world, login, settings):
    """Page size 4, 2 sub-folders and 7 files: page 1 is the folders then 2 files, page 2
    the next 4 files, page 3 the last; the same order on the page and in the API."""
    settings.DOCUMENTS_PAGE_SIZE = 4
    owner = world.teacher
    top = Folder.objects.create(owner=owner, name="Classe")
    Folder.objects.create(owner=owner, parent=top, name="Zèbres")
    Folder.objects.create(owner=owner, parent=top, name="Abeilles")
    Folder.objects.create(owner=owner, parent=top, name="Corbeille", trashed_at=timezone.now())
    _fill(owner, top, 7)
    client = login(owner)

    page1 = _text(client.get(f"/documents/dossiers/{top.pk}/"))
    assert page1.index("Abeilles") < page1.index("Zèbres") < page1.index("Doc 00001.pdf")
    assert "Doc 00002.pdf" in page1 and "Doc 00003.pdf" not in page1
    assert "2 dossiers et 7 documents" in page1
    assert "Page 1 sur 3" in page1 and "?page=2" in page1 and "Page précédente" not in page1

    page2 = _text(client.get(f"/documents/dossiers/{top.pk}/?page=2"))
    assert "Abeilles" not in _rows(page2)
    assert [f"Doc 0000{n}.pdf" in page2 for n in range(1, 8)] == [
        False,
        False,
        True,
        True,
        True,
        True,
        False,
    ]
    assert "Page 2 sur 3" in page2 and "Page précédente" in page2

    api = client.get(f"/api/v1/documents/dossiers/{top.pk}/?page=3").json()
    assert [d["name"] for d in api["documents"]] == ["Doc 00007.pdf"]
    assert api["folders"] == []
    assert (api["page"], api["page_count"], api["page_size"], api["has_next"]) == (3, 3, 4, False)
    assert (api["folder_count"], api["document_count"]) == (2, 7)
    first = client.get(f"/api/v1/documents/dossiers/{top.pk}/").json()
    assert [f["name"] for f in first["folders"]] == ["Abeilles", "Zèbres"]
    assert [d["name"] for d in first["documents"]] == ["Doc 00001.pdf", "Doc 00002.pdf"]
    assert first["has_next"] is True


def test_same_names_keep_a_stable_order_by_id(world, bearer, settings):
    """Files of the same name are ordered by id: no row is lost or shown twice across
    pages."""
    settings.DOCUMENTS_PAGE_SIZE = 3
    owner = world.pupil
    now = timezone.now()
    Document.objects.bulk_create(
        [
            Document(
                owner=owner,
                name="copie.pdf",
                file=f"documents/{owner.pk}/c-{n}",
                size=10,
                content_type="application/pdf",
                scan=Document.Scan.CLEAN,
                created_at=now,
                updated_at=now,
            )
            for n in range(7)
        ]
    )
    client = bearer(owner)
    seen = []
    for page in (1, 2, 3):
        seen += [d["id"] for d in client.get(f"/api/v1/documents/?page={page}").json()["documents"]]
    assert seen == sorted(Document.objects.values_list("pk", flat=True))


def test_french_plurals_and_grouping(world, login, settings):
    """« 1 document », « Aucun document », « 2 dossiers et 1 document »; « 5 000 documents »
    is checked by the formatting, not by 5,000 rows."""
    from ostal.documents.selectors import Listing
    from ostal.documents.views import contents_label

    def label(folders: int, documents: int) -> str:
        found = Listing(None, [], [], [], folder_count=folders, document_count=documents)
        return contents_label(found).replace("\xa0", " ")

    assert label(0, 0) == "Aucun document"
    assert label(0, 1) == "1 document"
    assert label(1, 0) == "1 dossier"
    assert label(2, 1) == "2 dossiers et 1 document"
    assert label(0, 5000) == "5 000 documents"
    assert label(1200, 5000) == "1 200 dossiers et 5 000 documents"

    _fill(world.pupil, None, 1)
    assert "1 document" in _text(login(world.pupil).get("/documents/"))


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1.5", "²", "100001", "99999999999999999999"])
def test_bad_page_numbers_are_a_clear_400(world, login, raw):
    """On the web the French 400 page, in the API the error shape under ``page``."""
    client = login(world.pupil)
    page = client.get("/documents/", {"page": raw})
    assert page.status_code == 400
    assert "Numéro de page invalide" in page.content.decode()
    api = client.get("/api/v1/documents/", {"page": raw})
    assert api.status_code == 400
    assert api.json()["error"]["fields"]["page"][0].startswith("Numéro de page invalide")


def test_a_page_past_the_last_says_so(world, login, settings):
    """Page 9 of a one-page folder: the web page says so with a link to the last page (a
    404); the API answers empty lists with the totals."""
    settings.DOCUMENTS_PAGE_SIZE = 5
    _fill(world.pupil, None, 6)
    client = login(world.pupil)
    page = client.get("/documents/?page=9")
    assert page.status_code == 404
    text = _text(page)
    assert "Cette page n'existe pas : ce dossier tient sur 2 pages." in text
    assert 'href="?page=2"' in text
    api = client.get("/api/v1/documents/?page=9").json()
    assert (api["documents"], api["folders"], api["document_count"]) == ([], [], 6)
    empty = client.get("/documents/?page=1")
    assert empty.status_code == 200


def test_a_huge_dossier_id_in_the_api_is_a_404(world, bearer):
    response = bearer(world.pupil).get("/api/v1/documents/", {"dossier": "99999999999999999999"})
    assert response.status_code == 404


def test_someone_elses_folder_page_two_is_a_404(world, login):
    theirs = Folder.objects.create(owner=world.teacher, name="Privé")
    client = login(world.pupil)
    assert client.get(f"/documents/dossiers/{theirs.pk}/?page=2").status_code == 404
    assert client.get(f"/api/v1/documents/dossiers/{theirs.pk}/?page=2").status_code == 404


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_folder(world, login):
    """50 files or 500 (inserted in bulk), with sub-folders: the same number of queries
    for page 1 and for a later page, on the page and in the API; a page holds at most
    ``DOCUMENTS_PAGE_SIZE`` rows."""
    owner = world.teacher
    small = Folder.objects.create(owner=owner, name="Petit")
    big = Folder.objects.create(owner=owner, name="Grand")
    for parent in (small, big):
        Folder.objects.create(owner=owner, parent=parent, name="Sous-dossier")
    _fill(owner, small, 50)
    _fill(owner, big, 500)
    client = login(owner)
    client.get(f"/documents/dossiers/{small.pk}/")  # warm the session and caches
    for url in ("/documents/dossiers/{}/", "/api/v1/documents/dossiers/{}/"):
        assert _queries(client, url.format(small.pk)) == _queries(client, url.format(big.pk))
        assert _queries(client, url.format(big.pk) + "?page=2") <= _queries(
            client, url.format(big.pk)
        )
    api = client.get(f"/api/v1/documents/dossiers/{big.pk}/?page=10").json()
    assert len(api["documents"]) == 50
    assert (api["page_count"], api["has_next"]) == (11, True)
    page = _text(client.get(f"/documents/dossiers/{big.pk}/"))
    assert page.count('<tr><td><a href="/documents/fichiers/') == 49
    assert "1 dossier et 500 documents" in page
