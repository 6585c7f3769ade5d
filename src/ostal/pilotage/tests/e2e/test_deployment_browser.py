"""A département's staff order the deployment of the ENT for two of their collèges, notify
the order, and the schools open: their users stop seeing the "not open" page. Every page
on the way passes axe (no serious or critical violation)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.pilotage.models import Order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_departement_orders_deployment_for_two_colleges_and_they_open(
    page: Page, live_server, groupement, world, axe_check, settings
):
    """Département staff: new order for two collèges → notify → the pupil's school opens."""
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    base = live_server.url

    _login(page, base, world.pupil.username)
    expect(
        page.get_by_role("heading", name="L'ENT de votre établissement n'est pas encore ouvert")
    ).to_be_visible()
    axe_check(page)

    _login(page, base, groupement.member_staff.username)
    page.get_by_role("link", name="Pilotage du groupement").click()
    expect(page.get_by_role("heading", name="Pilotage du groupement", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Pilotage du groupement").get_by_role(
        "link", name="Déploiement"
    ).click()
    expect(page.get_by_role("table", name="Établissements")).to_contain_text("Non ouvert")
    axe_check(page)
    page.get_by_role("navigation", name="Pilotage du groupement").get_by_role(
        "link", name="Bons de commande"
    ).click()
    axe_check(page)
    page.get_by_role("link", name="Nouveau bon de commande").click()
    axe_check(page)
    page.get_by_label("Déploiement (forfaitaire et récurrent)").check()
    page.get_by_label("Objet").fill("Déploiement de l'ENT dans deux collèges")
    page.get_by_label("Montant forfaitaire HT (€)").fill("12500,00")
    page.get_by_label("Montant récurrent HT (€ par an)").fill("4800,00")
    page.get_by_label("Début de la prestation").fill(groupement.today.isoformat())
    page.get_by_label("Fin de la prestation").fill(groupement.agreement.ends_on.isoformat())
    page.get_by_label(str(world.college)).check()
    page.get_by_label(str(groupement.college2)).check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("enregistré en brouillon")).to_be_visible()
    axe_check(page)
    order = Order.objects.get()
    assert order.state == Order.State.DRAFT
    expect(page.get_by_text(f"× {order.years} ans")).to_be_visible()
    page.get_by_role("button", name="Passer à « Notifié au titulaire »").click()
    expect(page.get_by_text("Notifié au titulaire").first).to_be_visible()
    order.refresh_from_db()
    assert order.state == Order.State.NOTIFIED
    assert order.schools.count() == 2
    page.get_by_role("navigation", name="Pilotage du groupement").get_by_role(
        "link", name="Déploiement"
    ).click()
    table = page.get_by_role("table", name="Établissements")
    expect(table.get_by_role("row").filter(has_text=world.college.uai)).to_contain_text("Ouvert")
    expect(table.get_by_role("row").filter(has_text=groupement.college2.uai)).to_contain_text(
        "Ouvert"
    )
    axe_check(page)

    _login(page, base, world.pupil.username)
    expect(
        page.get_by_role("heading", name="L'ENT de votre établissement n'est pas encore ouvert")
    ).to_have_count(0)
    expect(page.get_by_role("navigation", name="Services")).to_be_visible()
    axe_check(page)
