"""The parser on the real AAF exports kept in the shared fixtures (2013, 2020, 2024)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from ostal.directory.aaf.parser import AafRecord, iter_records, read_header
from ostal.directory.aaf.values import parse_function

from .builders import FIXTURES

pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared AAF fixtures absent")


def _records(folder: str, pattern: str = "*.xml") -> list[AafRecord]:
    records: list[AafRecord] = []
    for path in sorted((FIXTURES / folder).glob(pattern)):
        records.extend(iter_records(path))
    return records


def _by_id(folder: str, pattern: str, identifier: str) -> AafRecord:
    return next(r for r in _records(folder, pattern) if r.identifier == identifier)


# Expected counts measured independently of the parser, for each folder and category:
#   cat <folder>/*_<Category>_*.xml | grep -o '<addRequest' | wc -l
# (and the same with '<\(modify\|delete\)Request', which gives 0 everywhere: all real
# fixtures are complete exports). They agree with the fixtures README for 2013.
EXPECTED_COUNTS = {
    "real-2013-full": {
        "EtabEducNat": 10,
        "MatiereEducNat": 718,
        "MefEducNat": 2504,
        "Eleve": 642,
        "PersRelEleve": 9975,
        "PersEducNat": 701,
    },
    "real-2020-sample": {"EtabEducNat": 1, "Eleve": 1},
    "real-2024-positions/before": {"EtabEducNat": 1, "PersEducNat": 2},
    "real-2024-positions/after": {"PersEducNat": 3},
}


@pytest.mark.parametrize("folder", sorted(EXPECTED_COUNTS))
def test_record_counts_per_category_match_the_files(folder: str) -> None:
    """Every addRequest of a real export becomes exactly one 'add' record of its file's category."""
    records = _records(folder)
    assert Counter(r.category for r in records) == EXPECTED_COUNTS[folder]
    assert {r.operation for r in records} == {"add"}
    assert all(r.identifier for r in records)


def test_identifiers_are_unique_within_each_2013_category() -> None:
    """A complete export lists each entity once per category."""
    records = _records("real-2013-full")
    keys = Counter((r.category, r.identifier) for r in records)
    assert keys.most_common(1)[0][1] == 1


def test_file_without_declaration_is_read_as_utf8() -> None:
    """The 2013 pupil file has no XML declaration and UTF-8 accents, decoded as such."""
    record = _by_id("real-2013-full", "*_Eleve_*.xml", "2605692")
    assert record.attributes["givenName"] == ("Kù",)
    assert record.attributes["ENTPersonAutresPrenoms"] == ("Jetsmao", "Xzuzcosvo", "Pykewi")
    assert record.attributes["ENTElevePersRelEleve"] == ("2867253$2$1$1$0$0", "2867254$1$0$2$0$0")
    assert record.attributes["ENTEleveClasses"] == ("52006$RUS1TERM",)
    assert record.attributes["ENTElevePersRelEleve1"] == ()
    assert record.line == 5
    assert record.file == "FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"


def test_crlf_file_reports_source_line_numbers() -> None:
    """Line numbers of a CRLF file with declaration and DOCTYPE are those of the source."""
    first = _records("real-2013-full", "*_EtabEducNat_*.xml")[0]
    assert (first.identifier, first.line) == ("52000", 6)


def test_predefined_and_numeric_entities_are_decoded() -> None:
    """&amp; &apos; &quot; and &#212; in real MEF labels decode to their characters."""
    labels = {
        r.identifier: r.attributes["ENTLibelleMef"][0]
        for r in _records("real-2013-full", "*_MefEducNat_*.xml")
    }
    values = set(labels.values())
    assert 'CPGE2 LETTRES "ENS" ULM 2E ANNEE' in values
    assert "MC     MAINTENANCE CONTRÔLE MATERIELS" in values
    assert "SESSION D'INFORMATION & D'ORIENTATION" in values
    assert not any("&" in value and ";" in value for value in values)


def test_iso_8859_15_school_file_is_decoded() -> None:
    """The 2020 school file declared ISO-8859-15 parses, empty values giving no value."""
    record = _records("real-2020-sample", "*_EtabEducNat_*.xml")[0]
    assert record.identifier == "1"
    assert record.attributes["ENTEtablissementMinistereTutelle"] == (
        "MINISTERE DE L'EDUCATION NATIONALE",
    )
    assert record.attributes["postOfficeBox"] == ()  # <value></value>
    assert record.attributes["ENTStructureClasses"] == ()  # <value/>
    assert record.attributes["l"] == ("DOUAI",)


