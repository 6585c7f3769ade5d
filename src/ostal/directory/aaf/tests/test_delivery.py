"""Opening AAF deliveries (directory, loose file, .tgz, .zip) in the national order."""

from __future__ import annotations

import datetime
import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from ostal.directory.aaf.delivery import open_delivery
from ostal.directory.aaf.parser import CATEGORIES, AafError

from .builders import FIXTURES, add_request, document, write

SAMPLE = FIXTURES / "real-2020-sample"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared AAF fixtures absent")


def _sample_members() -> list[Path]:
    # Alphabetical archive order puts Eleve before EtabEducNat: the reverse of the national one.
    return sorted(SAMPLE.iterdir())


def _minimal(category: str = "Eleve") -> str:
    return document(add_request("1", {"sn": ["a"]}, category))


@needs_fixtures
def test_directory_delivery_lists_files_in_national_order() -> None:
    """The 2013 folder lists structures, subjects, MEFs, pupils, relatives, staff, then chunks."""
    with open_delivery(FIXTURES / "real-2013-full") as delivery:
        assert (delivery.kind, delivery.date) == ("complete", datetime.date(2013, 1, 17))
        keys = [(CATEGORIES.index(f.category), f.chunk) for f in delivery.files]
        assert keys == sorted(keys)
        # 46 XML files (the DTD is ignored): 1+1+1+1 pupil chunk+40 relatives+2 staff.
        assert len(delivery.files) == 46
        assert [f.category for f in delivery.files[:4]] == [
            "EtabEducNat",
            "MatiereEducNat",
            "MefEducNat",
            "Eleve",
        ]
        assert delivery.files[-1].name.endswith("PersEducNat_0001.xml")


@needs_fixtures
def test_tgz_delivery_streams_members_in_national_order(tmp_path: Path) -> None:
    """A .tgz built from the 2020 sample yields EtabEducNat before Eleve and parses its members."""
    archive = tmp_path / "ENT2D.20200101.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in _sample_members():
            tar.add(path, arcname=f"ENT2D.20200101/{path.name}")
    with open_delivery(archive) as delivery:
        assert [f.category for f in delivery.files] == ["EtabEducNat", "Eleve"]
        assert (delivery.kind, delivery.date) == ("complete", datetime.date(2020, 1, 1))
        seen = [(info.category, record.identifier) for info, record in delivery.records()]
    assert seen == [("EtabEducNat", "1"), ("Eleve", "2000000")]
    assert not (tmp_path / "ENT2D.20200101").exists()  # nothing extracted to disk


@needs_fixtures
def test_zip_delivery_streams_members_in_national_order(tmp_path: Path) -> None:
    """A .zip built from the 2020 sample yields EtabEducNat before Eleve and parses its members."""
    archive = tmp_path / "ENT2D.20200101.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for path in _sample_members():
            zip_file.write(path, arcname=path.name)
        zip_file.writestr("README.txt", "not an AAF file")
    with open_delivery(archive) as delivery:
        assert [f.category for f in delivery.files] == ["EtabEducNat", "Eleve"]
        with delivery.open(delivery.files[0]) as stream:
            assert stream.read(5) == b"<?xml"
        seen = [(info.category, record.identifier) for info, record in delivery.records()]
    assert seen == [("EtabEducNat", "1"), ("Eleve", "2000000")]


