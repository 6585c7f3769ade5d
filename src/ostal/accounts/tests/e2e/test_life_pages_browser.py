"""Every other account-life page passes axe in a real browser: charter, forgotten
password, password and e-mail pages, confirmation and reset links, the class roster's
admin panel and the page of a new reset code."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from ostal.accounts.services.life import email_token_make
from ostal.conftest import PASSWORD
from ostal.directory.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_account_life_pages_are_accessible(page: Page, live_server, world, axe_check):
    """Anonymous, signed-in and admin pages of account life have no serious violation."""
    cache.clear()
    base = live_server.url
    page.goto(f"{base}{reverse('accounts:charter')}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Charte")
    axe_check(page)

    page.goto(f"{base}{reverse('accounts:password_forgot')}")
    page.get_by_label("Identifiant ou adresse électronique").fill("parent")
    page.get_by_role("button", name="Recevoir un lien").click()
    expect(page.locator("#reset-sent")).to_be_visible()
    axe_check(page)

    Person.objects.filter(pk=world.parent.pk).update(email="diane@example.org")
    parent = Person.objects.get(pk=world.parent.pk)
    page.goto(f"{base}{reverse('accounts:email_confirm', args=[email_token_make(parent)])}")
    expect(page.get_by_role("button", name="Confirmer l'adresse")).to_be_visible()
    axe_check(page)

    uid = urlsafe_base64_encode(force_bytes(parent.pk))
    token = default_token_generator.make_token(parent)
    page.goto(f"{base}{reverse('accounts:password_reset_confirm', args=[uid, token])}")
    expect(page.get_by_label("Nouveau mot de passe")).to_be_visible()
    axe_check(page)

    sign_in(page, base, "parent")
    page.goto(f"{base}{reverse('accounts:password_change')}")
    page.get_by_label("Mot de passe actuel").fill("faux")
    page.get_by_label("Nouveau mot de passe").fill("court")
    page.get_by_label("Confirmez le mot de passe").fill("court")
    page.get_by_role("button", name="Changer le mot de passe").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)
    page.goto(f"{base}{reverse('accounts:email_change')}")
    page.get_by_label("Nouvelle adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)

    page.context.clear_cookies()
    sign_in(page, base, "admin")
    page.goto(f"{base}{reverse('web:class', args=[world.class_4b.pk])}")
    expect(
        page.get_by_role("heading", name="Comptes de la classe (administration)")
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Nouveau code pour Alice Durand").click()
    expect(
        page.get_by_role(
            "heading", name="Nouveau code d'activation pour le compte d'Alice Durand ?"
        )
    ).to_be_visible()
    axe_check(page)
    assert not Person.objects.get(pk=world.pupil.pk).activation_code
    page.get_by_role("button", name="Confirmer : créer un nouveau code").click()
    expect(page.get_by_role("heading", name="Nouveau code d'activation")).to_be_visible()
    axe_check(page)
    assert Person.objects.get(pk=world.pupil.pk).activation_code
