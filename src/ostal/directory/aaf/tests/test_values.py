"""Decoders of AAF compound, date and boolean values."""

from __future__ import annotations

import datetime

import pytest

from ostal.directory.aaf.values import (
    DisplayName,
    PersRelEleveLink,
    StaffFunction,
    StructRef,
    parse_bool,
    parse_date,
    parse_display_name,
    parse_function,
    parse_pers_rel_eleve,
    parse_struct_ref,
    split_compound,
)


def test_split_compound_keeps_empty_fields() -> None:
    """'$' separates fields and empty fields are kept, so positions stay meaningful."""
    assert split_compound("1 rue de Test$$$") == ["1 rue de Test", "", "", ""]
    assert split_compound("52006$RUS1TERM") == ["52006", "RUS1TERM"]
    assert split_compound("") == [""]


def test_parse_date_reads_day_month_year() -> None:
    """Dates are dd/MM/yyyy; an empty value is no date."""
    assert parse_date("14/09/1995") == datetime.date(1995, 9, 14)
    assert parse_date(" 01/01/2000 ") == datetime.date(2000, 1, 1)
    assert parse_date("") is None


@pytest.mark.parametrize("value", ["2000-01-01", "1/1/2000", "31/02/2000", "14/09/95", "demain"])
def test_parse_date_refuses_other_forms(value: str) -> None:
    """Anything but an existing dd/MM/yyyy date raises ValueError."""
    with pytest.raises(ValueError, match="date"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("O", True), ("N", False), ("1", True), ("0", False), ("o", True), ("", None)],
)
def test_parse_bool_reads_o_n_and_1_0(value: str, expected: bool | None) -> None:
    """O/N (and 1/0 inside compound values) are booleans; empty is unknown."""
    assert parse_bool(value) is expected


def test_parse_bool_refuses_other_values() -> None:
    """A value that is neither O/N nor 1/0 is an error, not False."""
    with pytest.raises(ValueError, match="booléen"):
        parse_bool("Oui")


def test_parse_pers_rel_eleve_decodes_the_six_fields() -> None:
    """relative$relation$financial$legal$contact$X gives a typed link, X kept raw."""
    assert parse_pers_rel_eleve("2867253$2$1$1$0$0") == PersRelEleveLink(
        relative_id="2867253",
        relation_code="2",
        financial=True,
        legal_level=1,
        contact=False,
        extra="0",
    )
    link = parse_pers_rel_eleve("3000000$20$0$2$1$")
    assert (link.relation_code, link.financial, link.legal_level, link.contact, link.extra) == (
        "20",
        False,
        2,
        True,
        None,
    )


@pytest.mark.parametrize("value", ["2867253$2$1", "$10$1$1$0$0", "1$10$1$X$0$0", "1$10$7$1$0$0"])
def test_parse_pers_rel_eleve_refuses_malformed_links(value: str) -> None:
    """Too few fields, no relative, or non-numeric/boolean flags raise ValueError."""
    with pytest.raises(ValueError):
        parse_pers_rel_eleve(value)


def test_parse_function_decodes_structure_function_and_discipline() -> None:
    """struct$code$label$discipline$label, with '-' meaning no function or discipline."""
    assert parse_function(
        "50014$DIR$DIRECTION$D0011$DIRECTION ADJOINT AU CHEF ETABLISSEMENT"
    ) == StaffFunction(
        structure_id="50014",
        function_code="DIR",
        function_label="DIRECTION",
        discipline_code="D0011",
        discipline_label="DIRECTION ADJOINT AU CHEF ETABLISSEMENT",
    )
    none = parse_function("50011$-$SANS OBJET$-$SANS OBJET")
    assert (none.function_code, none.discipline_code) == (None, None)
    assert none.function_label == "SANS OBJET"


@pytest.mark.parametrize("value", ["50014$DIR$DIRECTION", "$DIR$DIRECTION$D0011$X"])
def test_parse_function_refuses_malformed_values(value: str) -> None:
    """A function needs its five fields and a structure."""
    with pytest.raises(ValueError, match="fonction"):
        parse_function(value)


def test_parse_struct_ref_reads_class_and_optional_subject() -> None:
    """struct$code for classes and groups, struct$code$subject for the staff …Matieres forms."""
    assert parse_struct_ref("52006$RUS1TERM") == StructRef("52006", "RUS1TERM")
    assert parse_struct_ref("55794$1S2$006600") == StructRef("55794", "1S2", "006600")


@pytest.mark.parametrize("value", ["RUS1TERM", "$RUS1TERM", "52006$", "1$2$3$4"])
def test_parse_struct_ref_refuses_malformed_values(value: str) -> None:
    """A reference needs a structure and a code."""
    with pytest.raises(ValueError, match="référence"):
        parse_struct_ref(value)


def test_parse_display_name_reads_type_name_and_city() -> None:
    """ENTStructureNomCourant is TYPE$NOM$VILLE; a bare name is accepted as such."""
    name = parse_display_name("CLG$CLG INTEGRATION$PARIS")
    assert name == DisplayName(type_code="CLG", name="CLG INTEGRATION", city="PARIS")
    assert str(name) == "CLG INTEGRATION PARIS"
    assert parse_display_name("LYCEE X") == DisplayName(None, "LYCEE X", None)
    with pytest.raises(ValueError, match="nom courant"):
        parse_display_name("CLG$$PARIS")
