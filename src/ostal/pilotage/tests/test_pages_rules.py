"""The convention's rules as the pilotage pages and the JSON API apply them (issue 13):
exclusion of a member that owes dues, orders for another collectivité's schools, who
issues deployment orders, and recurring amounts counted per year of the order."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

from ostal.conftest import PASSWORD
from ostal.directory import factories
from ostal.directory.models import Profile
from ostal.pilotage import services
from ostal.pilotage.models import (
    Membership,
    Order,
    PilotageRole,
    add_years,
    order_years,
)
from ostal.pilotage.money import euros
from ostal.pilotage.tests.test_convention import _decide_exclusion
from ostal.territory.factories import SchoolFactory
from ostal.territory.models import Authority, School
from ostal.territory.services import territory_load


def _text(response) -> str:
    return unescape(response.content.decode())


def test_a_member_that_owes_dues_is_excluded_from_the_page_and_its_account_shows_them(
    groupement, login
):
    """Art. 5: once every other member has expressly decided, the coordinator's page
    excludes a member that owes the contractor; the dues stay owed and show on its account."""
    order = groupement.order(
        member=groupement.aveyron,
        actor=groupement.other_member_staff,
        schools=[groupement.aveyron_college],
    )
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.other_member_staff
    )
    target = groupement.membership(groupement.aveyron)
    _decide_exclusion(groupement, target, skip=(groupement.herault,))
    url = f"/pilotage/convention/membres/{target.pk}/exclusion/"
    form = {"deliberation": "Constat CP-2026-12", "on": groupement.today.isoformat()}

    coordinator = login(groupement.coordinator)
    refused = _text(coordinator.post(url, form, follow=True))
    assert "Refusé — Art. 5 : Exclusion refusée" in refused
    assert "Hérault" in refused
    assert "Exclusion refusé " not in refused
    target.refresh_from_db()
    assert target.is_current

    # The last member records its decision from its own page.
    vote = login(groupement.member_staff).post(
        f"/pilotage/convention/membres/{target.pk}/vote-exclusion/",
        {"deliberation": "Délibération CD34", "on": groupement.today.isoformat()},
    )
    assert vote.status_code == 302
    dues = order.total_amount
    done = _text(login(groupement.coordinator).post(url, form, follow=True))
    assert "Exclusion constatée : Aveyron." in done
    assert euros(dues) in done
    assert "Refusé" not in done
    target.refresh_from_db()
    assert target.state == Membership.State.EXCLUDED
    assert target.left_on == groupement.today
    assert target.deliberation == "Constat CP-2026-12"
    order.refresh_from_db()
    assert order.state == Order.State.NOTIFIED
    assert services.member_dues(authority=groupement.aveyron, convention=groupement.convention) == (
        dues
    )

    account_url = f"/pilotage/convention/membres/{target.pk}/"
    assert account_url in _text(login(groupement.coordinator).get("/pilotage/convention/"))
    for reader in (groupement.coordinator, groupement.auditor, groupement.other_member_staff):
        account = login(reader).get(account_url)
        assert account.status_code == 200
        assert account.context["dues"] == dues
        page = _text(account)
        assert "Exclu" in page
        assert order.number in page
        assert "Art. 5" in page
    assert login(groupement.member_staff).get(account_url).status_code == 404

    # The excluded member still settles what it owes; its account then shows nothing due.
    aveyron = login(groupement.other_member_staff)
    for state in (Order.State.VERIFIED, Order.State.PAID):
        aveyron.post(f"/pilotage/commandes/{order.pk}/etat/", {"to_state": state})
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    settled = aveyron.get(account_url)
    assert settled.context["dues"] == 0
    assert "Aucune somme due au titulaire." in _text(settled)


def test_a_withdrawal_refused_for_dues_reads_as_french(groupement, login):
    """Art. 5: a withdrawal with dues is refused with an agreed sentence (« Retrait refusé »)."""
    services.order_transition(
        order=groupement.order(), to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    membership = groupement.membership(groupement.herault)
    page = _text(
        login(groupement.member_staff).post(
            f"/pilotage/convention/membres/{membership.pk}/retrait/",
            {"deliberation": "Délibération CD34", "on": groupement.today.isoformat()},
            follow=True,
        )
    )
    assert "Refusé — Art. 5 : Retrait refusé : Hérault doit encore" in page
    membership.refresh_from_db()
    assert membership.is_current


def _deployment_form(groupement, schools, **extra):
    return {
        "kind": "deployment",
        "title": "Déploiement",
        "lump_sum_amount": "1000",
        "recurring_amount": "500",
        "starts_on": groupement.today.isoformat(),
        "ends_on": groupement.agreement.ends_on.isoformat(),
        "schools": schools,
        **extra,
    }


def test_a_forged_order_for_another_collectivites_school_is_refused_by_article_7(groupement, login):
    """Art. 7: an order form forged with another collectivité's school is refused with the
    article and its reason (not a generic form error); the API gives the same refusal."""
    client = login(groupement.member_staff)
    offered = _text(client.get("/pilotage/commandes/nouveau/"))
    assert groupement.college.name in offered
    assert groupement.aveyron_college.name not in offered

    page = client.post(
        "/pilotage/commandes/nouveau/",
        _deployment_form(groupement, [groupement.college.pk, groupement.aveyron_college.pk]),
    )
    text = _text(page)
    assert page.status_code == 400
    assert "Sélectionnez un choix valide" not in text
    assert "Refusé — Art. 7 : " in text
    assert not Order.objects.exists()

    api = client.post(
        "/api/v1/pilotage/orders/",
        _deployment_form(groupement, [groupement.college.uai, groupement.aveyron_college.uai]),
        content_type="application/json",
    )
    assert api.status_code == 409
    error = api.json()["error"]
    assert (error["rule"], error["code"]) == ("Art. 7", "school_of_another_member")
    assert groupement.aveyron_college.uai in error["message"]
    assert f"Refusé — Art. 7 : {error['message']}" in text
    assert not Order.objects.exists()


def test_the_api_drafts_an_order_in_the_callers_name(groupement, login):
    """The API drafts a deployment order for the caller's own collèges, like the page."""
    response = login(groupement.member_staff).post(
        "/api/v1/pilotage/orders/",
        _deployment_form(groupement, [groupement.college.uai, groupement.college2.uai]),
        content_type="application/json",
    )
    assert response.status_code == 201
    order = Order.objects.get()
    assert response.json()["number"] == order.number
    assert order.member == groupement.herault
    assert order.state == Order.State.DRAFT
    assert sorted(response.json()["schools"]) == sorted(
        [groupement.college.uai, groupement.college2.uai]
    )
    unknown = login(groupement.member_staff).post(
        "/api/v1/pilotage/orders/",
        _deployment_form(groupement, ["0000000X"]),
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert Order.objects.count() == 1


def _draaf_world(groupement):
    draaf = Authority.objects.get(kind=Authority.Kind.DRAAF)
    staff = factories.PersonFactory(
        profile=Profile.AUTHORITY_STAFF,
        username="draaf.agent",
        first_name="Léa",
        email="draaf.agent@example.org",
        password=PASSWORD,
    )
    services.pilotage_role_grant(person=staff, authority=draaf, role=PilotageRole.Role.MEMBER)
    lycee_agricole = SchoolFactory(
        uai="0345555E", kind=School.Kind.LYCEE_AGRICOLE, name="Agricole", department_code="34"
    )
    assert lycee_agricole.responsible_authority == draaf
    return draaf, staff, lycee_agricole


def test_the_draaf_issues_no_deployment_order_and_the_region_orders_its_lycees_agricoles(
    groupement, world, login
):
    """Art. 7: deployment orders are the collectivités'; the DRAAF's lycées agricoles are
    ordered by the Région (Occitanie's territory data), on the page and through the API."""
    draaf, staff, lycee_agricole = _draaf_world(groupement)
    client = login(staff)
    form_page = client.get("/pilotage/commandes/nouveau/")
    assert form_page.status_code == 200
    assert lycee_agricole.name not in _text(form_page)
    page = client.post(
        "/pilotage/commandes/nouveau/", _deployment_form(groupement, [lycee_agricole.pk])
    )
    assert page.status_code == 400
    text = _text(page)
    assert "Refusé — Art. 7 : Les bons de commande de déploiement sont émis par les" in text
    assert "Région Occitanie" in text
    api = client.post(
        "/api/v1/pilotage/orders/",
        _deployment_form(groupement, [lycee_agricole.uai]),
        content_type="application/json",
    )
    assert api.status_code == 409
    assert (api.json()["error"]["rule"], api.json()["error"]["code"]) == (
        "Art. 7",
        "not_a_collectivite",
    )
    assert not Order.objects.exists()
    unit = client.post(
        "/api/v1/pilotage/orders/",
        {**_deployment_form(groupement, []), "kind": "unit", "recurring_amount": "0"},
        content_type="application/json",
    )
    assert unit.status_code == 201
    assert Order.objects.get().member == draaf

    region = login(groupement.coordinator)
    assert lycee_agricole.name in _text(region.get("/pilotage/commandes/nouveau/"))
    created = region.post(
        "/pilotage/commandes/nouveau/",
        _deployment_form(groupement, [lycee_agricole.pk, world.lycee.pk]),
    )
    assert created.status_code == 302
    order = Order.objects.get(kind=Order.Kind.DEPLOYMENT)
    assert order.member == groupement.region
    assert set(order.schools.all()) == {lycee_agricole, world.lycee}
    region.post(f"/pilotage/commandes/{order.pk}/etat/", {"to_state": "notified"})
    order.refresh_from_db()
    assert order.state == Order.State.NOTIFIED
    states = login(staff).get("/api/v1/pilotage/deployment/").json()["results"]
    assert {r["uai"]: (r["state"], r["order"]) for r in states} == {
        lycee_agricole.uai: ("open", order.number)
    }


def test_who_orders_a_bodys_deployment_is_territory_data(groupement, login):
    """Art. 7 as data: a region whose territory file lets its DRAAF order its own lycées
    agricoles gets that, with no change of code (and the Région no longer orders them)."""
    draaf, staff, lycee_agricole = _draaf_world(groupement)
    territory_load(
        data={
            "authorities": [
                {
                    "key": draaf.key,
                    "kind": "draaf",
                    "code": draaf.code,
                    "name": draaf.name,
                    "region": "region-76",
                    "is_groupement_member": True,
                    "deployment_ordered_by": draaf.key,
                }
            ]
        }
    )
    draaf.refresh_from_db()
    assert draaf.deployment_ordered_by == draaf
    refused = login(groupement.coordinator).post(
        "/pilotage/commandes/nouveau/", _deployment_form(groupement, [lycee_agricole.pk])
    )
    assert refused.status_code == 400
    assert "Refusé — Art. 7 : " in _text(refused)
    created = login(staff).post(
        "/pilotage/commandes/nouveau/", _deployment_form(groupement, [lycee_agricole.pk])
    )
    assert created.status_code == 302
    assert Order.objects.get().member == draaf


def test_a_recurring_amount_counts_once_per_year_of_the_order(groupement, login):
    """An order's recurring amount is annual: a three-year order commits its lump sum plus
    three times its recurring amount, in the order's total, the member's dues and the
    weights (pages, CSV and API alike)."""
    client = login(groupement.member_staff)
    starts_on = groupement.today - timedelta(days=30)
    ends_on = add_years(starts_on, 3) - timedelta(days=1)
    created = client.post(
        "/pilotage/commandes/nouveau/",
        {
            **_deployment_form(groupement, [groupement.college.pk]),
            "lump_sum_amount": "1 000,00",
            "recurring_amount": "500,00",
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    assert created.status_code == 302
    order = Order.objects.get()
    client.post(f"/pilotage/commandes/{order.pk}/etat/", {"to_state": "notified"})
    order.refresh_from_db()
    assert order.state == Order.State.NOTIFIED
    assert (order.years, order.recurring_total, order.total_amount) == (
        3,
        Decimal("1500.00"),
        Decimal("2500.00"),
    )
    detail = _text(client.get(f"/pilotage/commandes/{order.pk}/"))
    assert "× 3 ans" in detail
    api = client.get(f"/api/v1/pilotage/orders/{order.pk}/").json()
    assert (api["years"], api["recurring_total"], api["total_amount"]) == (3, "1500.00", "2500.00")

    # A one-year order of the Aveyron, same amounts: 1 500 € against 2 500 €.
    aveyron = groupement.order(
        member=groupement.aveyron,
        actor=groupement.other_member_staff,
        schools=[groupement.aveyron_college],
    )
    services.order_transition(
        order=aveyron, to_state=Order.State.NOTIFIED, actor=groupement.other_member_staff
    )
    csv_text = (
        login(groupement.auditor).get("/pilotage/couts/poids.csv").content.decode("utf-8-sig")
    )
    assert "Hérault;2500,00;62,50" in csv_text
    assert "Aveyron;1500,00;37,50" in csv_text
    costs = login(groupement.auditor).get("/pilotage/couts/")
    weights = {w.member.name: (w.amount, w.percent) for w in costs.context["weights"]}
    assert weights["Hérault"] == (Decimal("2500.00"), Decimal("62.50"))

    membership = groupement.membership(groupement.herault)
    account = login(groupement.member_staff).get(f"/pilotage/convention/membres/{membership.pk}/")
    assert account.context["dues"] == Decimal("2500.00")
    refused = _text(
        login(groupement.member_staff).post(
            f"/pilotage/convention/membres/{membership.pk}/retrait/",
            {"deliberation": "Délibération CD34", "on": groupement.today.isoformat()},
            follow=True,
        )
    )
    assert f"doit encore {euros(Decimal('2500.00'))} HT" in refused
    membership.refresh_from_db()
    assert membership.is_current


def test_a_started_year_of_the_order_counts_whole():
    """Year 1 of an order runs to the day before its first anniversary; a service that
    enters a further year owes that year's recurring amount too."""
    start = date(2024, 2, 29)
    assert order_years(start, start) == 1
    assert order_years(start, date(2025, 2, 27)) == 1
    assert order_years(start, date(2025, 2, 28)) == 2
    assert order_years(date(2025, 9, 1), date(2029, 8, 31)) == 4
    assert order_years(date(2025, 9, 1), date(2029, 9, 1)) == 5
