"""A complete import is the whole truth: absent people are detached, a new school year
archives last year's classes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ostal.directory import factories
from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    Person,
    RelativeLink,
    SchoolClass,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.feed.models import ImportRun
from ostal.feed.services import aaf_import
from ostal.territory.factories import SchoolFactory

from . import deliveries as d

PASSWORD = "un mot de passe assez long"


def run_import(source, path):
    run, report = aaf_import(source=source, path=path)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return report


def test_people_absent_from_a_later_complete_import_are_detached(source, tmp_path, client):
    """People of the source missing from a complete import are detached: they keep their row but cannot log in, and lose their school, class, group and family links."""
    everyone = {
        "structures": [d.structure()],
        "pupils": [
            d.pupil("E1", "Alice", "Durand", relatives=["R1"], groups=["LATIN"]),
            d.pupil("E2", "Bruno", "Petit", relatives=["R2"], groups=["LATIN"]),
        ],
        "relatives": [d.relative("R1", "Diane", "Durand"), d.relative("R2", "Emma", "Petit")],
        "staff": [
            d.staff("T1", "Franck", "Garcia", classes=["4A"]),
            d.staff("T2", "Gilles", "Henry", classes=["4A"]),
        ],
    }
    run_import(source, d.delivery(tmp_path / "1", date="20250908", **everyone))
    leaver = Person.objects.get(external_id="E2")
    leaver.set_password(PASSWORD)
    leaver.state = Person.State.ACTIVE
    leaver.save()
    credentials = {"username": leaver.username, "password": PASSWORD}
    assert Client().post(reverse("accounts:login"), credentials).status_code == 302

    report = run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250915",
            structures=everyone["structures"],
            pupils=everyone["pupils"][:1],
            relatives=everyone["relatives"][:1],
            staff=everyone["staff"][:1],
        ),
    )

    assert report.counts["Eleve"] == {"unchanged": 1, "detached": 1}
    assert report.counts["PersRelEleve"] == {"unchanged": 1, "detached": 1}
    assert report.counts["PersEducNat"] == {"unchanged": 1, "detached": 1}
    assert report.schools[d.SCHOOL_UAI]["Eleve"]["detached"] == 1
    gone = Person.objects.filter(external_id__in=["E2", "R2", "T2"])
    assert gone.count() == 3
    assert {p.state for p in gone} == {Person.State.DETACHED}
    assert not any(p.is_active for p in gone)
    assert Person.objects.get(external_id="E2").last_name == "Petit"  # data kept
    for model, field in (
        (Affiliation, "person"),
        (Enrolment, "pupil"),
        (GroupMembership, "person"),
        (TeachingAssignment, "teacher"),
        (RelativeLink, "relative"),
        (RelativeLink, "pupil"),
    ):
        assert not model.objects.filter(**{f"{field}__in": gone}).exists(), model
    stayers = Person.objects.exclude(pk__in=gone)
    assert {p.state for p in stayers} == {Person.State.TO_ACTIVATE}
    assert Enrolment.objects.get().pupil.external_id == "E1"
    assert RelativeLink.objects.get().relative.external_id == "R1"
    response = client.post(reverse("accounts:login"), credentials)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_detached_person_back_in_a_complete_import_is_restored_with_the_same_account(
    source, tmp_path
):
    """A detached person who reappears gets the same row and login back, with their links."""
    school = [d.structure()]
    run_import(
        source,
        d.delivery(
            tmp_path / "1",
            date="20250908",
            structures=school,
            pupils=[d.pupil("E1", "Alice", "Durand"), d.pupil("E2", "Bruno", "Petit")],
        ),
    )
    bruno = Person.objects.get(external_id="E2")
    run_import(
        source,
        d.delivery(
            tmp_path / "2",
            date="20250915",
            structures=school,
            pupils=[d.pupil("E1", "Alice", "Durand")],
        ),
    )
    assert Person.objects.get(pk=bruno.pk).state == Person.State.DETACHED

    report = run_import(
        source,
        d.delivery(
            tmp_path / "3",
            date="20250922",
            structures=school,
            pupils=[d.pupil("E1", "Alice", "Durand"), d.pupil("E2", "Bruno", "Petit")],
        ),
    )

    assert report.counts["Eleve"] == {"unchanged": 1, "restored": 1}
    back = Person.objects.get(external_id="E2")
    assert (back.pk, back.username) == (bruno.pk, bruno.username)
    assert back.state == Person.State.TO_ACTIVATE
    assert back.enrolments.get().school_class.code == "4A"
    assert back.affiliations.get().school.uai == d.SCHOOL_UAI


def test_the_first_complete_import_of_a_new_school_year_archives_last_years_classes(
    source, tmp_path
):
    """The first complete import of a school year archives the previous year's classes and groups of its schools, keeping their rosters, and builds the new year's."""
    other_school = SchoolFactory(uai="0349999Z")
    factories.school_class(school=other_school, code="6A", year=2024)
    run_import(
        source,
        d.delivery(
            tmp_path / "june",
            date="20250620",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", school_class="4A", groups=["LATIN"])],
            staff=[d.staff("T1", "Franck", "Garcia", classes=["4A"])],
        ),
    )
    assert set(SchoolClass.objects.values_list("code", "school_year", "archived")) == {
        ("6A", 2024, False),
        ("4A", 2024, False),
    }

    report = run_import(
        source,
        d.delivery(
            tmp_path / "september",
            date="20250901",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", school_class="3A", groups=["GREC"])],
            staff=[d.staff("T1", "Franck", "Garcia", classes=["3A"])],
        ),
    )

    assert report.school_year == 2025
    assert report.archived_classes == 1
    assert report.counts["Eleve"] == {"updated": 1}  # same record, new school year
    assert set(SchoolClass.objects.values_list("code", "school_year", "archived")) == {
        ("6A", 2024, False),  # another school, not in the delivery: untouched
        ("4A", 2024, True),
        ("3A", 2025, False),
    }
    assert set(TeachingGroup.objects.values_list("code", "school_year", "archived")) == {
        ("LATIN", 2024, True),
        ("GREC", 2025, False),
    }
    alice = Person.objects.get(external_id="E1")
    # Last year's roster stays as it was; this year's is the new class.
    assert set(alice.enrolments.values_list("school_class__code", "school_class__archived")) == {
        ("4A", True),
        ("3A", False),
    }
    assert set(alice.group_memberships.values_list("group__code", flat=True)) == {
        "LATIN",
        "GREC",
    }
    teacher = Person.objects.get(external_id="T1")
    assert set(teacher.assignments.values_list("school_class__code", flat=True)) == {"4A", "3A"}

    again = run_import(
        source,
        d.delivery(
            tmp_path / "later",
            date="20250915",
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand", school_class="3A", groups=["GREC"])],
            staff=[d.staff("T1", "Franck", "Garcia", classes=["3A"])],
        ),
    )
    assert again.archived_classes == 0
    assert again.counts["Eleve"] == {"unchanged": 1}
    assert SchoolClass.objects.get(code="3A").archived is False


@pytest.mark.parametrize(
    ("date", "year"),
    [("20250731", 2024), ("20250801", 2025), ("20260115", 2025)],
)
def test_the_school_year_of_a_delivery_turns_on_the_first_of_august(source, tmp_path, date, year):
    """The school year comes from the delivery date and starts on 1 August."""
    report = run_import(
        source,
        d.delivery(
            tmp_path / date,
            date=date,
            structures=[d.structure()],
            pupils=[d.pupil("E1", "Alice", "Durand")],
        ),
    )

    assert report.school_year == year
    assert SchoolClass.objects.get().school_year == year
    run = ImportRun.objects.get()
    assert run.delivery_date.strftime("%Y%m%d") == date and run.kind == "complete"


def test_a_dry_run_of_a_rollover_with_departures_writes_nothing_and_predicts_the_import(
    source, tmp_path
):
    """A dry run of an import that detaches people and archives classes leaves the database unchanged, and its report equals the real import's that follows."""
    run_import(
        source,
        d.delivery(
            tmp_path / "june",
            date="20250620",
            structures=[d.structure()],
            pupils=[
                d.pupil("E1", "Alice", "Durand", relatives=["R1"]),
                d.pupil("E2", "Bruno", "Petit"),
            ],
            relatives=[d.relative("R1", "Diane", "Durand")],
        ),
    )
    september = d.delivery(
        tmp_path / "september",
        date="20250901",
        structures=[d.structure()],
        pupils=[d.pupil("E1", "Alice", "Durand", school_class="3A", relatives=["R1"])],
        relatives=[d.relative("R1", "Diane", "Martin")],
    )

    def state():
        return (
            sorted(Person.objects.values_list("pk", "state", "last_name", "updated_at")),
            sorted(SchoolClass.objects.values_list("pk", "code", "archived")),
            sorted(Enrolment.objects.values_list("pupil_id", "school_class_id")),
            sorted(RelativeLink.objects.values_list("relative_id", "pupil_id")),
            Affiliation.objects.count(),
        )

    before = state()
    dry_run, dry = aaf_import(source=source, path=september, dry_run=True)

    assert dry_run.status == ImportRun.Status.SUCCEEDED and dry_run.dry_run
    assert state() == before
    real = run_import(source, september)
    assert state() != before
    assert (
        dry.counts
        == real.counts
        == {
            "EtabEducNat": {"unchanged": 1},
            "Eleve": {"updated": 1, "detached": 1},
            "PersRelEleve": {"updated": 1},
        }
    )
    assert dry.schools == real.schools
    assert dry.archived_classes == real.archived_classes == 1
    assert dry.changes == real.changes
    assert Person.objects.get(external_id="E2").state == Person.State.DETACHED