def test_iso_8859_15_accents_decode_correctly(tmp_path: Path) -> None:
    """Latin-9 bytes (é, È, Œ, €) in a file declared ISO-8859-15 decode to the right letters."""
    # The real file is pure ASCII, so the same file is given accented values in Latin-9.
    source = FIXTURES / "real-2020-sample" / "ENT_Complet_20200101_EtabEducNat_0000.xml"
    text = source.read_text(encoding="iso8859-15")
    text = text.replace("DOUAI", "SAINT-ÉTIENNE-LÈS-ŒUVRES").replace("1 rue Test", "1 € rue")
    target = tmp_path / source.name
    target.write_bytes(text.encode("iso8859-15"))
    assert b"\xbc" in target.read_bytes()  # Œ has no ISO-8859-1 counterpart
    record = next(iter_records(target))
    assert record.attributes["l"] == ("SAINT-ÉTIENNE-LÈS-ŒUVRES",)
    assert record.attributes["street"] == ("1 € rue",)


def test_pupil_sample_keeps_multi_values_and_empty_attributes() -> None:
    """Repeated <value> keep their order, an attribute with only <value/> maps to ()."""
    record = _records("real-2020-sample", "*_Eleve_*.xml")[0]
    assert record.identifier == "2000000"
    assert record.attributes["ENTElevePersRelEleve"] == (
        "2000000$10$1$1$1$1",
        "3000000$20$0$1$0$0",
    )
    assert record.attributes["ENTPersonAdresse"] == ("1 rue de Test$$$",)
    assert record.attributes["ENTEleveGroupes"] == ()
    assert record.first("ENTEleveINE") == "100000000AA"
    assert record.first("ENTEleveGroupes") is None
    assert record.line == 4


def test_2024_values_spread_over_lines_are_read() -> None:
    """Values on their own indented lines (2024 ENTPersonFonctions) are read without the layout."""
    record = _by_id("real-2024-positions/after", "*.xml", "314161")
    functions = [parse_function(value) for value in record.attributes["ENTPersonFonctions"]]
    assert [(f.structure_id, f.function_code, f.discipline_code) for f in functions] == [
        ("43", "DIR", "D0012"),
        ("43", "DIR", "D0013"),
        ("43", "DIR", "D0014"),
    ]
    assert record.attributes["givenName"] == ("Prénom CCCC",)
    assert record.attributes["ENTPersonCategorieEnseignant"] == ("N",)


def test_2024_header_comments_are_read() -> None:
    """The 2024 header comments give version, académie, degree and generation date."""
    path = next((FIXTURES / "real-2024-positions" / "before").glob("*_PersEducNat_*.xml"))
    assert read_header(path) == {
        "versionAF": "AAF-VE2407",
        "versionSDET": "Annexe 4bis version 6.4",
        "codeAcademieExport": "13",
        "degre": "2D",
        "dateGenerationExport": "16/09/2024",
    }


def test_2013_header_has_only_the_version() -> None:
    """Older files carry only versionAF; the 2020 sample carries nothing."""
    path = FIXTURES / "real-2013-full" / "FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"
    assert read_header(path) == {"versionAF": "AAF-VE1301"}
    sample = FIXTURES / "real-2020-sample" / "ENT_Complet_20200101_Eleve_0000.xml"
    assert read_header(sample) == {}


def test_the_dtd_next_to_the_file_is_never_read(tmp_path: Path) -> None:
    """The DOCTYPE's ficAlimMENESR.dtd is not loaded: a hostile DTD beside the file changes nothing."""
    source = FIXTURES / "real-2020-sample" / "ENT_Complet_20200101_Eleve_0000.xml"
    shutil.copy(source, tmp_path / source.name)
    (tmp_path / "ficAlimMENESR.dtd").write_text(
        '<!ENTITY % evil SYSTEM "file:///etc/passwd">%evil;\n'
        '<!ATTLIST value injected CDATA "yes">\nthis is not a DTD <<<',
        encoding="utf-8",
    )
    records = list(iter_records(tmp_path / source.name))
    assert len(records) == 1
    assert records[0].attributes["sn"] == ("NOM",)
