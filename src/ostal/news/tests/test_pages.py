"""The pages: reachable from the menu, the permission matrix on an item (missing and
forbidden are the same 404), the editor's form and its French errors, the read count,
and the JSON API for the mobile app."""

from __future__ import annotations

import pytest

from ostal.news import services
from ostal.news.models import NewsItem, NewsRead
from ostal.news.tests.conftest import NewsWorld, news_input

pytestmark = pytest.mark.django_db


def _class_item(nw: NewsWorld) -> NewsItem:
    w = nw.w
    return services.news_save(
        author=w.admin,
        data=news_input(
            owner=f"school:{w.college.pk}",
            targets=[f"class:{w.class_4b.pk}"],
            for_parents=True,
            for_pupils=True,
        ),
        action="send",
    )


def test_menu_links_to_news(nw: NewsWorld, login):
    """Every signed-in profile finds « Actualités » in the menu."""
    page = login(nw.w.parent).get("/").content.decode()
    assert 'href="/actualites/"' in page and "Actualités" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pupil", 200),
        ("parent", 200),
        ("other_parent", 200),  # Chloé is in 4B too
        ("teacher", 404),  # not in the audience (parents and pupils)
        ("other_teacher", 404),
        ("admin", 200),  # the author
        ("other_admin", 404),
        ("agent", 404),
        ("anonymous", 302),
    ],
)
def test_item_permission_matrix(nw: NewsWorld, login, persona, status):
    """A 4B item for pupils and parents: readable by them and its author, 404 otherwise."""
    item = _class_item(nw)
    response = login(nw.w.persona(persona)).get(f"/actualites/{item.pk}/")
    assert response.status_code == status
    assert NewsRead.objects.filter(item=item).count() == (
        1 if status == 200 and persona != "admin" else 0
    )


def test_parent_of_another_class_gets_404(nw: NewsWorld, login):
    """The 4C parent neither lists nor opens a 4B item; an unknown id is the same 404."""
    item = _class_item(nw)
    client = login(nw.parent_4c)
    assert item.title not in client.get("/actualites/").content.decode()
    assert client.get(f"/actualites/{item.pk}/").status_code == 404
    assert client.get("/actualites/999999/").status_code == 404


def test_list_names_the_child_and_unread(nw: NewsWorld, login):
    """The parent's list shows the item, the child concerned and the unread count."""
    item = _class_item(nw)
    page = login(nw.w.parent).get("/actualites/").content.decode()
    assert item.title in page and "Concerne : Alice Durand" in page
    assert "1 actualité non lue" in page


def test_author_sees_read_count(nw: NewsWorld, login):
    """After a parent reads it, the author sees « Lue par 1 personne »."""
    item = _class_item(nw)
    login(nw.w.parent).get(f"/actualites/{item.pk}/")
    page = login(nw.w.admin).get(f"/actualites/{item.pk}/").content.decode()
    assert "Lue par 1 personne" in page
    mine = login(nw.w.admin).get("/actualites/mes-publications/").content.decode()
    assert "1 lecture" in mine


@pytest.mark.parametrize("persona", ["pupil", "parent"])
def test_families_have_no_editor(nw: NewsWorld, login, persona):
    """Pupils and parents get 404 on the editor and on « Mes publications »."""
    client = login(nw.w.persona(persona))
    assert client.get("/actualites/nouvelle/").status_code == 404
    assert client.get("/actualites/mes-publications/").status_code == 404


