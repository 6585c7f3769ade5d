"""The charter, when it must be accepted, in a real browser: the form passes axe, the box
is labelled, accepting continues to the page asked for."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.directory.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_newer_charter_is_accepted_then_the_page_asked_for_opens(
    page: Page, live_server, world, settings, axe_check
):
    """After a password login with a newer charter in force, ticking the box and accepting leads to ``next``."""
    cache.clear()
    Person.objects.filter(pk=world.parent.pk).update(
        charter_accepted_at=timezone.now(), charter_version=1
    )
    settings.OSTAL_CHARTER_VERSION = 2
    base = live_server.url
    page.goto(f"{base}/comptes/connexion/?next=/compte/")
    page.get_by_label("Identifiant").fill("parent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{base}/comptes/charte/?next=%2Fcompte%2F")
    axe_check(page)
    page.get_by_label("J'ai lu la charte d'utilisation et je l'accepte.").check()
    page.get_by_role("button", name="Accepter et continuer").click()

    expect(page).to_have_url(f"{base}/compte/")
    assert Person.objects.get(pk=world.parent.pk).charter_version == 2
