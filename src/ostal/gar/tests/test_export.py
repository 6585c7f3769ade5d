"""The GAR export of the test world: five kinds, validated, packed, delivered by SFTP."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from ostal.directory import services
from ostal.directory.models import Mef, Subject
from ostal.gar import export
from ostal.gar.models import GarExportRun
from ostal.gar.services import gar_export
from ostal.gar.tasks import gar_export_nightly

NAME = re.compile(
    r"^OST_GAR-ENT_Complet_\d{8}_\d{6}_(Etab|Eleve|Enseignant|Groupe|RespAff)_\d{4}\.xml$"
)
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


def test_the_world_is_exported_validated_packed_and_delivered(
    world, responsable, export_dir, sftp, tmp_path
):
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
    alice = pupils.xpath(f"//g:GAREleve[g:GARPersonIdentifiant='{world.pupil.pk}']", namespaces=NS)[
        0
    ]
    assert alice.xpath("g:GARPersonProfils/g:GARPersonProfil/text()", namespaces=NS) == [
        "National_elv"
    ]
    assert alice.xpath("g:GARPersonEtab/text()", namespaces=NS) == ["0341111A"]
    assert alice.xpath("g:GARPersonNom/text()", namespaces=NS) == ["Durand"]
    subjects = pupils.xpath(
        f"//g:GAREleveEnseignement[g:GARPersonIdentifiant='{world.pupil.pk}']/g:GARMatiereCode/text()",
        namespaces=NS,
    )
    assert subjects == ["061300"]
    teachers = _of_kind(docs, "Enseignant")[0]
    assert sorted(
        teachers.xpath("//g:GAREnseignant/g:GARPersonIdentifiant/text()", namespaces=NS)
    ) == sorted([str(world.teacher.pk), str(world.other_teacher.pk)])
    groups = _of_kind(docs, "Groupe")[0]
    assert sorted(groups.xpath("//g:GARGroupe/g:GARGroupeCode/text()", namespaces=NS)) == [
        "2NDE1",
        "4B",
    ]
    assert groups.xpath(
        f"//g:GAREnsClasseMatiere[g:GARPersonIdentifiant='{world.teacher.pk}']/g:GARGroupeCode/text()",
        namespaces=NS,
    ) == ["4B"]
    resp = _of_kind(docs, "RespAff")[0]
    assert resp.xpath("//g:GARRespAff/g:GARPersonMail/text()", namespaces=NS) == [
        "helene.iglesias@ac-test.fr"
    ]
    assert resp.xpath("//g:GARRespAff/g:GARRespAffEtab/text()", namespaces=NS) == ["0341111A"]
    etab = _of_kind(docs, "Etab")[0]
    assert set(etab.xpath("//g:GAREtab/g:GARStructureUAI/text()", namespaces=NS)) >= {
        "0341111A",
        "0122222B",
    }
    assert etab.xpath(
        "//g:GARMatiere[g:GARStructureUAI='0341111A']/g:GARMatiereCode/text()", namespaces=NS
    ) == ["061300"]
    assert run.counts["Eleve"]["GAREleve"] == 3
    assert not export_dir.exists() or not any(export_dir.iterdir())  # nothing kept locally


def test_files_split_at_the_node_limit_and_each_validates(
    world, responsable, export_dir, sftp, tmp_path
):
    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target, nodes_per_file=2)
    assert run.status == GarExportRun.Status.SUCCEEDED, run.errors
    docs = _members(_delivered(sftp)[run.archive_name], tmp_path)
    pupil_files = sorted(name for name in docs if "_Eleve_" in name)
    # 3 GAREleve + 3 GAREleveEnseignement = 6 nodes, two per file
    assert [name[-9:] for name in pupil_files] == ["_0000.xml", "_0001.xml", "_0002.xml"]
    xsd = export.schema()
    for name, doc in docs.items():
        assert len(doc.getroot()) <= 2, name
        assert xsd.validate(doc), (name, xsd.error_log)
    assert sum(f["nodes"] for f in run.files if f["kind"] == "Eleve") == 6


def test_an_invalid_export_is_recorded_failed_and_nothing_is_sent(
    world, export_dir, sftp, monkeypatch
):
    monkeypatch.setattr(export, "PUPIL_PROFILE", "National_" + "x" * 40)  # maxLength 31
    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target)
    assert run.status == GarExportRun.Status.FAILED
    assert run.errors and "_Eleve_0000.xml" in run.errors[0]
    assert "GARPersonProfil" in run.errors[0]
    assert run.archive_name == "" and run.delivered_to == ""
    assert list((sftp.root / "depot").iterdir()) == []  # nothing left Ostal


def test_a_server_with_an_unknown_host_key_gets_nothing(world, export_dir, sftp, tmp_path):
    (tmp_path / "other_known_hosts").write_text(
        f"[127.0.0.1]:{sftp.target.port} " + asyncssh_key_line()
    )
    target = dataclasses.replace(sftp.target, known_hosts=str(tmp_path / "other_known_hosts"))
    run = gar_export(trigger=GarExportRun.Trigger.NIGHTLY, target=target)
    assert run.status == GarExportRun.Status.FAILED
    assert "Dépôt SFTP sur gar-depot@127.0.0.1" in run.errors[0]
    assert run.archive_name  # validated and packed, then refused by the transport
    assert list((sftp.root / "depot").iterdir()) == []


def asyncssh_key_line() -> str:
    import asyncssh

    return asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()


def test_without_ent_id_or_server_nothing_is_sent(world, export_dir, settings):
    settings.OSTAL_GAR_ENT_ID = ""
    run = gar_export(trigger=GarExportRun.Trigger.NIGHTLY)
    assert run.status == GarExportRun.Status.FAILED and "OSTAL_GAR_ENT_ID" in run.errors[0]
    settings.OSTAL_GAR_ENT_ID = "OST"
    settings.OSTAL_GAR_SFTP_HOST = ""
    run = gar_export(trigger=GarExportRun.Trigger.NIGHTLY)
    assert run.status == GarExportRun.Status.FAILED and "OSTAL_GAR_SFTP_HOST" in run.errors[0]
    assert run.counts["Eleve"]["GAREleve"] == 3  # produced and validated, not sent


def test_only_what_the_schema_asks_for_leaves_ostal(world, responsable, export_dir, sftp, tmp_path):
    """INE, birth date, birth name, civility, logins, personal e-mail of pupils, parents:
    none of them is in the files."""
    mef = Mef.objects.create(code="10310019110", label="4EME")
    world.pupil.ine = "123456789AB"
    world.pupil.birth_date = date(2012, 3, 4)
    world.pupil.birth_name = "NOMDENAISSANCE"
    world.pupil.civility = "Mme"
    world.pupil.email = "alice.perso@example.org"
    world.pupil.mef = mef
    world.pupil.save()
    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target)
    assert run.status == GarExportRun.Status.SUCCEEDED, run.errors
    docs = _members(_delivered(sftp)[run.archive_name], tmp_path)
    everything = b"".join(etree.tostring(doc) for doc in docs.values()).decode()
    for secret in (
        "123456789AB",
        "2012-03-04",
        "NOMDENAISSANCE",
        "alice.perso",
        "Mme",
        "eleve",
        "Diane",
    ):
        assert secret not in everything, secret
    assert "10310019110" in everything  # the pupil's MEF, which the GAR needs
    pupils = _of_kind(docs, "Eleve")[0]
    assert pupils.xpath("//g:GARPersonMEF/g:GARMEFCode/text()", namespaces=NS) == ["10310019110"]


def test_ended_roles_and_detached_people_are_not_exported(
    world, responsable, export_dir, sftp, tmp_path
):
    responsable.ended_at = responsable.appointed_at
    responsable.save()
    world.other_pupil.state = world.other_pupil.State.DETACHED
    world.other_pupil.save()
    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target)
    assert run.counts["RespAff"] == {}
    assert run.counts["Eleve"]["GAREleve"] == 2
    assert "RespAff" in {f["kind"] for f in run.files}  # an empty file all the same


def test_groups_are_exported_and_one_with_a_class_code_is_left_out(
    world, export_dir, sftp, tmp_path
):
    year = world.class_4b.school_year
    services.group_create(school=world.college, school_year=year, code="4B", label="4B groupe")
    english = services.group_create(
        school=world.college, school_year=year, code="ANG1", label="Anglais 1"
    )
    services.group_join(person=world.pupil, group=english)
    maths = Subject.objects.get(code="061300")
    services.teaching_assign(teacher=world.teacher, subject=maths, group=english)
    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target)
    assert run.status == GarExportRun.Status.SUCCEEDED, run.errors
    assert run.counts["Groupe"]["GARGroupe"] == 3  # 4B (the class), 2NDE1, ANG1
    assert any("code d'une classe" in w for w in run.warnings)
    groups = _of_kind(_members(_delivered(sftp)[run.archive_name], tmp_path), "Groupe")[0]
    assert groups.xpath(
        "//g:GARGroupe[g:GARGroupeCode='ANG1']/g:GARGroupeStatut/text()", namespaces=NS
    ) == ["GROUPE"]
    assert sorted(
        groups.xpath(
            f"//g:GARPersonGroupe[g:GARPersonIdentifiant='{world.pupil.pk}']/g:GARGroupeCode/text()",
            namespaces=NS,
        )
    ) == ["4B", "ANG1"]
    assert groups.xpath(
        f"//g:GAREnsGroupeMatiere[g:GARPersonIdentifiant='{world.teacher.pk}']/g:GARGroupeCode/text()",
        namespaces=NS,
    ) == ["ANG1"]


def test_the_command_and_the_nightly_job_run_the_export(world, export_dir, sftp, settings):
    settings.OSTAL_GAR_SFTP_HOST = sftp.target.host
    settings.OSTAL_GAR_SFTP_PORT = sftp.target.port
    settings.OSTAL_GAR_SFTP_USER = sftp.target.user
    settings.OSTAL_GAR_SFTP_KEY_FILE = sftp.target.key_file
    settings.OSTAL_GAR_SFTP_KNOWN_HOSTS = sftp.target.known_hosts
    settings.OSTAL_GAR_SFTP_DIR = "depot"
    call_command("gar_export")
    run_id = gar_export_nightly.call_local()
    runs = list(GarExportRun.objects.order_by("pk"))
    assert [r.trigger for r in runs] == ["command", "nightly"] and runs[1].pk == run_id
    assert all(r.status == GarExportRun.Status.SUCCEEDED for r in runs)
    assert len(list((sftp.root / "depot").iterdir())) in (2, 4)  # same second: same names
    settings.OSTAL_GAR_ENT_ID = ""
    with pytest.raises(CommandError, match="échoué"):
        call_command("gar_export")
