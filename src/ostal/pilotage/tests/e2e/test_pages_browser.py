"""The coordinator's pages (convention, consultations, costs, statistics) in a real browser:
they render their content and pass axe (no serious or critical violation)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.core.models import AudienceEvent
from ostal.pilotage import services
from ostal.pilotage.models import Order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_pages_are_accessible(
    page: Page, live_server, groupement, world, axe_check
):
    """Convention, a member's account, consultation, costs and statistics pages, as the
    Région's staff see them."""
    order = groupement.order()
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    services.consultation_open(
        convention=groupement.convention,
        title="Analyse lot 1",
        sent_at=datetime.now(tz=UTC) - timedelta(days=2),
        actor=groupement.coordinator,
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, datetime.min.time())) + timedelta(hours=9)
    AudienceEvent.objects.bulk_create(
        [
            AudienceEvent(
                at=at, service="portail", uai=world.college.uai, profile="ELV", pseudonym=f"p{i}"
            )
            for i in range(5)
        ]
    )
    services.audience_aggregate_day(day=yesterday)

    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(groupement.coordinator.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    nav = page.get_by_role("navigation", name="Pilotage du groupement")
    page.goto(f"{live_server.url}/pilotage/")
    nav.get_by_role("link", name="Convention et membres").click()
    expect(page.get_by_role("table", name="Membres du groupement")).to_contain_text(
        "Tarn-et-Garonne"
    )
    axe_check(page)
    page.get_by_role("table", name="Membres du groupement").get_by_role(
        "link", name="Hérault"
    ).click()
    expect(page.get_by_role("table", name="Sommes restant dues")).to_contain_text(order.number)
    axe_check(page)
    page.get_by_role("link", name="Retour à la convention et aux membres").click()
    nav.get_by_role("link", name="Analyse des offres").click()
    axe_check(page)
    page.get_by_role("link", name="Analyse lot 1").click()
    expect(page.get_by_role("table", name="Observations des membres")).to_contain_text("Hérault")
    axe_check(page)
    nav.get_by_role("link", name="Coûts").click()
    expect(page.get_by_role("table").first).to_contain_text("100,00 %")
    axe_check(page)
    nav.get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("img", name="Visites par service")).to_be_visible()
    expect(page.get_by_role("table", name="Par établissement")).to_contain_text(world.college.uai)
    axe_check(page)
