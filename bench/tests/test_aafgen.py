"""Rules of the synthetic AAF generator (bench.aafgen): format, consistency, determinism."""

from __future__ import annotations

import hashlib
import re
import tarfile
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from bench.aafgen import generate, main
from bench.aafgen import writer as aaf_writer
from bench.aafgen.catalog import ACADEMIES
from bench.aafgen.schools import UAI_KEYS

CATEGORIES = ("EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat")
NAME_RE = re.compile(
    r"^ENT2D-ENT(?P<ac>11|16)_(?P<kind>Complet|Delta)_(?P<date>\d{8})_"
    r"(?P<category>" + "|".join(CATEGORIES) + r")_(?P<chunk>\d{4})\.xml$"
)
SAFE_PARSER = {"resolve_entities": False, "no_network": True, "load_dtd": False}

Records = dict[str, dict[str, dict[str, list[str]]]]  # category -> id -> attr -> values


def read_delivery(directory: Path, operation: str = "addRequest") -> Records:
    """Every request of one operation in a delivery directory, as plain dicts."""
    records: Records = defaultdict(dict)
    for path in sorted(directory.glob("*.xml")):
        category = NAME_RE.match(path.name)["category"]
        tree = etree.parse(str(path), etree.XMLParser(**SAFE_PARSER))
        for request in tree.getroot().iterchildren(operation):
            identifier = request.findtext("identifier/id")
            container = request.find("attributes")
            if container is None:
                container = request.find("modifications")
            values: dict[str, list[str]] = {}
            if container is not None:
                for item in container:
                    values[item.get("name")] = [v.text for v in item.iterfind("value") if v.text]
            records[category][identifier] = values
    return records


def sha256_tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def complete(tmp_path_factory):
    out = tmp_path_factory.mktemp("aaf-complete")
    summary = generate("test", out, seed=1, archive=True)
    return out, summary


@pytest.fixture(scope="module")
def deliveries(complete) -> dict[str, Records]:
    out, _ = complete
    return {code: read_delivery(out / f"ac-{code}") for code in ("11", "16")}


@pytest.fixture(scope="module")
def delta(tmp_path_factory):
    out = tmp_path_factory.mktemp("aaf-delta")
    summary = generate("test", out, seed=1, delta_from=1)
    return out, summary


def test_test_preset_writes_six_national_files_per_academy(complete):
    """The test preset writes, per académie, one file per category with the national name and 2024 header."""
    out, summary = complete
    assert [a.code for a in summary.academies] == ["11", "16"]
    for code in ("11", "16"):
        names = sorted(p.name for p in (out / f"ac-{code}").glob("*.xml"))
        matches = [NAME_RE.match(name) for name in names]
        assert all(matches), names
        assert sorted(m["category"] for m in matches) == sorted(CATEGORIES)
        assert {(m["ac"], m["kind"], m["date"], m["chunk"]) for m in matches} == {
            (code, "Complet", "20250915", "0000")
        }
        head = (out / f"ac-{code}" / names[0]).read_text(encoding="utf-8")[:400]
        assert head.startswith(
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ficAlimMENESR SYSTEM'
        )
        for comment in ('versionAF="AAF-VE2407"', f'codeAcademieExport="{code}"', 'degre="2D"',
                        'dateGenerationExport="15/09/2025"', "versionSDET="):  # fmt: skip
            assert comment in head


def test_record_counts_in_files_match_the_summary(complete):
    """The number of addRequest elements per category equals what the summary reports."""
    out, summary = complete
    for academy in summary.academies:
        counted = {
            category: sum(
                p.read_text(encoding="utf-8").count("<addRequest")
                for p in academy.directory.glob(f"*_{category}_*.xml")
            )
            for category in CATEGORIES
        }
        assert counted["EtabEducNat"] == academy.schools == 2
        assert counted["Eleve"] == academy.pupils > 0
        assert counted["PersRelEleve"] == academy.relatives > academy.pupils
        assert counted["PersEducNat"] == academy.staff > 0
        for category in CATEGORIES:
            assert counted[category] == academy.records(category, "add")
    assert summary.files == 12
    assert summary.bytes == sum(p.stat().st_size for p in out.rglob("*.xml"))


