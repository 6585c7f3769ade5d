"""An invalid file aborts the whole import, naming where; a bad record is only a warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ostal.directory.models import Enrolment, Person, Profile, RelativeLink, SchoolClass
from ostal.feed.models import ImportRun, SchoolKey
from ostal.feed.services import aaf_import
from ostal.territory.models import School

from . import deliveries as d

PUPIL_FILE = "ENT_Complet_20200101_Eleve_0000.xml"
SN_LINE = '<attr name="sn"><value>NOM</value></attr>'


def corrupt_2020_sample(tmp_path: Path, aaf: Path, how: str) -> Path:
    """A copy of the 2020 sample whose (valid) school file is followed by a broken pupil file."""
    folder = tmp_path / "sample"
    shutil.copytree(aaf / "real-2020-sample", folder)
    pupils = folder / PUPIL_FILE
    text = pupils.read_text(encoding="utf-8")
    if how == "truncated_tag":
        text = text.replace(SN_LINE, SN_LINE[:-1])  # "</attr" never closed, line 14
    elif how == "truncated_file":
        text = text[: text.index('<attr name="personalTitle">')]
    elif how == "wrong_root":
        text = text.replace("ficAlimMENESR>", "ficAlim>")
    pupils.write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("how", "where"),
    [
        ("truncated_tag", "ligne 14, enregistrement 2000000 : XML mal formé"),
        ("truncated_file", "ligne 16, enregistrement 2000000 : XML mal formé"),
        ("wrong_root", "ligne 3 : élément racine « ficAlim » inattendu"),
    ],
)
def test_a_broken_pupil_file_aborts_the_import_after_a_valid_school_file(
    source, aaf_fixtures, tmp_path, how, where
):
    """A file that is not valid AAF fails the run with its file, line (and record when there is one), and nothing, not even the already parsed school, is written."""
    folder = corrupt_2020_sample(tmp_path, aaf_fixtures, how)

    run, report = aaf_import(source=source, path=folder)

    assert report is None
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(f"fichier {PUPIL_FILE}, {where}")
    assert run.finished_at is not None and run.report == {}
    assert not Person.objects.exists()
    assert not School.objects.filter(uai="0000000V").exists()
    assert not SchoolKey.objects.exists()


def test_a_broken_later_file_leaves_an_earlier_import_untouched(source, tmp_path):
    """When the staff file is broken after valid school, pupil and relative files, the directory stays exactly as the previous import left it."""
    first = d.delivery(
        tmp_path / "monday",
        date="20250908",
        structures=[d.structure()],
        pupils=[
            d.pupil("E1", "Alice", "Durand", relatives=["R1"]),
            d.pupil("E2", "Bruno", "Petit"),
        ],
        relatives=[d.relative("R1", "Diane", "Durand")],
        staff=[d.staff("T1", "Franck", "Garcia", classes=["4A"])],
    )
    assert aaf_import(source=source, path=first)[0].status == ImportRun.Status.SUCCEEDED
    before = sorted(Person.objects.values_list("external_id", "last_name", "state", "updated_at"))
    second = d.delivery(
        tmp_path / "tuesday",
        date="20250909",
        structures=[d.structure(name="JEAN MOULIN RENOMME")],
        # E1 renamed and moved, E2 gone (would be detached), E3 new (would be created).
        pupils=[
            d.pupil("E1", "Alice", "Martin", school_class="4B"),
            d.pupil("E3", "Chloé", "Roux"),
        ],
        relatives=[d.relative("R1", "Diane", "Martin")],
    )
    staff_file = second / "X_Complet_20250909_PersEducNat_0000.xml"
    # Cut inside the record: "…</attributes><" and nothing more.
    staff_file.write_text(d.document(d.staff("T1", "Franck", "Garcia"))[:-30], encoding="utf-8")

    run, report = aaf_import(source=source, path=second)

    assert report is None and run.status == ImportRun.Status.FAILED
    assert run.error.startswith(
        "fichier X_Complet_20250909_PersEducNat_0000.xml, ligne 4, enregistrement T1 : "
        "XML mal formé"
    )
    after = sorted(Person.objects.values_list("external_id", "last_name", "state", "updated_at"))
    assert after == before
    assert School.objects.get(uai=d.SCHOOL_UAI).name == "JEAN MOULIN"
    assert set(Enrolment.objects.values_list("pupil__external_id", "school_class__code")) == {
        ("E1", "4A"),
        ("E2", "4A"),
    }
    assert not SchoolClass.objects.filter(code="4B").exists()
    assert RelativeLink.objects.count() == 1


def test_record_anomalies_are_warnings_and_the_rest_is_imported(source, tmp_path):
    """A pupil in an unknown structure, a relative of no pupil of the export and a school outside the territory are warnings; the import succeeds."""
    path = d.delivery(
        tmp_path / "delivery",
        date="20250908",
        structures=[d.structure(), d.structure("9002", "0751234A", "PARIS CENTRE")],
        pupils=[
            d.pupil("E1", "Alice", "Durand", relatives=["R1"]),
            d.pupil("E2", "Bruno", "Petit", school="7777"),
        ],
        relatives=[d.relative("R1", "Diane", "Durand"), d.relative("R9", "Orphée", "Seul")],
    )

    run, report = aaf_import(source=source, path=path)

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert report.counts["Eleve"] == {"created": 2}
    assert report.counts["PersRelEleve"] == {"created": 1}
    assert report.warning_counts == {
        "school_outside_territory": 1,
        "unknown_structure": 1,
        "relative_without_pupil": 1,
    }
    by_code = {w["code"]: w for w in run.report["warnings"]}
    assert by_code["relative_without_pupil"]["record"] == "R9"
    assert by_code["relative_without_pupil"]["file"] == "X_Complet_20250908_PersRelEleve_0000.xml"
    assert by_code["relative_without_pupil"]["line"] == 5  # second request
    assert by_code["school_outside_territory"]["uai"] == "0751234A"
    assert by_code["unknown_structure"]["record"] == "E2"
    # The school outside the territory is known (it may be linked), with no department.
    assert School.objects.get(uai="0751234A").department is None
    assert School.objects.get(uai=d.SCHOOL_UAI).department.code == "34"
    stray = Person.objects.get(external_id="E2")
    assert stray.profile == Profile.PUPIL and not stray.enrolments.exists()
    assert not SchoolClass.objects.exclude(school__uai=d.SCHOOL_UAI).exists()
    assert not Person.objects.filter(external_id="R9").exists()
    assert Person.objects.get(external_id="R1").children_links.get().pupil.external_id == "E1"
