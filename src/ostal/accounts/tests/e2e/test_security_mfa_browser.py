"""A school admin enrols an authenticator app in a real browser, then signs in again with
a code; the setup, recovery, verify, sessions and profile pages have no serious or
critical accessibility violations."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, drift: int = 0) -> str:
    """The app's code, computed from the secret shown on the page (as the app does)."""
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key, drift=drift):06d}"


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_an_admin_enrols_totp_and_signs_in_with_a_code(
    page: Page, live_server, world, axe_check, settings
):
    """Password → setup (QR + key) → first code → recovery codes → next login asks a code."""
    settings.OSTAL_MFA_ENFORCED = True
    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
    axe_check(page)
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code affiché par l'application").fill(code_for(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Codes de secours", exact=True)).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    axe_check(page)
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", name="Mon compte", exact=True)).to_be_visible()
    expect(page.get_by_text("Activité récente de mon compte")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Voir mes sessions et appareils").click()
    expect(page.get_by_text("cette session")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, live_server.url)
    expect(page.get_by_role("heading", name="Double authentification", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert")).to_contain_text("Code incorrect")
    page.wait_for_timeout(1100)  # django-otp pauses 1 s after a wrong code
    page.get_by_label("Code de vérification").fill(code_for(secret, drift=1))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Double authentification")).to_have_count(0)
    page.get_by_role("link", name="Journal de sécurité").click()
    expect(page.get_by_role("heading", name="Journal de sécurité")).to_be_visible()
    expect(page.get_by_role("cell", name="Double authentification activée")).to_be_visible()
    axe_check(page)
