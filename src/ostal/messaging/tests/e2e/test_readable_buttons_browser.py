"""The buttons of a message's page are readable: body buttons use a style made for the
page's white background, and the shared axe check fails on text whose contrast axe leaves
undecided (a 1:1 contrast is *incomplete* for axe, not a violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.messaging import services
from ostal.messaging.models import Delivery
from ostal.web.tests.e2e.conftest import contrast, unreadable_contrasts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_axe_check_fails_on_white_text_on_white(page: Page, live_server, axe_check) -> None:
    """A white-on-white button, which axe files as incomplete, fails the shared axe check."""
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.evaluate(
        """() => {
          const b = document.createElement('button');
          b.id = 'invisible';
          b.textContent = 'Transférer';
          b.style.cssText = 'color: #fff; background: transparent; border: 2px solid #fff';
          document.querySelector('main').append(b);
        }"""
    )
    from axe_playwright_python.sync_playwright import Axe

    incomplete = Axe().run(page).response["incomplete"]
    failures = unreadable_contrasts(page, incomplete)
    assert any("#invisible" in f and "1.00:1" in f for f in failures), failures
    with pytest.raises(AssertionError, match="invisible"):
        axe_check(page)


def test_message_actions_are_readable(page: Page, live_server, mw, axe_check) -> None:
    """On a message, « Répondre à tous », « Transférer », « Mettre à la corbeille »,
    « Ranger » and « Signaler ce message » contrast at least 4.5:1 with the page."""
    world = mw.world
    message = services.message_send(
        sender=world.teacher,
        targets=[f"p:{world.parent.pk}", f"p:{world.other_parent.pk}"],
        subject="Sortie au musée",
        body="Départ à 8 h.",
    )
    services.folder_create(owner=world.parent, name="Sorties")
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/messagerie/message/{message.pk}/")
    expect(page.get_by_text("Départ à 8 h.")).to_be_visible()
    names = ["Répondre à tous", "Transférer", "Mettre à la corbeille", "Ranger"]
    names.append("Signaler ce message")
    main = page.get_by_role("main")
    for i, name in enumerate(names):
        control = main.get_by_role("button", name=name).or_(main.get_by_role("link", name=name))
        expect(control).to_be_visible()
        control.evaluate(f"(el) => el.setAttribute('data-check', '{i}')")
        found = contrast(page, f'[data-check="{i}"]')
        assert found.get("ratio", 0) >= 4.5, (name, found)
    axe_check(page)
    assert Delivery.objects.get(message=message, recipient=world.parent).read_at is not None