def test_pupil_classes_and_groups_are_listed_by_their_school(deliveries):
    """Every pupil's class and groups are structJointure$code entries listed by that school."""
    for records in deliveries.values():
        listed = {}
        for sid, attrs in records["EtabEducNat"].items():
            classes = {v.split("$")[0] for v in attrs.get("ENTStructureClasses", [])}
            groups = {v.split("$")[0] for v in attrs.get("ENTStructureGroupes", [])}
            listed[sid] = (classes, groups)
        for pupil in records["Eleve"].values():
            (school,) = pupil["ENTPersonStructRattach"]
            (class_ref,) = pupil["ENTEleveClasses"]
            sid, code = class_ref.split("$")
            assert sid == school and code in listed[sid][0]
            for group_ref in pupil.get("ENTEleveGroupes", []):
                sid, code = group_ref.split("$")
                assert sid == school and code in listed[sid][1]


def test_every_relative_link_resolves_in_the_same_delivery(deliveries):
    """Each ENTElevePersRelEleve jointure is a PersRelEleve of the same delivery, who lists the pupil back."""
    for records in deliveries.values():
        relatives = records["PersRelEleve"]
        linked = set()
        for pupil_id, pupil in records["Eleve"].items():
            links = pupil["ENTElevePersRelEleve"]
            assert links
            for link in links:
                fields = link.split("$")
                assert len(fields) == 6 and fields[3] in ("1", "2")
                assert fields[0] in relatives
                assert pupil_id in relatives[fields[0]]["ENTAuxPersRelEleveEleve"]
                linked.add(fields[0])
        assert linked == set(relatives)


def test_jointures_are_unique_numeric_strings_within_a_delivery(deliveries):
    """Jointures are numeric, equal to the record id, and unique across the categories of a delivery."""
    for records in deliveries.values():
        seen: list[str] = []
        for category, key in (("EtabEducNat", "ENTStructureJointure"), ("Eleve", "ENTPersonJointure"),
                              ("PersRelEleve", "ENTPersonJointure"), ("PersEducNat", "ENTPersonJointure")):  # fmt: skip
            for identifier, attrs in records[category].items():
                assert identifier.isdigit() and attrs[key] == [identifier]
                seen.append(identifier)
        assert len(seen) == len(set(seen))
        for school in records["EtabEducNat"].values():
            assert school["ENTStructureJointure"] != school["ENTStructureUAI"]


def test_uai_ine_and_structure_values_follow_the_national_formats(deliveries):
    """UAIs are 7 digits + check letter in the académie's départements; INEs have 11 characters."""
    for code, records in deliveries.items():
        departments = {d for d, _ in ACADEMIES[code].departments}
        for school in records["EtabEducNat"].values():
            (uai,) = school["ENTStructureUAI"]
            assert re.fullmatch(r"\d{7}[A-Z]", uai)
            assert uai[-1] == UAI_KEYS[int(uai[:7]) % 23]
            assert uai[:3].lstrip("0").zfill(2) in departments and uai[0] == "0"
            sigle, name, town = school["ENTStructureNomCourant"][0].split("$")
            assert name.startswith(sigle) and town
            assert school["ENTEtablissementContrat"] == ["PU"]
            assert school["ENTStructureTypeStruct"][0] in (
                "COLLEGE", "LYCEE GENERAL ET TECHNOLOGIQUE", "LYCEE PROFESSIONNEL", "LYCEE AGRICOLE",
            )  # fmt: skip
        ines = [p["ENTEleveINE"][0] for p in records["Eleve"].values()]
        assert all(len(ine) == 11 for ine in ines) and len(set(ines)) == len(ines)


