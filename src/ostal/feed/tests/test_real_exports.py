"""The real AAF exports of the shared fixtures import with the right counts and links.

Expected figures are measured independently of the importer: the files are read with the
streaming parser (tested on its own in ``ostal.directory.aaf.tests``) and the rule of the
issue is applied by hand (a relative is imported when a pupil of the export names them
with legal level 1).
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

from ostal.directory.aaf.parser import AafRecord, iter_records
from ostal.directory.aaf.values import parse_pers_rel_eleve
from ostal.directory.models import (
    STAFF_PROFILES,
    Affiliation,
    Enrolment,
    GroupMembership,
    Mef,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    StaffFunction,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.feed.models import ImportRun, SchoolKey
from ostal.feed.services import aaf_import
from ostal.territory.models import School

from . import deliveries as d
from .deliveries import AAF_FIXTURES

FULL_2013 = "real-2013-full"
PERSON_CATEGORIES = ("Eleve", "PersRelEleve", "PersEducNat")


@functools.cache
def records_2013(category: str) -> tuple[AafRecord, ...]:
    folder = AAF_FIXTURES / FULL_2013
    return tuple(
        record
        for path in sorted(folder.glob(f"*_{category}_*.xml"))
        for record in iter_records(path)
    )


@functools.cache
def expected_2013() -> dict[str, Any]:
    """What the 2013 export must give, computed from the files alone."""
    uai_of = {r.identifier: r.first("ENTStructureUAI") for r in records_2013("EtabEducNat")}
    pupils = records_2013("Eleve")
    relatives_in_files = {r.identifier for r in records_2013("PersRelEleve")}
    links = set()
    for pupil in pupils:
        for value in pupil.attributes.get("ENTElevePersRelEleve", ()):
            link = parse_pers_rel_eleve(value)
            if link.legal_level == 1 and link.relative_id in relatives_in_files:
                links.add((link.relative_id, pupil.identifier))
    return {
        "uais": set(uai_of.values()),
        "pupils_per_uai": Counter(uai_of[p.first("ENTPersonStructRattach")] for p in pupils),
        "relatives": {relative for relative, _pupil in links},
        "relatives_in_files": len(relatives_in_files),
        "links": links,
        "classes": {
            (uai_of[v.split("$")[0]], v.split("$")[1], p.identifier)
            for p in pupils
            for v in p.attributes.get("ENTEleveClasses", ())
        },
        "memberships": {
            (p.identifier, v) for p in pupils for v in p.attributes.get("ENTEleveGroupes", ())
        },
    }


def import_2013(source: Any, aaf: Path, **kwargs: Any) -> tuple[ImportRun, Any]:
    run, report = aaf_import(source=source, path=aaf / FULL_2013, **kwargs)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run, report


def directory_snapshot() -> dict[str, Any]:
    """Everything an import writes, as comparable values."""
    return {
        "people": sorted(
            Person.objects.values_list(
                "pk", "username", "external_id", "state", "profile", "updated_at"
            )
        ),
        "schools": sorted(School.objects.values_list("pk", "uai", "name", "updated_at")),
        "keys": SchoolKey.objects.count(),
        "subjects": Subject.objects.count(),
        "mefs": Mef.objects.count(),
        "classes": sorted(SchoolClass.objects.values_list("pk", "archived")),
        "groups": TeachingGroup.objects.count(),
        "enrolments": sorted(Enrolment.objects.values_list("pupil_id", "school_class_id")),
        "memberships": GroupMembership.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "relative_links": sorted(RelativeLink.objects.values_list("relative_id", "pupil_id")),
        "functions": StaffFunction.objects.count(),
        "assignments": TeachingAssignment.objects.count(),
    }


def test_2013_full_export_imports_with_the_expected_counts(source, aaf_fixtures):
    """The 2013 export gives 10 schools, 642 pupils, 701 staff and only the relatives a present pupil names as legal representative; the 9,372 others are warnings."""
    expected = expected_2013()
    run, report = import_2013(source, aaf_fixtures)

    assert report.counts == {
        "EtabEducNat": {"created": 10},
        "MatiereEducNat": {"created": 718},
        "MefEducNat": {"created": 2504},
        "Eleve": {"created": 642},
        "PersRelEleve": {"created": len(expected["relatives"])},
        "PersEducNat": {"created": 701},
    }
    assert len(expected["relatives"]) == 603
    assert expected["relatives_in_files"] == 9975
    assert report.warning_counts["relative_without_pupil"] == 9975 - 603
    # All ten structures are "zones de remplacement" outside Occitanie: imported, warned.
    assert report.warning_counts["school_outside_territory"] == 10
    for uai, pupils in expected["pupils_per_uai"].items():
        assert report.schools[uai]["Eleve"]["created"] == pupils
    assert run.report["counts"]["Eleve"] == {"created": 642}
    assert [f["records"] for f in run.report["files"][:4]] == [10, 718, 2504, 642]

    delivered = School.objects.filter(source_keys__source=source)
    assert set(delivered.values_list("uai", flat=True)) == expected["uais"]
    assert Subject.objects.count() == 718 and Mef.objects.count() == 2504
    people = Person.objects.filter(source=source)
    assert people.filter(profile=Profile.PUPIL).count() == 642
    relatives = people.filter(profile=Profile.RELATIVE)
    assert set(relatives.values_list("external_id", flat=True)) == expected["relatives"]
    staff = people.exclude(profile__in=[Profile.PUPIL, Profile.RELATIVE])
    assert staff.count() == 701
    assert set(staff.values_list("profile", flat=True)) <= STAFF_PROFILES
    assert people.count() == 642 + 603 + 701


def test_2013_full_export_links_pupils_classes_groups_and_relatives(source, aaf_fixtures):
    """Each pupil is in their school and class, their groups, and linked to the relatives who are their legal representatives."""
    expected = expected_2013()
    _run, report = import_2013(source, aaf_fixtures)

    enrolments = set(
        Enrolment.objects.values_list(
            "school_class__school__uai", "school_class__code", "pupil__external_id"
        )
    )
    assert enrolments == expected["classes"]
    assert not SchoolClass.objects.filter(archived=True).exists()
    assert set(SchoolClass.objects.values_list("school_year", flat=True)) == {2012}
    memberships = {
        (p, f"{g_school}${g}")
        for p, g_school, g in GroupMembership.objects.values_list(
            "person__external_id", "group__school__source_keys__jointure", "group__code"
        )
    }
    assert memberships == expected["memberships"]
    main = Affiliation.objects.filter(person__profile=Profile.PUPIL, is_main=True)
    assert main.count() == 642
    assert Counter(main.values_list("school__uai", flat=True)) == expected["pupils_per_uai"]

    links = set(RelativeLink.objects.values_list("relative__external_id", "pupil__external_id"))
    assert links == expected["links"] and len(links) == 622
    assert set(RelativeLink.objects.values_list("legal_level", flat=True)) == {1}
    assert not Person.objects.filter(profile=Profile.RELATIVE, children_links=None).exists()
    # One pupil read in full: Kù Long of 0059951P, class RUS1TERM, group 206, whose legal
    # representative (2867253, level 1, financial) is linked and whose person in charge
    # (2867254, level 2) is not.
    pupil = Person.objects.get(source=source, external_id="2605692")
    assert (pupil.first_name, pupil.last_name, pupil.civility) == ("Kù", "Long", "Mme")
    assert pupil.enrolments.get().school_class.school.uai == "0059951P"
    assert pupil.enrolments.get().school_class.code == "RUS1TERM"
    assert list(pupil.group_memberships.values_list("group__code", flat=True)) == ["206"]
    link = pupil.relative_links.get()
    assert (link.relative.external_id, link.relation_code, link.is_financial) == (
        "2867253",
        "2",
        True,
    )
    # A teacher read in full: 2397000 teaches class 1S2 and twelve groups of 1013002Z.
    teacher = Person.objects.get(source=source, external_id="2397000")
    assert teacher.profile == Profile.TEACHER
    assert set(teacher.assignments.values_list("school_class__code", flat=True)) >= {"1S2"}
    assert teacher.assignments.filter(group__isnull=False).count() == 12
    units = [a.school_class or a.group for a in teacher.assignments.all()]
    assert {unit.school.uai for unit in units} == {"1013002Z"}
    # Functions held in structures this export does not describe are not invented.
    assert StaffFunction.objects.count() == 0
    assert report.warning_counts["unknown_structure"] > 0


def test_2013_full_export_imported_twice_changes_nothing_the_second_time(source, aaf_fixtures):
    """A second import of the same complete export only finds unchanged records and writes nothing."""
    import_2013(source, aaf_fixtures)
    before = directory_snapshot()

    _run, report = import_2013(source, aaf_fixtures)

    assert report.counts == {
        "EtabEducNat": {"unchanged": 10},
        "MatiereEducNat": {"unchanged": 718},
        "MefEducNat": {"unchanged": 2504},
        "Eleve": {"unchanged": 642},
        "PersRelEleve": {"unchanged": 603},
        "PersEducNat": {"unchanged": 701},
    }
    assert report.changed == 0 and report.changes == []
    assert directory_snapshot() == before


def test_2013_dry_run_writes_nothing_and_reports_what_the_import_then_does(source, aaf_fixtures):
    """A dry run leaves the database as it was and its report equals the real import's that follows."""
    before = directory_snapshot()

    dry_run, dry = import_2013(source, aaf_fixtures, dry_run=True)

    assert directory_snapshot() == before
    assert not Person.objects.exists() and not SchoolKey.objects.exists()
    assert dry_run.dry_run and dry_run.report["dry_run"] is True
    real_run, real = import_2013(source, aaf_fixtures)
    assert not real.dry_run
    assert dry.counts == real.counts
    assert dry.schools == real.schools
    assert dry.warning_counts == real.warning_counts
    assert dry.school_year == real.school_year == 2012
    assert Person.objects.count() == 642 + 603 + 701
    assert ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).count() == 2


