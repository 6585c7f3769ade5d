"""Import runs: one at a time, each recorded; the ``aaf_import`` command says what it did."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ostal.directory.models import Person, Source
from ostal.feed.models import ImportRun
from ostal.feed.services import ImportRefused, aaf_import

from . import deliveries as d


@pytest.fixture
def small_delivery(tmp_path):
    return d.delivery(
        tmp_path / "delivery",
        date="20250905",
        structures=[d.structure()],
        pupils=[
            d.pupil("E1", "Alice", "Durand", relatives=["R1"]),
            d.pupil("E2", "Bruno", "Petit"),
        ],
        relatives=[d.relative("R1", "Diane", "Durand"), d.relative("R9", "Orphée", "Seul")],
    )


def test_an_import_is_refused_while_another_one_runs(source, small_delivery):
    """While a run is in progress, another import is refused and writes nothing."""
    running = ImportRun.objects.create(
        source=source, delivery="other", status=ImportRun.Status.RUNNING
    )

    with pytest.raises(ImportRefused, match="un seul import à la fois"):
        aaf_import(source=source, path=small_delivery)

    assert list(ImportRun.objects.values_list("pk", "status")) == [
        (running.pk, ImportRun.Status.RUNNING)
    ]
    assert not Person.objects.exists()


def test_a_run_left_running_for_more_than_six_hours_is_failed_and_does_not_block(
    source, small_delivery
):
    """A run still marked running after 6 hours is a dead process: it is marked failed and the new import proceeds."""
    stale = ImportRun.objects.create(
        source=source, delivery="crashed", status=ImportRun.Status.RUNNING
    )
    ImportRun.objects.filter(pk=stale.pk).update(started_at=timezone.now() - timedelta(hours=7))

    run, report = aaf_import(source=source, path=small_delivery)

    assert run.status == ImportRun.Status.SUCCEEDED and report.counts["Eleve"] == {"created": 2}
    stale.refresh_from_db()
    assert stale.status == ImportRun.Status.FAILED and stale.error
    assert stale.finished_at is not None
    assert Person.objects.count() == 3


def test_a_recent_running_run_is_not_taken_for_a_dead_one(source, small_delivery):
    """A run started five hours ago still blocks: only runs older than 6 hours are stale."""
    recent = ImportRun.objects.create(
        source=source, delivery="slow", status=ImportRun.Status.RUNNING
    )
    ImportRun.objects.filter(pk=recent.pk).update(started_at=timezone.now() - timedelta(hours=5))

    with pytest.raises(ImportRefused):
        aaf_import(source=source, path=small_delivery)

    recent.refresh_from_db()
    assert recent.status == ImportRun.Status.RUNNING
    assert not Person.objects.exists()


def test_the_command_imports_and_prints_the_counts(source, small_delivery):
    """``aaf_import PATH --source CODE`` applies the delivery and prints counts and warnings."""
    out = StringIO()

    call_command("aaf_import", str(small_delivery), "--source", "ac-test", stdout=out)

    text = out.getvalue()
    assert "Import appliqué — complete, année scolaire 2025" in text
    assert "Eleve           created 2" in text
    assert "PersRelEleve    created 1" in text
    assert "avertissement relative_without_pupil : 1" in text
    assert "Simulation" not in text
    assert Person.objects.count() == 3
    run = ImportRun.objects.get()
    assert f"rapport n° {run.pk}" in text and not run.dry_run


def test_the_command_dry_run_says_simulation_and_writes_nothing(source, small_delivery):
    """``--dry-run`` prints the same counts under "Simulation" and leaves the directory empty."""
    out = StringIO()

    call_command("aaf_import", str(small_delivery), "--source", "ac-test", "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Simulation (rien n'a été écrit)" in text
    assert "Eleve           created 2" in text
    assert not Person.objects.exists()
    assert ImportRun.objects.get().dry_run


def test_the_command_names_the_known_sources_when_given_an_unknown_one(source, small_delivery):
    """An unknown source code is a command error listing the known sources."""
    with pytest.raises(CommandError) as error:
        call_command("aaf_import", str(small_delivery), "--source", "ac-nulle-part")

    message = str(error.value)
    assert message.startswith("Source « ac-nulle-part » inconnue (sources : ")
    known = Source.objects.values_list("code", flat=True)
    assert len(known) > 1  # the territory's sources, and the test's
    assert all(code in message for code in known)
    assert not ImportRun.objects.exists() and not Person.objects.exists()


def test_the_command_fails_on_an_invalid_delivery_and_says_nothing_was_applied(
    source, small_delivery
):
    """An invalid delivery makes the command fail with the file and line, nothing applied."""
    pupils = small_delivery / "X_Complet_20250905_Eleve_0000.xml"
    pupils.write_text(pupils.read_text().replace("</ficAlimMENESR>", "</ficAlim>"))

    with pytest.raises(CommandError) as error:
        call_command("aaf_import", str(small_delivery), "--source", "ac-test", stdout=StringIO())

    message = str(error.value)
    assert message.startswith("Import refusé, rien n'a été appliqué : fichier X_Complet_")
    assert "_Eleve_0000.xml, ligne " in message
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert not Person.objects.exists()
