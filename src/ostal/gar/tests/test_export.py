"""The GAR export of the test world: five kinds, validated, packed, delivered by SFTP."""

from __future__ import annotations

import hashlib
import re
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from ostal.directory import factories, services
from ostal.directory.models import Mef, Profile
from ostal.gar import export
from ostal.gar.models import GarAppointment, GarExportRun, GarRole
from ostal.gar.services import gar_export
from ostal.gar.tasks import gar_export_nightly

NAME = re.compile(r"^OST_GAR-ENT_Complet_\d{8}_\d{6}_(Etab|Eleve|Enseignant|Groupe|RespAff)_\d{4}\.xml$")
NS = {"g": export.NS}


def _delivered(sftp) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (sftp.root / "depot").iterdir()}


def _members(archive: bytes, tmp_path: Path) -> dict[str, etree._ElementTree]:
    path = tmp_path / "received.tar.gz"
    path.write_bytes(archive)
    with tarfile.open(path) as tar:
        return {
            m.name: etree.parse(tar.extractfile(m))  # type: ignore[arg-type]
            for m in tar.getmembers()
        }


def _of_kind(docs: dict[str, etree._ElementTree], kind: str) -> list[etree._ElementTree]:
    return [doc for name, doc in sorted(docs.items()) if f"_{kind}_" in name]


def test_the_world_is_exported_validated_packed_and_delivered(world, responsable, export_dir, sftp, tmp_path):
    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target)
    assert run.status == GarExportRun.Status.SUCCEEDED, run.errors
    received = _delivered(sftp)
    assert set(received) == {run.archive_name, f"{run.archive_name}.md5"}
    assert run.archive_name == f"OST_GAR-ENT_Complet_{run.stamp}.tar.gz"
    md5 = hashlib.md5(received[run.archive_name], usedforsecurity=False).hexdigest()
    assert received[f"{run.archive_name}.md5"].decode() == f"{md5}  {run.archive_name}\n"
    assert run.archive_md5 == md5
    docs = _members(received[run.archive_name], tmp_path)
    assert {f["name"] for f in run.files} == set(docs)
    assert all(NAME.match(name) for name in docs), sorted(docs)
    assert {name.split("_")[-2] for name in docs} == set(export.KINDS)
    xsd = export.schema()
    for name, doc in docs.items():
        assert xsd.validate(doc), (name, xsd.error_log)
        assert doc.getroot().get("Version") == export.GAR_VERSION
    pupils = _of_kind(docs, "Eleve")[0]
    ids = pupils.xpath("//g:GAREleve/g:GARPersonIdentifiant/text()", namespaces=NS)
    assert sorted(ids) == sorted(str(p.pk) for p in (world.pupil, world.sibling, world.other_pupil))
    alice = pupils.xpath(f"//g:GAREleve[g:GARPersonIdentifiant='{world.pupil.pk}']", namespaces=NS)[0]
    assert alice.xpath("g:GARPersonProfils/g:GARPersonProfil/text()", namespaces=NS) == ["National_elv"]
    assert alice.xpath("g:GARPersonEtab/text()", namespaces=NS) == ["0341111A"]
    assert alice.xpath("g:GARPersonNom/text()", namespaces=NS) == ["Durand"]
    subjects = pupils.xpath(
        f"//g:GAREleveEnseignement[g:GARPersonIdentifiant='{world.pupil.pk}']/g:GARMatiereCode/text()",
        namespaces=NS,
    )
    assert subjects == ["061300"]
    teachers = _of_kind(docs, "Enseignant")[0]
    assert sorted(teachers.xpath("//g:GAREnseignant/g:GARPersonIdentifiant/text()", namespaces=NS)) == sorted(
        [str(world.teacher.pk), str(world.other_teacher.pk)]
    )
    groups = _of_kind(docs, "Groupe")[0]
    assert sorted(groups.xpath("//g:GARGroupe/g:GARGroupeCode/text()", namespaces=NS)) == ["2NDE1", "4B"]
    assert groups.xpath(
        f"//g:GAREnsClasseMatiere[g:GARPersonIdentifiant='{world.teacher.pk}']/g:GARGroupeCode/text()",
        namespaces=NS,
    ) == ["4B"]
    resp = _of_kind(docs, "RespAff")[0]
    assert resp.xpath("//g:GARRespAff/g:GARPersonMail/text()", namespaces=NS) == ["helene.iglesias@ac-test.fr"]
    assert resp.xpath("//g:GARRespAff/g:GARRespAffEtab/text()", namespaces=NS) == ["0341111A"]
    etab = _of_kind(docs, "Etab")[0]
    assert set(etab.xpath("//g:GAREtab/g:GARStructureUAI/text()", namespaces=NS)) >= {"0341111A", "0122222B"}
    assert etab.xpath("//g:GARMatiere[g:GARStructureUAI='0341111A']/g:GARMatiereCode/text()", namespaces=NS) == ["061300"]
    assert run.counts["Eleve"]["GAREleve"] == 3
    assert not export_dir.exists() or not any(export_dir.iterdir())  # nothing kept locally
