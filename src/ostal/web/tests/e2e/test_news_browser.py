"""News in a real browser (issue 17, item 1): a principal publishes an item for the parents
of two classes from the menu; a parent of each class sees it with their child named; a
parent of a third class does not. Each page passes axe and fits 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.directory import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

_FITS_JS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_principal_publishes_for_parents_of_two_classes(
    page: Page, live_server, world, axe_check
) -> None:
    """Principal → Actualités → Écrire: 4A and 4B parents; each parent sees it naming their
    child, the 4C parent does not."""
    class_4a = factories.school_class(school=world.college, code="4A")
    class_4c = factories.school_class(school=world.college, code="4C")
    ilyes = factories.pupil(school_class=class_4a, first_name="Ilyès", last_name="Amrani")
    factories.relative(children=[ilyes], username="parent.4a", password=PASSWORD)
    lucas = factories.pupil(school_class=class_4c, first_name="Lucas", last_name="Martin")
    factories.relative(children=[lucas], username="parent.4c", password=PASSWORD)
    base = live_server.url

    _log_in(page, base, "admin")
    page.get_by_role("link", name="Actualités").first.click()
    expect(page.get_by_role("heading", name="Actualités", level=1)).to_be_visible()
    page.get_by_role("link", name="Écrire une actualité").click()
    expect(page.get_by_role("heading", name="Écrire une actualité")).to_be_visible()
    axe_check(page)
    page.get_by_label("Classe 4A").check()
    page.get_by_label("Classe 4B").check()
    expect(page.get_by_label("Parents", exact=True)).to_be_checked()
    page.get_by_label("Titre").fill("Réunion parents-professeurs")
    page.get_by_label("Texte").fill(
        'Jeudi à 18 h.\n\n<a href="javascript:alert(1)">piège</a> <script>alert(1)</script>'
    )
    page.get_by_role("button", name="Publier (ou soumettre à validation)").click()
    expect(page.get_by_role("heading", name="Réunion parents-professeurs")).to_be_visible()
    expect(page.locator("#read-count")).to_have_text("Lue par personne pour l'instant")
    assert page.locator(".news-body script").count() == 0
    assert page.locator('.news-body a[href^="javascript"]').count() == 0
    axe_check(page)

    for username, child in (("parent", "Alice Durand"), ("parent.4a", "Ilyès Amrani")):
        _log_in(page, base, username)
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(f"{base}/actualites/")
        item = page.get_by_role("listitem").filter(has_text="Réunion parents-professeurs")
        expect(item).to_contain_text(f"Concerne : {child}")
        assert page.evaluate(_FITS_JS)
        axe_check(page)
        item.get_by_role("link", name="Réunion parents-professeurs").click()
        expect(page.get_by_text(f"Concerne : {child}")).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 800})

    _log_in(page, base, "parent.4c")
    page.goto(f"{base}/actualites/")
    expect(page.get_by_role("heading", name="Actualités", level=1)).to_be_visible()
    expect(page.get_by_text("Réunion parents-professeurs")).to_have_count(0)
    expect(page.get_by_text("Aucune actualité non lue")).to_be_visible()
    axe_check(page)

    _log_in(page, base, "admin")
    page.goto(f"{base}/actualites/mes-publications/")
    expect(page.get_by_role("cell", name="2 lectures")).to_be_visible()