def test_2020_sample_with_an_iso_8859_15_school_file_imports_with_warnings(source, aaf_fixtures):
    """The 2020 sample (school file in ISO-8859-15) imports its school and pupil; links to absent structures and relatives are warnings."""
    run, report = aaf_import(source=source, path=aaf_fixtures / "real-2020-sample")

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    # No MEF file in the sample: the pupil's MEF (ENTEleveMEF) joins the nomenclature.
    assert report.counts == {
        "EtabEducNat": {"created": 1},
        "MefEducNat": {"created": 1},
        "Eleve": {"created": 1},
    }
    assert report.school_year == 2019  # delivered 1 January 2020
    assert report.warning_counts == {
        "school_outside_territory": 1,
        "unknown_structure": 1,
        "relative_missing": 2,
    }
    school = School.objects.get(uai="0000000V")
    assert (school.name, school.commune, school.postal_code) == ("STRUCTURE", "DOUAI", "59500")
    assert school.department is None
    pupil = Person.objects.get(source=source, external_id="2000000")
    assert (pupil.last_name, pupil.first_name, pupil.civility) == ("NOM", "Prenom", "M.")
    assert (pupil.ine, pupil.birth_date.isoformat()) == ("100000000AA", "2000-01-01")
    assert (pupil.address, pupil.postal_code, pupil.city) == ("1 rue de Test", "16730", "LINARS")
    assert (pupil.mef.code, pupil.mef.label, pupil.mef.level) == ("10000000000", "1E", "BAC PRO")
    # Class 3000$1AQUA names a structure absent from the delivery: no class invented.
    assert not SchoolClass.objects.exists() and not pupil.enrolments.exists()
    # The pupil names its own jointure as a legal representative: never its own parent.
    assert not RelativeLink.objects.exists()


