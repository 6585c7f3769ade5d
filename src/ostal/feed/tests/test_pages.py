"""Import report pages: the operator and region admins read everything; a school admin
reads only their schools' sections; a collectivité admin only their schools'; everybody
else gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ostal.directory import services
from ostal.directory.models import Source
from ostal.feed.models import ImportRun
from ostal.territory.models import Authority


@pytest.fixture
def run(world):
    source = Source.objects.create(code="ac-test", label="Académie test", kind=Source.Kind.AAF)
    report = {
        "counts": {"Eleve": {"created": 3}},
        "schools": {
            world.college.uai: {"Eleve": {"created": 2}},
            world.lycee.uai: {"Eleve": {"created": 1}},
        },
        "warnings": [
            {"code": "x", "message": "avertissement du collège", "uai": world.college.uai},
            {"code": "x", "message": "avertissement du lycée", "uai": world.lycee.uai},
        ],
        "changes": [],
        "warning_counts": {"x": 2},
    }
    return ImportRun.objects.create(
        source=source,
        delivery="ENT2D.20260901.tgz",
        kind="complete",
        status=ImportRun.Status.SUCCEEDED,
        report=report,
    )


PERSONAS = ["pupil", "parent", "teacher", "admin", "other_admin", "agent", "anonymous"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_matrix(login, world, run, persona):
    """School admins see their school's section only; others without an admin role get 404."""
    response = login(world.persona(persona)).get(reverse("feed:run", args=[run.pk]))
    if persona == "anonymous":
        assert response.status_code == 302
        return
    html = response.content.decode()
    if persona == "admin":
        assert response.status_code == 200
        assert "avertissement du collège" in html and world.college.uai in html
        assert "avertissement du lycée" not in html and world.lycee.uai not in html
    elif persona == "other_admin":
        assert response.status_code == 200
        assert "avertissement du lycée" in html and "avertissement du collège" not in html
    else:
        assert response.status_code == 404


def test_a_collectivite_admin_reads_the_sections_of_its_schools(login, world, run):
    """An admin of the département reads its collèges' sections, not the Région's lycées."""
    services.authority_role_grant(
        person=world.agent, authority=world.college.responsible_authority, is_admin=True
    )
    html = login(world.agent).get(reverse("feed:run", args=[run.pk])).content.decode()
    assert "avertissement du collège" in html and "avertissement du lycée" not in html


def test_region_admins_read_whole_reports_and_may_launch(login, world, run):
    """A region admin reads every section and the launch form."""
    region = Authority.objects.get(kind=Authority.Kind.REGION)
    services.authority_role_grant(person=world.agent, authority=region, is_admin=True)
    client = login(world.agent)
    html = client.get(reverse("feed:run", args=[run.pk])).content.decode()
    assert "avertissement du collège" in html and "avertissement du lycée" in html
    assert "Importer la dernière livraison" in client.get(reverse("feed:runs")).content.decode()


def test_school_admins_cannot_launch_imports(login, world, run):
    """Launching an import is for region admins; a school admin's POST is refused."""
    response = login(world.admin).post(reverse("feed:launch"), {"source": run.source.pk})
    assert response.status_code == 404
    assert ImportRun.objects.count() == 1


def test_launch_without_a_waiting_delivery_says_so(login, world, run, settings, tmp_path):
    """With no delivery in the inbox, the launch says so and starts nothing."""
    settings.OSTAL_AAF_INBOX = tmp_path
    world.admin.is_staff = True
    world.admin.save()
    response = login(world.admin).post(
        reverse("feed:launch"), {"source": run.source.pk}, follow=True
    )
    assert "Aucune livraison en attente" in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_the_menu_offers_imports_to_admins_only(login, world, run):
    """Only people who may read reports see the menu entry."""
    assert "Imports de l&#x27;annuaire" in login(world.admin).get("/").content.decode()
    assert "Imports de l&#x27;annuaire" not in login(world.teacher).get("/").content.decode()


def test_a_region_admin_launches_a_dry_run_of_the_newest_delivery(
    login, world, run, settings, tmp_path
):
    """The launch imports the newest delivery of the source's inbox, here as a dry run."""
    import shutil
    from pathlib import Path

    fixtures = Path(__file__).resolve().parents[4].parent / "shared" / "fixtures" / "aaf"
    if not fixtures.is_dir():
        pytest.skip("shared AAF fixtures not found beside the repository")
    settings.OSTAL_AAF_INBOX = tmp_path
    shutil.copytree(fixtures / "real-2020-sample", tmp_path / run.source.code / "livraison-1")
    world.admin.is_staff = True
    world.admin.save()
    response = login(world.admin).post(
        reverse("feed:launch"), {"source": run.source.pk, "dry_run": "1"}, follow=True
    )
    assert "lancé en simulation" in response.content.decode()
    new = ImportRun.objects.exclude(pk=run.pk).get()
    assert new.dry_run and new.status == ImportRun.Status.SUCCEEDED and new.actor == world.admin
    assert new.report["counts"]["Eleve"] == {"created": 1}
    assert not world.college.__class__.objects.filter(uai="0000000V").exists()
