"""The web shell: home per profile, the class roster matrix, the switchers, French errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ostal.web.context import SESSION_CHILD

PERSONAS = [
    "pupil",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "admin",
    "other_admin",
    "agent",
    "anonymous",
]


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("pupil", "Classe de 4B"),
        ("parent", "Mes enfants"),
        ("teacher", "Mes classes"),
        ("admin", "L'établissement en chiffres"),
        ("agent", "Établissements"),
    ],
)
def test_each_profile_has_its_home_page(login, world, persona, heading):
    """Pupils, parents, teachers, staff and collectivité agents each get their own home."""
    response = login(world.persona(persona)).get("/")
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    """Every page but the login page needs an account."""
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Who may open the roster of class 4B (collège): its teachers and the school's management.
ROSTER_ALLOWED = {"teacher", "admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_class_roster_matrix(login, world, persona):
    """The roster of a class is for its teachers and its school's management; others get 404."""
    response = login(world.persona(persona)).get(reverse("web:class", args=[world.class_4b.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in ROSTER_ALLOWED:
        assert response.status_code == 200
        html = response.content.decode()
        assert "Durand Alice" in html and "Petit Chloé" in html
    else:
        assert response.status_code == 404
        assert "Durand Alice" not in response.content.decode()


def test_a_missing_class_and_a_forbidden_class_look_the_same(login, world):
    """A class that does not exist and one you may not see both answer the same 404 page."""
    client = login(world.other_teacher)
    forbidden = client.get(reverse("web:class", args=[world.class_4b.pk]))
    missing = client.get(reverse("web:class", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    main = lambda r: r.content.decode().split("<main", 1)[1].split("</main>")[0]  # noqa: E731
    assert main(forbidden) == main(missing)


def test_a_parent_switches_between_children_in_two_schools(login, world):
    """A parent sees one child at a time, and the active school follows the child."""
    client = login(world.parent)
    first = client.get("/").content.decode()
    assert "Scolarité d&#x27;Alice" in first and "Collège Test" in first
    response = client.post(reverse("web:switch_child"), {"child": world.sibling.pk, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "Scolarité de Bruno" in page and "Classe de 2NDE1" in page and "Lycée Test" in page
    assert client.session[SESSION_CHILD] == world.sibling.pk


def test_a_parent_cannot_switch_to_someone_elses_child(login, world):
    """Choosing a pupil who is not one's child is refused and changes nothing."""
    client = login(world.parent)
    response = client.post(
        reverse("web:switch_child"), {"child": world.other_pupil.pk}, follow=True
    )
    assert "ne fait pas partie de vos enfants" in response.content.decode()
    assert SESSION_CHILD not in client.session
    assert "Chloé" not in response.content.decode()


def test_the_child_switcher_is_shown_only_to_parents_of_several_children(login, world):
    """Parents of several children get the child switcher; a parent of one does not."""
    assert 'id="child-switcher"' in login(world.parent).get("/").content.decode()
    assert 'id="child-switcher"' not in login(world.other_parent).get("/").content.decode()


def test_a_teacher_in_two_schools_switches_school(login, world):
    """Someone working in two schools picks the one they are working in."""
    from ostal.directory import services
    from ostal.directory.models import Profile

    services.affiliation_add(person=world.teacher, school=world.lycee, profile=Profile.TEACHER)
    client = login(world.teacher)
    assert 'id="school-switcher"' in client.get("/").content.decode()
    client.post(reverse("web:switch_school"), {"school": world.lycee.pk})
    assert "Lycée Test" in client.get(reverse("web:school")).content.decode()
    # A school that is not theirs is refused.
    client.post(reverse("web:switch_school"), {"school": world.lycee.pk + 1000})
    assert "Lycée Test" in client.get(reverse("web:school")).content.decode()


def test_the_switcher_never_redirects_off_site(login, world):
    """The switchers' ``next`` only leads back into Ostal."""
    response = login(world.parent).post(
        reverse("web:switch_child"), {"child": world.sibling.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_school_page_shows_direction_contacts(login, world):
    """The school page lists its direction for the people of the school."""
    html = login(world.pupil).get(reverse("web:school")).content.decode()
    assert "Collège Test" in html and "Hélène" in html and "Iglesias" in html


def test_unknown_urls_get_a_french_page_without_internals(login, world):
    """Unknown URLs answer a French 404 page that reveals nothing of the code."""
    response = login(world.pupil).get("/nexiste/pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in html
    assert "Traceback" not in html and "urlpatterns" not in html and "ostal.web" not in html


def test_server_errors_get_a_french_page(client, db, settings):
    """A server error answers the French 500 page."""
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html and 'lang="fr"' in html


def test_pages_have_landmarks_and_a_skip_link(login, world):
    """Every page has a skip link to the main content and the banner/nav/main/footer landmarks."""
    html = login(world.parent).get("/").content.decode()
    assert '<a class="skip-link" href="#contenu">' in html
    for landmark in ('role="banner"', "<nav", '<main id="contenu"', 'role="contentinfo"'):
        assert landmark in html


@pytest.mark.parametrize(
    ("persona", "limit"), [("pupil", 24), ("parent", 31), ("teacher", 20), ("admin", 14)]
)
def test_home_page_query_count_is_pinned(
    login, world, persona, limit, django_assert_max_num_queries
):
    """Home pages use a bounded number of queries (no N+1 over classes or children); the
    pupil's, parent's and teacher's read their « Aujourd'hui » (test_home_today.py)."""
    client = login(world.persona(persona))
    client.get("/")  # warm the session
    with django_assert_max_num_queries(limit):
        assert client.get("/").status_code == 200
