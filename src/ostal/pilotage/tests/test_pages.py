"""Who may see and do what in the pilotage (coordinator, member staff of the département,
member staff of another département, auditor, a teacher, anonymous), the deployment gate,
the pages, the exports and the JSON API."""

from __future__ import annotations

import pytest

from ostal.pilotage import services
from ostal.pilotage.models import Order

PERSONAS = ["coordinator", "member_staff", "other_member_staff", "auditor", "teacher", "anonymous"]
PAGES = [
    "/pilotage/",
    "/pilotage/convention/",
    "/pilotage/commandes/",
    "/pilotage/deploiement/",
    "/pilotage/consultations/",
    "/pilotage/couts/",
    "/pilotage/statistiques/",
]


def _expect(persona, allowed):
    return {"anonymous": 302}.get(persona, 200 if allowed else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pilotage_pages_matrix(persona, groupement, world, login):
    """Every pilotage role reads the pilotage pages; a teacher gets 404, anonymous the login."""
    client = login(groupement.persona(persona, world))
    allowed = persona not in {"teacher", "anonymous"}
    for url in PAGES:
        assert client.get(url).status_code == _expect(persona, allowed), url


@pytest.mark.parametrize(
    "persona, reads",
    [
        ("coordinator", True),
        ("member_staff", True),
        ("other_member_staff", False),
        ("auditor", True),
        ("teacher", False),
        ("anonymous", False),
    ],
)
def test_order_reading_matrix(persona, reads, groupement, world, login):
    """Each member sees its own orders; the coordinator and its auditors see all of them."""
    order = groupement.order()
    client = login(groupement.persona(persona, world))
    response = client.get(f"/pilotage/commandes/{order.pk}/")
    assert response.status_code == _expect(persona, reads)
    listing = client.get("/pilotage/commandes/")
    if persona in {"coordinator", "member_staff", "auditor"}:
        assert order.number in listing.content.decode()
    elif persona == "other_member_staff":
        assert order.number not in listing.content.decode()


@pytest.mark.parametrize(
    "persona, manages",
    [
        ("coordinator", False),
        ("member_staff", True),
        ("other_member_staff", False),
        ("auditor", False),
        ("teacher", False),
        ("anonymous", False),
    ],
)
def test_order_management_matrix(persona, manages, groupement, world, login):
    """Only the member's own staff notify its order; the coordinator and auditors cannot."""
    order = groupement.order()
    client = login(groupement.persona(persona, world))
    response = client.post(f"/pilotage/commandes/{order.pk}/etat/", {"to_state": "notified"})
    order.refresh_from_db()
    if manages:
        assert response.status_code == 302
        assert order.state == Order.State.NOTIFIED
    else:
        assert response.status_code in {302, 404}
        assert order.state == Order.State.DRAFT


def test_member_staff_drafts_an_order_from_the_page(groupement, login):
    """The département's staff draft a deployment order for two of their collèges."""
    client = login(groupement.member_staff)
    response = client.post(
        "/pilotage/commandes/nouveau/",
        {
            "kind": "deployment",
            "title": "Déploiement 2026",
            "lump_sum_amount": "12 500,50",
            "recurring_amount": "3000",
            "starts_on": groupement.today.isoformat(),
            "ends_on": groupement.agreement.ends_on.isoformat(),
            "schools": [groupement.college.pk, groupement.college2.pk],
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert str(order.lump_sum_amount) == "12500.50"
    assert order.schools.count() == 2


def test_a_refused_order_says_which_rule_refuses_it(groupement, login):
    """A refusal is shown on the page with its article, and nothing is written."""
    client = login(groupement.member_staff)
    response = client.post(
        "/pilotage/commandes/nouveau/",
        {
            "kind": "deployment",
            "title": "Trop long",
            "lump_sum_amount": "100",
            "starts_on": groupement.today.isoformat(),
            "ends_on": "2099-01-01",
            "schools": [groupement.college.pk],
        },
    )
    assert response.status_code == 400
    assert "Art. 2" in response.content.decode()
    assert not Order.objects.exists()


def test_auditors_cannot_write(groupement, login):
    """Auditors are read-only: no order form, no amendment, no allocation."""
    client = login(groupement.auditor)
    assert client.get("/pilotage/commandes/nouveau/").status_code == 404
    assert (
        client.post(
            "/pilotage/convention/avenants/", {"title": "x", "effective_on": "2099-01-01"}
        ).status_code
        == 404
    )
    assert (
        client.post("/pilotage/couts/repartition/", {"kind": "damages", "total": "1"}).status_code
        == 404
    )
    assert not groupement.convention.amendments.exists()


def test_a_retroactive_amendment_is_refused_on_the_page(groupement, login):
    """The coordinator's retroactive amendment is refused with Art. 11 shown."""
    client = login(groupement.coordinator)
    response = client.post(
        "/pilotage/convention/avenants/",
        {"title": "Rétro", "effective_on": "2020-01-01"},
        follow=True,
    )
    assert "Art. 11" in response.content.decode()
    assert not groupement.convention.amendments.exists()


def test_withdrawal_with_dues_is_refused_on_the_page(groupement, login):
    """A member's withdrawal while it owes the contractor is refused, naming Art. 5."""
    order = groupement.order()
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    membership = groupement.membership(groupement.herault)
    response = login(groupement.member_staff).post(
        f"/pilotage/convention/membres/{membership.pk}/retrait/",
        {"deliberation": "Délibération CD34", "on": groupement.today.isoformat()},
        follow=True,
    )
    assert "Art. 5" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_current


def test_the_order_pdf_is_a_tagged_french_pdf(groupement, login):
    """The bon de commande downloads as a PDF."""
    order = groupement.order()
    response = login(groupement.member_staff).get(f"/pilotage/commandes/{order.pk}/bon.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_cost_exports(groupement, login):
    """Weights export as CSV and PDF."""
    services.order_transition(
        order=groupement.order(), to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    client = login(groupement.auditor)
    csv_text = client.get("/pilotage/couts/poids.csv").content.decode("utf-8-sig")
    assert "Hérault;1500,00;100,00" in csv_text
    assert client.get("/pilotage/couts/couts.pdf").content.startswith(b"%PDF")


def test_users_of_a_school_without_deployment_see_the_clear_page(
    groupement, world, login, settings
):
    """With the gate on, a pupil of a collège no current order covers sees the "not open"
    page instead of the services; once the order is notified the services open."""
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    client = login(world.pupil)
    closed = client.get("/")
    assert closed["X-Ostal-Deployment"] == "closed"
    assert "pas encore ouvert" in closed.content.decode()
    order = groupement.order()
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    opened = client.get("/")
    assert opened.status_code == 200
    assert "X-Ostal-Deployment" not in opened
    # Collectivité staff have no school: the gate never stands in their way.
    assert login(groupement.coordinator).get("/pilotage/").status_code == 200


def test_the_pilotage_menu_shows_only_to_pilotage_roles(groupement, world, login):
    """The navigation lists the pilotage for its roles only."""
    assert "Pilotage du groupement" in login(groupement.auditor).get("/").content.decode()
    assert "Pilotage du groupement" not in login(world.teacher).get("/").content.decode()


def test_api_lists_own_orders_and_refuses_with_the_rule(groupement, login):
    """The API lists the member's orders and answers 409 with the rule when one is refused."""
    order = groupement.order()
    client = login(groupement.member_staff)
    listing = client.get("/api/v1/pilotage/orders/").json()
    assert [o["number"] for o in listing["results"]] == [order.number]
    assert listing["results"][0]["total_amount"] == "1500.00"
    refused = client.post(
        f"/api/v1/pilotage/orders/{order.pk}/transition/",
        {"to_state": "paid"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["rule"] == "Cycle du bon de commande"
    ok = client.post(
        f"/api/v1/pilotage/orders/{order.pk}/transition/",
        {"to_state": "notified"},
        content_type="application/json",
    )
    assert ok.json()["state"] == "notified"
    deployment = client.get("/api/v1/pilotage/deployment/").json()
    states = {r["uai"]: r["state"] for r in deployment["results"]}
    assert states[groupement.college.uai] == "open"
    assert states[groupement.college2.uai] == "closed"
    assert client.get("/api/v1/pilotage/statistics/").json()["visits"] == 0
    other = login(groupement.other_member_staff)
    assert other.get(f"/api/v1/pilotage/orders/{order.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "anonymous"])
def test_api_is_closed_to_others(persona, groupement, world, login):
    """No pilotage role: the API answers 404 (or 401 without a session)."""
    response = login(groupement.persona(persona, world)).get("/api/v1/pilotage/orders/")
    assert response.status_code == (401 if persona == "anonymous" else 404)


def test_the_coordinator_records_an_adhesion_and_a_termination_is_refused_without_unanimity(
    groupement, login
):
    """From the convention page the coordinator records a new signatory; terminating the
    agreement with only the département's express agreement is refused (Art. 6)."""
    from ostal.pilotage.models import FrameworkAgreement, Membership
    from ostal.territory.models import Authority

    haute_garonne = Authority.objects.get(kind=Authority.Kind.DEPARTMENT, code="31")
    coordinator = login(groupement.coordinator)
    page = coordinator.get("/pilotage/convention/")
    assert "Haute-Garonne" in page.content.decode()
    coordinator.post(
        "/pilotage/convention/actes/adhesion/",
        {"authority": haute_garonne.pk, "signed_on": groupement.today.isoformat()},
    )
    assert Membership.objects.filter(
        authority=haute_garonne, convention=groupement.convention
    ).exists()
    member = login(groupement.member_staff)
    member.post(
        "/pilotage/convention/actes/accord-resiliation/",
        {"deliberation": "Délibération CD34", "on": groupement.today.isoformat()},
    )
    response = login(groupement.coordinator).post(
        "/pilotage/convention/actes/resiliation/",
        {"deliberation": "Décision", "on": groupement.today.isoformat()},
        follow=True,
    )
    assert "Art. 6" in response.content.decode()
    groupement.agreement.refresh_from_db()
    assert groupement.agreement.state == FrameworkAgreement.State.ACTIVE
    assert (
        login(groupement.member_staff)
        .post(
            "/pilotage/convention/actes/adhesion/",
            {"authority": haute_garonne.pk, "signed_on": groupement.today.isoformat()},
        )
        .status_code
        == 404
    )


def test_list_pages_have_a_fixed_number_of_queries(
    groupement, login, django_assert_max_num_queries
):
    """The orders list and the deployment table do not grow queries with rows."""
    for _ in range(3):
        groupement.order(schools=[groupement.college, groupement.college2])
    client = login(groupement.coordinator)
    client.get("/pilotage/commandes/")
    with django_assert_max_num_queries(12):
        assert client.get("/pilotage/commandes/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/pilotage/deploiement/").status_code == 200
