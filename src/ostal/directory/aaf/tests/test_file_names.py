"""National file-name grammar: <prefix>_<Complet|Delta>_<YYYYMMDD>_<Category>_<NNNN>.xml."""

from __future__ import annotations

import datetime

import pytest

from ostal.directory.aaf.parser import AafError, national_order_key, parse_file_name


@pytest.mark.parametrize(
    ("name", "prefix", "kind", "date", "category", "chunk"),
    [
        (
            "ENT2DVA-ENT16_Complet_20240916_PersEducNat_0000.xml",
            "ENT2DVA-ENT16",
            "complete",
            datetime.date(2024, 9, 16),
            "PersEducNat",
            0,
        ),
        (
            "FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml",
            "FULL_ENTTSSERVICES",
            "complete",
            datetime.date(2013, 1, 17),
            "Eleve",
            1,
        ),
        (
            "ENT_Complet_20200101_Eleve_0000.xml",
            "ENT",
            "complete",
            datetime.date(2020, 1, 1),
            "Eleve",
            0,
        ),
        (
            "clean-FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0039.xml",
            "clean-FULL_ENTTSSERVICES",
            "complete",
            datetime.date(2013, 1, 17),
            "PersRelEleve",
            39,
        ),
        (
            "ENT2D.x_Delta_20250301_MatiereEducNat_0012.xml",
            "ENT2D.x",
            "delta",
            datetime.date(2025, 3, 1),
            "MatiereEducNat",
            12,
        ),
    ],
)
def test_real_and_variant_names_are_decoded(
    name: str, prefix: str, kind: str, date: datetime.date, category: str, chunk: int
) -> None:
    """A national name gives prefix (which may contain '-', '.' and '_'), kind, date, category and chunk."""
    info = parse_file_name(f"/some/dir/{name}")
    assert (info.prefix, info.kind, info.date, info.category, info.chunk) == (
        prefix,
        kind,
        date,
        category,
        chunk,
    )
    assert info.name == name


@pytest.mark.parametrize(
    "name",
    [
        "ficAlimMENESR.dtd",
        "ENT_Complet_20200101_ENTEleve_0000.xml",  # ENT… names are attributes, not files
        "ENT_Full_20200101_Eleve_0000.xml",
        "ENT_Complet_2020011_Eleve_0000.xml",
        "ENT_Complet_20200101_Eleve.xml",
        "_Complet_20200101_Eleve_0000.xml",
    ],
)
def test_non_national_names_are_refused_naming_the_file(name: str) -> None:
    """A name outside the national grammar raises AafError carrying that file name."""
    with pytest.raises(AafError) as caught:
        parse_file_name(name)
    assert caught.value.file == name
    assert caught.value.line is None


def test_impossible_date_in_name_is_refused() -> None:
    """The YYYYMMDD part must be a real calendar date."""
    with pytest.raises(AafError, match="date « 20130230 » invalide"):
        parse_file_name("ENT_Complet_20130230_Eleve_0000.xml")


def test_national_order_key_sorts_categories_then_chunks() -> None:
    """Files sort EtabEducNat, MatiereEducNat, MefEducNat, Eleve, PersRelEleve, PersEducNat, then by chunk."""
    names = [
        "X_Complet_20200101_PersEducNat_0000.xml",
        "X_Complet_20200101_PersRelEleve_0010.xml",
        "X_Complet_20200101_PersRelEleve_0002.xml",
        "X_Complet_20200101_Eleve_0000.xml",
        "X_Complet_20200101_MefEducNat_0000.xml",
        "X_Complet_20200101_MatiereEducNat_0000.xml",
        "X_Complet_20200101_EtabEducNat_0000.xml",
    ]
    ordered = sorted((parse_file_name(name) for name in names), key=national_order_key)
    assert [(info.category, info.chunk) for info in ordered] == [
        ("EtabEducNat", 0),
        ("MatiereEducNat", 0),
        ("MefEducNat", 0),
        ("Eleve", 0),
        ("PersRelEleve", 2),
        ("PersRelEleve", 10),
        ("PersEducNat", 0),
    ]
