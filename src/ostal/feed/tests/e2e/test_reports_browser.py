"""A school admin reads the import report of their school in a real browser; the page has
no serious or critical accessibility violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ostal.conftest import PASSWORD
from ostal.directory.models import Source
from ostal.feed.models import ImportRun

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_school_admin_reads_the_report_of_their_school(page: Page, live_server, world, axe_check):
    """Login as the collège's admin → Imports de l'annuaire → the report, their school only."""
    source = Source.objects.create(code="ac-test", label="Académie test", kind=Source.Kind.AAF)
    ImportRun.objects.create(
        source=source,
        delivery="ENT2D.20260901.tgz",
        kind="complete",
        status=ImportRun.Status.SUCCEEDED,
        report={
            "school_year": 2026,
            "schools": {
                world.college.uai: {"Eleve": {"created": 2, "detached": 1}},
                world.lycee.uai: {"Eleve": {"created": 5}},
            },
            "warnings": [
                {
                    "code": "unknown_structure",
                    "message": "structure 9 absente",
                    "file": "f.xml",
                    "line": 12,
                    "record": "42",
                    "uai": world.college.uai,
                }
            ],
            "changes": [],
        },
    )
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Imports de l'annuaire").click()
    expect(page.get_by_role("heading", name="Imports de l'annuaire")).to_be_visible()
    axe_check(page)
    page.locator("table a").first.click()
    expect(page.get_by_role("table", name=f"Établissement {world.college.uai}")).to_be_visible()
    expect(page.get_by_text(world.lycee.uai)).to_have_count(0)
    expect(page.get_by_text("structure 9 absente")).to_be_visible()
    axe_check(page)