def test_editor_publishes_for_two_classes(nw: NewsWorld, login):
    """The principal's form publishes an item for the parents of two classes."""
    w = nw.w
    client = login(w.admin)
    form = client.get("/actualites/nouvelle/").content.decode()
    assert f'value="class:{nw.class_4a.pk}"' in form
    response = client.post(
        "/actualites/nouvelle/",
        {
            "owner": f"school:{w.college.pk}",
            "targets": [f"class:{nw.class_4a.pk}", f"class:{w.class_4b.pk}"],
            "for_parents": "on",
            "title": "Réunion parents-professeurs",
            "body": "Rendez-vous jeudi.\n\n- 17 h : 4A\n- 18 h : 4B",
            "action": "send",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response.url == f"/actualites/{item.pk}/"
    assert item.status == NewsItem.Status.PUBLISHED
    assert item.body == "<p>Rendez-vous jeudi.</p><ul><li>17 h : 4A</li><li>18 h : 4B</li></ul>"
    assert {c.pk for c in item.classes.all()} == {nw.class_4a.pk, w.class_4b.pk}


def test_editor_errors_in_french_and_nothing_stored(nw: NewsWorld, login):
    """A form without title nor audience comes back with French errors; nothing is stored."""
    w = nw.w
    response = login(w.admin).post(
        "/actualites/nouvelle/",
        {"owner": f"school:{w.college.pk}", "title": "", "body": "x", "action": "send"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Le formulaire contient des erreurs" in page
    assert not NewsItem.objects.exists()
    response = login(w.admin).post(
        "/actualites/nouvelle/",
        {"owner": f"school:{w.college.pk}", "title": "T", "body": "x", "action": "send"},
    )
    assert "Choisissez au moins un public" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_teacher_submits_and_direction_validates_through_pages(nw: NewsWorld, login):
    """A teacher's item is submitted; the principal finds it « À valider » and publishes it."""
    w = nw.w
    response = login(w.teacher).post(
        "/actualites/nouvelle/",
        {
            "owner": f"school:{w.college.pk}",
            "targets": [f"class:{w.class_4b.pk}"],
            "for_parents": "on",
            "title": "Sortie",
            "body": "Au musée.",
            "action": "send",
        },
        follow=True,
    )
    assert "soumise à la direction" in response.content.decode()
    item = NewsItem.objects.get()
    mine = login(w.admin).get("/actualites/mes-publications/").content.decode()
    assert "À valider" in mine and f"/actualites/{item.pk}/" in mine
    assert login(w.other_admin).post(f"/actualites/{item.pk}/publier/").status_code == 404
    login(w.admin).post(f"/actualites/{item.pk}/publier/")
    item.refresh_from_db()
    assert item.status == NewsItem.Status.PUBLISHED


def test_delete_confirms_then_deletes(nw: NewsWorld, login):
    """Deleting shows what it will do, then deletes on POST."""
    item = _class_item(nw)
    client = login(nw.w.admin)
    assert "définitive" in client.get(f"/actualites/{item.pk}/supprimer/").content.decode()
    assert NewsItem.objects.exists()
    client.post(f"/actualites/{item.pk}/supprimer/")
    assert not NewsItem.objects.exists()


def test_settings_page_for_direction_only(nw: NewsWorld, login):
    """The direction sets direct publication for teachers; a teacher gets 404."""
    w = nw.w
    assert login(w.teacher).get(f"/actualites/reglages/{w.college.pk}/").status_code == 404
    login(w.admin).post(
        f"/actualites/reglages/{w.college.pk}/", {"teachers_publish_directly": "on"}
    )
    assert w.college.news_settings.teachers_publish_directly


def test_api_list_and_detail(nw: NewsWorld, bearer):
    """The mobile API lists the parent's news with the child named; reading marks it read;
    another family's item is a 404 in the API's error shape."""
    item = _class_item(nw)
    client = bearer(nw.w.parent)
    data = client.get("/api/v1/news/").json()
    assert [d["id"] for d in data] == [item.pk]
    assert data[0]["children"] == [{"id": nw.w.pupil.pk, "name": "Alice Durand"}]
    assert data[0]["read"] is False
    detail = client.get(f"/api/v1/news/{item.pk}/").json()
    assert detail["read"] is True and detail["first_read"] is True and "<p>" in detail["body"]
    assert NewsRead.objects.filter(item=item, reader=nw.w.parent).exists()
    other = bearer(nw.parent_4c).get(f"/api/v1/news/{item.pk}/")
    assert other.status_code == 404 and "error" in other.json()


def test_api_requires_authentication(nw: NewsWorld, client):
    """Anonymous calls are refused."""
    assert client.get("/api/v1/news/").status_code in {401, 403}


def test_draft_edit_form_gives_back_the_light_markup(nw: NewsWorld, login):
    """The author's draft opens in the editor with its text in the light markup; another
    author gets 404."""
    w = nw.w
    item = services.news_save(
        author=w.admin,
        data=news_input(owner=f"school:{w.college.pk}", for_parents=True, body="Un.\n\n- a\n- b"),
        action="draft",
    )
    page = login(w.admin).get(f"/actualites/{item.pk}/modifier/").content.decode()
    assert "Un.\n\n- a\n- b</textarea>" in page
    assert login(w.teacher).get(f"/actualites/{item.pk}/modifier/").status_code == 404
    assert login(w.parent).get(f"/actualites/{item.pk}/").status_code == 404
