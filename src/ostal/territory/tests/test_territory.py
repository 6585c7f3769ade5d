"""The territory is data: the Occitanie file loads the groupement as the convention says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ostal.territory.factories import SchoolFactory, department
from ostal.territory.models import Authority, School
from ostal.territory.services import TerritoryDataError, territory_load


def test_occitanie_has_thirteen_departments_of_which_twelve_are_members(territory):
    """Occitanie has 13 départements; all but Haute-Garonne are members of the groupement."""
    departments = Authority.objects.filter(kind=Authority.Kind.DEPARTMENT)
    assert departments.count() == 13
    assert departments.filter(is_groupement_member=True).count() == 12
    assert not departments.get(code="31").is_groupement_member


def test_groupement_has_sixteen_members_with_the_region_as_coordinator(territory):
    """Région, two académies, DRAAF and 12 départements: 16 members, the Région coordinates."""
    members = Authority.objects.filter(is_groupement_member=True)
    assert members.count() == 16
    assert list(members.filter(is_coordinator=True).values_list("kind", flat=True)) == ["region"]


def test_academies_have_their_national_codes_and_departments(territory):
    """Montpellier is académie 11 (5 départements), Toulouse 16 (8 départements)."""
    montpellier = Authority.objects.get(kind="academy", code="11")
    toulouse = Authority.objects.get(kind="academy", code="16")
    assert sorted(montpellier.departments.values_list("code", flat=True)) == [
        "11",
        "30",
        "34",
        "48",
        "66",
    ]
    assert sorted(toulouse.departments.values_list("code", flat=True)) == [
        "09",
        "12",
        "31",
        "32",
        "46",
        "65",
        "81",
        "82",
    ]


def test_loading_twice_changes_nothing(territory):
    """Loading the territory file again is idempotent."""
    before = list(Authority.objects.order_by("key").values())
    call_command("load_territory", verbosity=0)
    after = list(Authority.objects.order_by("key").values())
    assert [(a["key"], a["name"], a["updated_at"] is not None) for a in before] == [
        (a["key"], a["name"], True) for a in after
    ]
    assert Authority.objects.count() == 17


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (School.Kind.COLLEGE, "department"),
        (School.Kind.LYCEE, "region"),
        (School.Kind.LYCEE_PRO, "region"),
        (School.Kind.EREA, "region"),
        (School.Kind.LYCEE_AGRICOLE, "draaf"),
    ],
)
def test_responsible_authority_follows_the_kind_of_school(territory, kind, expected):
    """Collèges belong to their département, lycées and EREA to the Région, agricultural lycées to the DRAAF."""
    school = SchoolFactory(kind=kind, department_code="81")
    assert school.responsible_authority.kind == expected
    assert school.academy.code == "16"
    if expected == "department":
        assert school.responsible_authority == department("81")


def test_a_malformed_uai_is_refused(territory):
    """A UAI is 7 digits and a capital letter; anything else is refused with a clear message."""
    with pytest.raises(ValidationError) as err:
        SchoolFactory(uai="34-12", kind=School.Kind.COLLEGE)
    assert "UAI" in str(err.value)
    assert not School.objects.filter(uai="34-12").exists()


def test_a_bad_territory_file_applies_nothing(territory, tmp_path: Path):
    """A file with an unknown reference is refused whole, naming the entry; nothing changes."""
    data = {
        "authorities": [
            {"key": "region-99", "kind": "region", "code": "99", "name": "Nouvelle région"},
            {
                "key": "departement-99",
                "kind": "department",
                "code": "99",
                "name": "X",
                "academy": "academie-404",
            },
        ]
    }
    with pytest.raises(TerritoryDataError, match="academie-404"):
        territory_load(data=data)
    assert not Authority.objects.filter(code="99").exists()
    bad = tmp_path / "t.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="departement-99"):
        call_command("load_territory", "--file", str(bad))
    assert not Authority.objects.filter(code="99").exists()


def test_another_region_fits_by_data_alone(db, tmp_path: Path):
    """Another region loads from its own file with no code change."""
    data = {
        "authorities": [
            {"key": "region-53", "kind": "region", "code": "53", "name": "Région Bretagne"},
            {
                "key": "academie-14",
                "kind": "academy",
                "code": "14",
                "name": "Académie de Rennes",
                "region": "region-53",
            },
            {
                "key": "departement-35",
                "kind": "department",
                "code": "35",
                "name": "Ille-et-Vilaine",
                "region": "region-53",
                "academy": "academie-14",
            },
        ],
        "schools": [
            {
                "uai": "0350001A",
                "name": "Collège de Rennes",
                "kind": "college",
                "department": "departement-35",
            },
        ],
    }
    path = tmp_path / "bretagne.json"
    path.write_text(json.dumps(data))
    call_command("load_territory", "--file", str(path), verbosity=0)
    school = School.objects.get(uai="0350001A")
    assert school.academy.name == "Académie de Rennes"
    assert school.responsible_authority.name == "Ille-et-Vilaine"
