"""Retention of failed export runs: their folders are deleted past OSTAL_GAR_FAILED_RUN_DAYS,
the run rows stay, and nothing outside OSTAL_GAR_EXPORT_DIR is ever touched."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ostal.administration.models import RetentionRun
from ostal.gar.models import GarExportRun
from ostal.gar.services import gar_failed_runs_purge, run_folder_name
from ostal.gar.tasks import gar_failed_runs_purge_nightly

from .test_run_pages import region_admin  # noqa: F401  (fixture)

NOW = datetime.fromisoformat("2026-12-02T03:50:00+01:00")


@pytest.fixture
def clock(time_machine: Any) -> datetime:
    time_machine.move_to(NOW, tick=False)
    return NOW


def _run(status: str, days_ago: float, stamp: str = "20261120_023000") -> GarExportRun:
    return GarExportRun.objects.create(
        trigger="nightly",
        stamp=stamp,
        ent_id="OST",
        status=status,
        started_at=timezone.now() - timedelta(days=days_ago),
    )


def _folder(root: Path, run: GarExportRun) -> Path:
    folder = root / run_folder_name(run)
    folder.mkdir(parents=True)
    (folder / "OST_GAR-ENT_Complet_Eleve_0000.xml").write_text("<eleve>Dupont</eleve>")
    return folder


def test_an_old_failed_run_is_purged_and_its_row_kept(db, clock, export_dir, settings):
    settings.OSTAL_GAR_FAILED_RUN_DAYS = 7
    old = _run(GarExportRun.Status.FAILED, 8)
    folder = _folder(export_dir, old)
    assert gar_failed_runs_purge() == 1
    assert not folder.exists()
    old.refresh_from_db()
    assert old.files_purged_at == NOW and old.status == GarExportRun.Status.FAILED
    assert gar_failed_runs_purge() == 0  # already done: not counted twice


def test_a_recent_failed_run_and_successful_runs_are_left(db, clock, export_dir, settings):
    settings.OSTAL_GAR_FAILED_RUN_DAYS = 7
    recent = _run(GarExportRun.Status.FAILED, 6)
    recent_folder = _folder(export_dir, recent)
    ok = _run(GarExportRun.Status.SUCCEEDED, 30)
    ok_folder = _folder(export_dir, ok)  # should not exist, but a success is not ours
    assert gar_failed_runs_purge() == 0
    assert recent_folder.is_dir() and ok_folder.is_dir()
    assert not GarExportRun.objects.filter(files_purged_at__isnull=False).exists()


def test_the_delay_comes_from_the_setting(db, clock, export_dir, settings):
    settings.OSTAL_GAR_FAILED_RUN_DAYS = 2
    run = _run(GarExportRun.Status.FAILED, 3)
    folder = _folder(export_dir, run)
    assert gar_failed_runs_purge() == 1 and not folder.exists()


def test_a_run_left_running_by_a_crash_is_purged_too(db, clock, export_dir):
    run = _run(GarExportRun.Status.RUNNING, 10)
    folder = _folder(export_dir, run)
    assert gar_failed_runs_purge() == 1 and not folder.exists()


def test_a_failed_run_without_folder_is_stamped(db, clock, export_dir):
    run = _run(GarExportRun.Status.FAILED, 10)  # failed before producing (no ENT id)
    assert gar_failed_runs_purge() == 1
    run.refresh_from_db()
    assert run.files_purged_at is not None


def test_a_stamp_leading_out_of_the_export_dir_is_left_alone(db, clock, export_dir, tmp_path):
    export_dir.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    keep = outside / "precious.txt"
    keep.write_text("not ours")
    run = _run(GarExportRun.Status.FAILED, 10, stamp="../outside/x")
    # the recorded name points out of the export dir: <export>/../outside/x_<pk>
    target = export_dir / run_folder_name(run)
    target.mkdir(parents=True)
    (target / "f.xml").write_text("x")
    assert target.resolve().parent == outside.resolve()
    assert gar_failed_runs_purge() == 0
    assert keep.read_text() == "not ours" and (target / "f.xml").exists()
    run.refresh_from_db()
    assert run.files_purged_at is None


def test_a_symlinked_run_folder_is_left_alone(db, clock, export_dir, tmp_path):
    export_dir.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("not ours")
    run = _run(GarExportRun.Status.FAILED, 10)
    link = export_dir / run_folder_name(run)
    link.symlink_to(elsewhere, target_is_directory=True)
    assert gar_failed_runs_purge() == 0
    assert link.is_symlink() and (elsewhere / "precious.txt").read_text() == "not ours"


def test_a_symlink_inside_a_run_folder_is_not_followed(db, clock, export_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("not ours")
    run = _run(GarExportRun.Status.FAILED, 10)
    folder = _folder(export_dir, run)
    (folder / "link").symlink_to(elsewhere, target_is_directory=True)
    assert gar_failed_runs_purge() == 1
    assert not folder.exists() and (elsewhere / "precious.txt").read_text() == "not ours"


def test_the_nightly_job_records_its_run_on_the_register(db, clock, export_dir, client):
    run = _run(GarExportRun.Status.FAILED, 10)
    _folder(export_dir, run)
    assert gar_failed_runs_purge_nightly.call_local() == 1
    recorded = RetentionRun.objects.get(job="gar_failed_runs")
    assert recorded.ok and recorded.erased == 1
    page = client.get(reverse("rgpd:processing", args=["gar"])).content.decode()
    assert "Suppression des fichiers des exports GAR non déposés" in page
    assert "1 ligne effacée" in page
    register = client.get(reverse("rgpd:index")).content.decode()
    assert "Suppression des fichiers des exports GAR non déposés" in register


def test_the_report_and_the_api_say_the_files_were_purged(
    world,
    clock,
    export_dir,
    region_admin,  # noqa: F811
    login,
):
    run = _run(GarExportRun.Status.FAILED, 10)
    _folder(export_dir, run)
    gar_failed_runs_purge()
    client = login(region_admin)
    page = client.get(reverse("gar:run", args=[run.pk])).content.decode()
    assert "Supprimés du serveur le 02/12/2026 03:50" in page
    assert "(supprimés)" in client.get(reverse("gar:runs")).content.decode()
    data = client.get("/api/v1/gar/exports/").json()
    (row,) = [r for r in data["runs"] if r["id"] == run.pk]
    assert row["files_purged_at"] is not None