def test_an_iso_8859_15_school_file_keeps_its_accents(source, tmp_path):
    """A school file declared ISO-8859-15, as the 2020 sample's, is decoded as such (Œ, É, €)."""
    folder = tmp_path / "latin9"
    folder.mkdir()
    school = d.structure(name="LYCÉE JULES FERRY ŒUVRE €")
    (folder / "X_Complet_20250905_EtabEducNat_0000.xml").write_bytes(
        d.document(school, encoding="ISO-8859-15").encode("iso-8859-15")
    )

    run, report = aaf_import(source=source, path=folder)

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert report.counts == {"EtabEducNat": {"created": 1}}
    assert School.objects.get(uai=d.SCHOOL_UAI).name == "LYCÉE JULES FERRY ŒUVRE €"


def test_2024_positions_before_then_after_show_changed_functions(source, aaf_fixtures):
    """Importing 2024 ``before/`` then ``after/`` reports the changed functions and the directory holds the new ones."""
    folder = aaf_fixtures / "real-2024-positions"
    run, first = aaf_import(source=source, path=folder / "before")
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert first.counts == {"EtabEducNat": {"created": 1}, "PersEducNat": {"created": 2}}
    school = School.objects.get(uai="0123456A")
    assert (school.name, school.kind, school.department.code) == (
        "CLG INTEGRATION",
        School.Kind.COLLEGE,
        "12",
    )

    def functions(jointure: str) -> set[tuple[str, str, str, str, str]]:
        return set(
            StaffFunction.objects.filter(
                person__source=source, person__external_id=jointure
            ).values_list("school__uai", "code", "label", "discipline_code", "discipline_label")
        )

    assert functions("314159") == {
        ("0123456A", "DIR", "DIRECTION", "D0011", "CHEF D'ETABLISSEMENT ADJOINT"),
        ("0123456A", "AEH", "ACCOMPAGNEMENT", "D0021", "ACCOMPAGNEMENT ELEVES SITUATION HANDICAP"),
    }

    run, second = aaf_import(source=source, path=folder / "after")

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert second.counts == {"PersEducNat": {"updated": 1, "unchanged": 1, "created": 1}}
    assert second.changes == [
        {
            "record": "314159",
            "name": "Prénom AAAA AAAA",
            "uai": "0123456A",
            "fields": [],
            "functions_removed": ["0123456A/DIR/DIRECTION/D0011"],
            "functions_added": ["0123456A/DIR/PRESTATIONS/D0011"],
        }
    ]
    assert run.report["changes"] == second.changes
    assert functions("314159") == {
        ("0123456A", "DIR", "PRESTATIONS", "D0011", "ENTRETIEN"),
        ("0123456A", "AEH", "ACCOMPAGNEMENT", "D0021", "ACCOMPAGNEMENT ELEVES SITUATION HANDICAP"),
    }
    assert functions("314160") == {
        ("0123456A", "ENS", "ENSEIGNEMENT DEVANT ELEVES", "G0170", "ENSEIGNER EN SEGPA OU EREA")
    }
    assert {code for _u, code, *_rest in functions("314161")} == {"DIR"}
    assert len(functions("314161")) == 3
    profiles = dict(Person.objects.filter(source=source).values_list("external_id", "profile"))
    assert profiles == {
        "314159": Profile.DIRECTION,
        "314160": Profile.TEACHER,
        "314161": Profile.DIRECTION,
    }
    assert not Person.objects.filter(state=Person.State.DETACHED).exists()
