"""The export run report: reachable from the menu by region admins and the operator only."""

from __future__ import annotations

import pytest

from ostal.conftest import PASSWORD
from ostal.directory import factories, services
from ostal.directory.models import Profile
from ostal.gar.models import GarExportRun
from ostal.territory.models import Authority
from ostal.web.tests.test_reachability import reachable_paths


@pytest.fixture
def region_admin(world):
    admin = factories.person(profile=Profile.AUTHORITY_STAFF, username="region", password=PASSWORD)
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    services.authority_role_grant(person=admin, authority=region, is_admin=True)
    return admin


@pytest.fixture
def runs(db):
    ok = GarExportRun.objects.create(
        trigger="nightly",
        stamp="20261202_023000",
        ent_id="OST",
        status=GarExportRun.Status.SUCCEEDED,
        files=[
            {
                "name": "OST_GAR-ENT_Complet_20261202_023000_Eleve_0000.xml",
                "kind": "Eleve",
                "nodes": 3,
                "bytes": 900,
            }
        ],
        counts={"Eleve": {"GAREleve": 3}},
        archive_name="OST_GAR-ENT_Complet_20261202_023000.tar.gz",
        archive_md5="0" * 32,
        delivered_to="gar@sftp.example:22/depot",
    )
    failed = GarExportRun.objects.create(
        trigger="command",
        stamp="20261202_101500",
        ent_id="OST",
        status=GarExportRun.Status.FAILED,
        errors=["OST_GAR-ENT_Complet_20261202_101500_Eleve_0000.xml, ligne 4 : trop long"],
    )
    return ok, failed


def test_a_region_admin_reaches_the_runs_and_reads_files_counts_and_errors(
    world, region_admin, runs, login
):
    ok, failed = runs
    client = login(region_admin)
    assert "/gar/exports/" in reachable_paths(client)
    listing = client.get("/gar/exports/").content.decode()
    assert "Déposé" in listing and "Échoué" in listing
    assert "1 fichier" in listing and "1 erreur" in listing and "Aucune erreur" in listing
    detail = client.get(f"/gar/exports/{ok.pk}/").content.decode()
    assert (
        "OST_GAR-ENT_Complet_20261202_023000_Eleve_0000.xml" in detail and "GAREleve : 3" in detail
    )
    failure = client.get(f"/gar/exports/{failed.pk}/").content.decode()
    assert "rien n'a été envoyé" in failure and "ligne 4 : trop long" in failure
    api = client.get("/api/v1/gar/exports/").json()
    assert [r["status"] for r in api["runs"]] == ["failed", "succeeded"]


@pytest.mark.parametrize("persona", ["admin", "other_admin", "teacher", "parent", "agent"])
def test_others_get_404_and_no_menu_entry(world, runs, login, persona):
    ok, _failed = runs
    client = login(world.persona(persona))
    assert client.get("/gar/exports/").status_code == 404
    assert client.get(f"/gar/exports/{ok.pk}/").status_code == 404
    assert client.get("/api/v1/gar/exports/").status_code == 404
    assert 'href="/gar/exports/"' not in client.get("/").content.decode()


def test_the_principal_reaches_the_gar_roles_from_the_school_page(world, login):
    found = reachable_paths(login(world.admin))
    assert f"/gar/etablissements/{world.college.pk}/roles/" in found
    found = reachable_paths(login(world.teacher))
    assert not any(p.startswith("/gar/") for p in found)