def _tar_with(tmp_path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    archive = tmp_path / "ENT2D.20240101.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        content = _minimal().encode()
        good = tarfile.TarInfo("ENT_Complet_20240101_Eleve_0000.xml")
        good.size = len(content)
        tar.addfile(good, io.BytesIO(content))
        tar.addfile(member, io.BytesIO(data) if member.isfile() else None)
    return archive


def test_tar_member_escaping_with_dotdot_is_refused(tmp_path: Path) -> None:
    """A member path containing '..' makes the whole archive refused."""
    data = _minimal().encode()
    member = tarfile.TarInfo("../../ENT_Complet_20240101_Eleve_0001.xml")
    member.size = len(data)
    with pytest.raises(AafError, match="chemin de membre dangereux") as caught:
        open_delivery(_tar_with(tmp_path, member, data))
    assert caught.value.file == "ENT2D.20240101.tgz"


def test_tar_absolute_member_is_refused(tmp_path: Path) -> None:
    """An absolute member path is refused even for a non-XML member."""
    member = tarfile.TarInfo("/etc/cron.d/x")
    member.size = 0
    with pytest.raises(AafError, match="dangereux"):
        open_delivery(_tar_with(tmp_path, member))


def test_tar_symlink_member_is_refused(tmp_path: Path) -> None:
    """Links, devices and other non-regular members are refused."""
    member = tarfile.TarInfo("ENT_Complet_20240101_Eleve_0001.xml")
    member.type = tarfile.SYMTYPE
    member.linkname = "/etc/passwd"
    with pytest.raises(AafError, match="pas un fichier ordinaire"):
        open_delivery(_tar_with(tmp_path, member))


def test_zip_member_escaping_with_dotdot_is_refused(tmp_path: Path) -> None:
    """Zip members with '..' (also written with backslashes) are refused."""
    for name in (
        "../ENT_Complet_20240101_Eleve_0000.xml",
        "..\\ENT_Complet_20240101_Eleve_0000.xml",
    ):
        archive = tmp_path / "x.zip"
        with zipfile.ZipFile(archive, "w") as zip_file:
            zip_file.writestr(name, _minimal())
        with pytest.raises(AafError, match="dangereux"):
            open_delivery(archive)


def test_mixing_complete_and_delta_files_is_refused(tmp_path: Path) -> None:
    """One delivery is either complete or delta."""
    write(tmp_path, "ENT_Complet_20240101_Eleve_0000.xml", _minimal())
    write(tmp_path, "ENT_Delta_20240101_Eleve_0001.xml", _minimal())
    with pytest.raises(AafError, match="Complet et Delta"):
        open_delivery(tmp_path)


def test_mixing_dates_is_refused(tmp_path: Path) -> None:
    """One delivery has a single export date."""
    write(tmp_path, "ENT_Complet_20240101_Eleve_0000.xml", _minimal())
    write(tmp_path, "ENT_Complet_20240102_PersEducNat_0000.xml", _minimal("PersEducNat"))
    with pytest.raises(AafError, match="plusieurs dates"):
        open_delivery(tmp_path)


def test_duplicate_chunk_is_refused(tmp_path: Path) -> None:
    """Two files for the same category and chunk make the delivery ambiguous."""
    write(tmp_path, "A_Complet_20240101_Eleve_0000.xml", _minimal())
    write(tmp_path, "B_Complet_20240101_Eleve_0000.xml", _minimal())
    with pytest.raises(AafError, match="en double"):
        open_delivery(tmp_path)


def test_archive_named_delta_must_hold_delta_files(tmp_path: Path) -> None:
    """A national archive name containing 'Delta' announces delta files."""
    archive = tmp_path / "ENT2D.20240101_Delta.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("ENT_Complet_20240101_Eleve_0000.xml", _minimal())
    with pytest.raises(AafError, match="Delta"):
        open_delivery(archive)


def test_delta_archive_is_a_delta_delivery(tmp_path: Path) -> None:
    """Delta files in a Delta archive give a delta delivery."""
    archive = tmp_path / "ENT2D.20240101_Delta.zip"
    with zipfile.ZipFile(archive, "w") as zip_file:
        zip_file.writestr("ENT_Delta_20240101_Eleve_0000.xml", _minimal())
    with open_delivery(archive) as delivery:
        assert delivery.kind == "delta"


def test_xml_file_with_a_foreign_name_is_refused_by_name(tmp_path: Path) -> None:
    """Every XML file of a delivery must carry a national name; others are reported by name."""
    write(tmp_path, "ENT_Complet_20240101_Eleve_0000.xml", _minimal())
    write(tmp_path, "notes.xml", "<x/>")
    with pytest.raises(AafError) as caught:
        open_delivery(tmp_path)
    assert caught.value.file == "notes.xml"


def test_non_xml_files_and_macos_metadata_are_ignored(tmp_path: Path) -> None:
    """The DTD, text files and '._' resource forks are not AAF files."""
    write(tmp_path, "ENT_Complet_20240101_Eleve_0000.xml", _minimal())
    write(tmp_path, "ficAlimMENESR.dtd", "<!ELEMENT x ANY>")
    write(tmp_path, "._ENT_Complet_20240101_Eleve_0000.xml", b"\x00\x05")
    with open_delivery(tmp_path) as delivery:
        assert [f.name for f in delivery.files] == ["ENT_Complet_20240101_Eleve_0000.xml"]


def test_empty_delivery_is_refused(tmp_path: Path) -> None:
    """A delivery without any AAF file is an error, not an empty import."""
    with pytest.raises(AafError, match="aucun fichier AAF"):
        open_delivery(tmp_path)


@needs_fixtures
def test_loose_file_is_a_one_file_delivery(tmp_path: Path) -> None:
    """A single national XML file can be opened as a delivery."""
    path = shutil.copy(SAMPLE / "ENT_Complet_20200101_Eleve_0000.xml", tmp_path)
    with open_delivery(path) as delivery:
        assert [info.category for info in delivery.files] == ["Eleve"]
        assert [record.identifier for _info, record in delivery.records()] == ["2000000"]


def test_unknown_delivery_format_is_refused(tmp_path: Path) -> None:
    """A file that is neither XML nor a known archive is refused."""
    path = write(tmp_path, "delivery.rar", b"Rar!\x1a\x07\x00")
    with pytest.raises(AafError, match="format de livraison"):
        open_delivery(path)