def test_teachers_reference_existing_classes_groups_and_subjects(deliveries):
    """Teachers' classes, groups and class subjects exist in their school and in MatiereEducNat."""
    for records in deliveries.values():
        subjects = set(records["MatiereEducNat"])
        schools = {
            sid: ({v.split("$")[0] for v in s.get("ENTStructureClasses", [])},
                  {v.split("$")[0] for v in s.get("ENTStructureGroupes", [])})
            for sid, s in records["EtabEducNat"].items()
        }  # fmt: skip
        teachers = 0
        for person in records["PersEducNat"].values():
            for function in person["ENTPersonFonctions"]:
                assert len(function.split("$")) == 5 and function.split("$")[0] in schools
            if person["PersEducNatPresenceDevantEleves"] != ["O"]:
                continue
            teachers += 1
            assert any("$ENS$ENSEIGNEMENT$" in f for f in person["ENTPersonFonctions"])
            for ref in person.get("ENTAuxEnsClasses", []) + person.get(
                "ENTAuxEnsClassesPrincipal", []
            ):
                sid, code = ref.split("$")
                assert code in schools[sid][0]
            for ref in person.get("ENTAuxEnsGroupes", []):
                sid, code = ref.split("$")
                assert code in schools[sid][1]
            for ref in person.get("ENTAuxEnsClassesMatieres", []):
                sid, code, subject = ref.split("$")
                assert code in schools[sid][0] and subject in subjects
        assert teachers > len(records["PersEducNat"]) / 2
        principals = [
            p for p in records["PersEducNat"].values() if p.get("ENTAuxEnsClassesPrincipal")
        ]
        assert principals


def test_a_parent_with_children_in_both_academies_appears_in_both_with_different_jointures(
    deliveries,
):
    """Families straddling the two académies give the same adult two jointures, one per delivery."""

    def identities(records):
        return {
            (
                r["sn"][0],
                r["givenName"][0],
                r["ENTPersonDateNaissance"][0],
                tuple(r.get("mail", [])),
            ): rid
            for rid, r in records["PersRelEleve"].items()
        }

    montpellier, toulouse = identities(deliveries["11"]), identities(deliveries["16"])
    shared = set(montpellier) & set(toulouse)
    assert shared
    assert all(montpellier[key] != toulouse[key] for key in shared)


def test_siblings_share_their_relatives(deliveries):
    """Siblings share their relatives (~20% of relatives have 2+ children), some in two schools."""
    multi_school = 0
    for records in deliveries.values():
        counts = [len(r["ENTAuxPersRelEleveEleve"]) for r in records["PersRelEleve"].values()]
        share = sum(c >= 2 for c in counts) / len(counts)
        assert 0.1 < share < 0.35
        school_of = {pid: p["ENTPersonStructRattach"][0] for pid, p in records["Eleve"].items()}
        multi_school += sum(
            len({school_of[c] for c in r["ENTAuxPersRelEleveEleve"]}) > 1
            for r in records["PersRelEleve"].values()
        )
    assert multi_school


def test_values_are_escaped_and_files_parse_with_lxml(complete):
    """Every file parses with a non-resolving lxml parser and apostrophes are written as &apos;."""
    out, _ = complete
    files = sorted(out.rglob("*.xml"))
    assert files
    for path in files:
        tree = etree.parse(str(path), etree.XMLParser(**SAFE_PARSER))
        assert tree.getroot().tag == "ficAlimMENESR"
        text = path.read_text(encoding="utf-8")
        assert "'" not in text
    assert (
        "MINISTERE DE L&apos;EDUCATION NATIONALE"
        in (next(out.rglob("*_EtabEducNat_*.xml"))).read_text()
    )


def test_same_seed_gives_byte_identical_files_and_archives(complete, tmp_path):
    """Two runs with the same seed give byte-identical files; another seed gives other files."""
    out, _ = complete
    again = tmp_path / "again"
    generate("test", again, seed=1, archive=True, jobs=2)
    assert sha256_tree(again) == sha256_tree(out)
    other = tmp_path / "other"
    generate("test", other, seed=2)
    first = (out / "ac-11" / "ENT2D-ENT11_Complet_20250915_Eleve_0000.xml").read_bytes()
    assert (other / "ac-11" / "ENT2D-ENT11_Complet_20250915_Eleve_0000.xml").read_bytes() != first


