"""Each persona walks their menus in a real browser (issue 15, « Done when »): at 360 px
(the folded « Menu ») and at 1280 px (the bar), every entry of their menu is reached by
clicking; on each page reached the page is not an error, nothing scrolls sideways at that
width nor at 320 px outside data tables (RGAA 10.11), and axe reports no serious or
critical violation and no unreadable contrast it left undecided (``axe_check``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostal.homework.services import HomeworkInput, lesson_save
from ostal.messaging import services as messaging
from ostal.pilotage.tests.conftest import Groupement, groupement  # noqa: F401 (fixture)
from ostal.web.tests.e2e.test_reflow_browser import _REFLOW_JS, _log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

_ERROR_TITLES = ("Page introuvable", "Accès refusé", "Requête incorrecte", "Erreur du serveur")

# The entries each persona must find in their menu (at least these: a page of theirs that
# no menu offers is a page they cannot find). The agents are the groupement's: the Région's
# coordinator and the Hérault département's member (``world.agent``).
_MENUS = {
    "pupil": {"Accueil", "Mon établissement", "Messagerie", "Emploi du temps", "Cahier de textes"},
    "parent": {"Accueil", "Mon établissement", "Messagerie", "Emploi du temps", "Cahier de textes"},
    "teacher": {"Accueil", "Mon établissement", "Messagerie", "Emploi du temps"},
    "admin": {"Accueil", "Mon établissement", "Messagerie", "Journal de sécurité"},
    "agent": {"Accueil", "Messagerie", "Pilotage du groupement", "Statistiques"},
    "coordinator": {"Accueil", "Messagerie", "Pilotage du groupement", "Déploiement"},
}
_MENUS = {k: v | {"Mon compte", "Actualités"} for k, v in _MENUS.items()}
# Pages listed on a menu page that the persona must reach one click further.
_LISTED = {
    "admin": ("/classes/{class_4b}/", "/emploi-du-temps/cours/", "/emploi-du-temps/import/"),
    "teacher": ("/classes/{class_4b}/",),
}


def _fill_the_pages(world: Any, members: Groupement) -> None:
    """Pages with something in them: a message to the family, a lesson with work due, an
    order of the groupement (tables and long lines are what push a page sideways)."""
    messaging.message_send(
        sender=world.teacher,
        targets=[f"p:{world.parent.pk}", f"p:{world.pupil.pk}", f"p:{world.admin.pk}"],
        subject="Réunion parents-professeurs du deuxième trimestre de l'année scolaire",
        body="Jeudi à 18 h, en salle polyvalente.",
        about_pupil=world.pupil,
    )
    today = timezone.localdate()
    lesson_save(
        author=world.teacher,
        audience=world.class_4b,
        day=today,
        title="Théorème de Pythagore et sa réciproque",
        subject_label="Mathématiques",
        content="<p>Démonstration.</p><ul><li>Énoncé</li><li>Réciproque</li></ul>",
        homework=[
            HomeworkInput(due_date=today + timedelta(days=2), instructions="Exercices 12 à 15")
        ],
    )
    members.order()


def _menu(page: Page, folded: bool) -> Any:
    """The visible rendering of the services menu, opened first when it is folded."""
    nav = page.get_by_role("navigation", name="Services")
    if not folded:
        return nav.locator(".site-nav__bar")
    toggle = nav.locator("summary")
    expect(toggle).to_be_visible()
    if nav.locator("details").get_attribute("open") is None:
        toggle.click()
    return nav.locator("details")


def _fits(page: Page, where: str) -> None:
    found: dict[str, Any] = page.evaluate(_REFLOW_JS)
    assert found["scroll"] <= found["client"], f"{where} scrolls sideways: {found}"
    assert not found["loose"], f"{where}: tables outside a scrolling region: {found['loose']}"


def _check(page: Page, response: Any, where: str, axe_check: Any, width: int, height: int) -> None:
    """The page reached is no error, has its heading, fits its width and 320 px outside
    data tables, and passes axe."""
    assert response is not None and response.status == 200, where
    title = page.title()
    assert not title.startswith(_ERROR_TITLES), f"{where}: {title}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _fits(page, where)
    axe_check(page)
    page.set_viewport_size({"width": 320, "height": height})
    _fits(page, f"{where} at 320 px")
    page.set_viewport_size({"width": width, "height": height})


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("persona", list(_MENUS))
def test_each_persona_walks_their_menu(
    page: Page,
    live_server: Any,
    world: Any,
    groupement: Groupement,  # noqa: F811
    axe_check: Any,
    persona: str,
    width: int,
) -> None:
    """Every entry of the persona's menu, and every page a menu page lists, is reached by
    clicking; each page reached is no error, fits its width and 320 px outside data tables,
    and passes axe."""
    _fill_the_pages(world, groupement)
    person = groupement.persona(persona, world)
    assert person is not None
    height = 740 if width == 360 else 800
    page.set_viewport_size({"width": width, "height": height})
    base = live_server.url
    _log_in(page, base, person.username)
    folded = width < 640

    links = _menu(page, folded).get_by_role("link")
    entries = [(link.inner_text().strip(), link.get_attribute("href")) for link in links.all()]
    assert _MENUS[persona] <= {name for name, _ in entries}, entries

    visited: list[str] = []
    listed: dict[str, str] = {}  # the pages a menu page lists (its link-lists): href → entry
    for name, href in entries:
        if href in visited:
            continue
        with page.expect_navigation() as navigation:
            _menu(page, folded).get_by_role("link", name=name, exact=True).click()
        where = f"{persona} at {width} px, « {name} » ({href})"
        _check(page, navigation.value, where, axe_check, width, height)
        # the menu is still the persona's menu, and (unless the entry redirects, as the
        # family's timetable does to the week of a child) both renderings say where we are
        expect(page.locator(".site-nav__bar a")).to_have_count(len(entries))
        current = page.locator(f'.site-nav a[href="{href}"][aria-current=page]')
        expect(current).to_have_count(2 if page.url == base + href else 0)
        visited.append(href)
        for link in page.locator("main .link-list a").all():
            listed.setdefault(link.get_attribute("href") or "", name)
    assert len(visited) == len({href for _, href in entries}) >= len(_MENUS[persona])

    # One step further: the pages a menu page lists for its persona (the principal's
    # classes and timetable tools, the teacher's classes and cahiers de textes).
    for href, name in listed.items():
        if href in visited or not href.startswith("/"):
            continue
        with page.expect_navigation():
            _menu(page, folded).get_by_role("link", name=name, exact=True).click()
        with page.expect_navigation() as navigation:
            page.locator(f'main .link-list a[href="{href}"]').first.click()
        _check(
            page,
            navigation.value,
            f"{persona} at {width} px, {href} from « {name} »",
            axe_check,
            width,
            height,
        )
        visited.append(href)
    expected = {p.format(class_4b=world.class_4b.pk) for p in _LISTED.get(persona, ())}
    assert expected <= set(visited), visited
    person.refresh_from_db()
    assert person.last_login is not None  # the walk was theirs, signed in