def test_archive_packs_the_six_files_under_the_national_name(complete):
    """--archive tgz packs each delivery's six files as ENT2D.<date>.tgz."""
    out, summary = complete
    for academy in summary.academies:
        assert academy.archive == academy.directory / "ENT2D.20250915.tgz"
        with tarfile.open(academy.archive) as tar:
            members = sorted(tar.getnames())
        assert members == sorted(f.path.name for f in academy.files)


def test_big_categories_are_chunked(tmp_path, monkeypatch):
    """A category is split into numbered chunks of at most CHUNK_SIZE requests."""
    monkeypatch.setattr(aaf_writer, "CHUNK_SIZE", 40)
    summary = generate("test", tmp_path, seed=1)
    pupils = [f for f in summary.academy("11").files if f.category == "Eleve"]
    assert len(pupils) > 1
    assert [f.path.name[-8:-4] for f in pupils] == [f"{n:04d}" for n in range(len(pupils))]
    assert all(f.records <= 40 for f in pupils)
    assert sum(f.records for f in pupils) == summary.academy("11").pupils


def test_delta_modifies_adds_and_deletes_known_people(delta, deliveries):
    """A Delta carries _Delta_ names and modify/add/delete requests about the complete export's people."""
    out, summary = delta
    assert summary.kind == "Delta"
    for academy in summary.academies:
        names = [f.path.name for f in academy.files]
        assert all(NAME_RE.match(n)["kind"] == "Delta" and "_20250916_" in n for n in names)
        assert academy.records("Eleve", "modify") and academy.records("Eleve", "add")
        assert academy.records("Eleve", "delete") and academy.records("PersEducNat", "modify")
        base = deliveries[academy.code]
        directory = out / f"ac-{academy.code}"
        modified = read_delivery(directory, "modifyRequest")
        added = read_delivery(directory, "addRequest")
        deleted = read_delivery(directory, "deleteRequest")
        assert set(modified["Eleve"]) <= set(base["Eleve"])
        assert set(deleted["Eleve"]) <= set(base["Eleve"])
        assert not set(added["Eleve"]) & set(base["Eleve"])
        assert set(modified["PersEducNat"]) <= set(base["PersEducNat"])
        known_relatives = set(base["PersRelEleve"]) | set(added["PersRelEleve"])
        for pupil in added["Eleve"].values():
            assert {link.split("$")[0] for link in pupil["ENTElevePersRelEleve"]} <= known_relatives
        for pupil_id, changes in modified["Eleve"].items():
            (old,) = base["Eleve"][pupil_id]["ENTEleveClasses"]
            (new,) = changes["ENTEleveClasses"]
            assert new != old and new.split("$")[0] == old.split("$")[0]
        text = (directory / academy.files[3].path.name).read_text(encoding="utf-8")
        assert 'operation="replace"' in text


def test_generated_files_iterate_through_the_project_parser(complete, delta):
    """Every generated file, complete or delta, streams without error through ostal's AAF parser."""
    parser = pytest.importorskip("ostal.directory.aaf.parser")
    for _out, summary in (complete, delta):
        for academy in summary.academies:
            for info in academy.files:
                records = list(parser.iter_records(info.path, file_name=info.path.name))
                assert len(records) == info.records


def test_cli_writes_the_deliveries_and_prints_a_summary(tmp_path, capsys):
    """The command line generates a preset and ends with the totals."""
    assert main(["--preset", "test", "--out", str(tmp_path), "--seed", "3", "--schools", "4"]) == 0
    printed = capsys.readouterr().out
    assert "ENT2D-ENT16_Complet_20250915_PersEducNat_0000.xml" in printed
    assert "TOTAL Complet preset=test seed=3: 4 schools" in printed
    assert len(list(tmp_path.glob("ac-*/*.xml"))) == 12
