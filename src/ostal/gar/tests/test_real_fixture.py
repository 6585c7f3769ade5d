"""Done-when of issue 18: the export of the real 2013 AAF delivery, imported into Ostal,
validates against GAR-ENT.xsd (and is delivered to a real SFTP server)."""

from __future__ import annotations

import tarfile

import pytest
from lxml import etree

from ostal.directory.models import Affiliation, Person, Profile, Source
from ostal.feed.models import ImportRun
from ostal.feed.services import aaf_import
from ostal.feed.tests.deliveries import AAF_FIXTURES, FIXTURES_ABSENT
from ostal.gar import export
from ostal.gar.models import GarExportRun
from ostal.gar.services import gar_export


def test_the_real_2013_delivery_exports_valid_gar_files(territory, export_dir, sftp, tmp_path):
    if not AAF_FIXTURES.is_dir():
        pytest.skip(FIXTURES_ABSENT)
    source = Source.objects.create(code="ac-test", label="Académie de test", kind=Source.Kind.AAF)
    imported, _report = aaf_import(source=source, path=AAF_FIXTURES / "real-2013-full")
    assert imported.status == ImportRun.Status.SUCCEEDED, imported.error

    run = gar_export(trigger=GarExportRun.Trigger.COMMAND, target=sftp.target)

    assert run.status == GarExportRun.Status.SUCCEEDED, run.errors[:5]
    exported = Person.State.ACTIVE, Person.State.TO_ACTIVATE
    pupils = (
        Affiliation.objects.filter(
            profile=Profile.PUPIL, person__state__in=exported, school__is_open=True
        )
        .values("person_id")
        .distinct()
        .count()
    )
    assert pupils > 0 and run.counts["Eleve"]["GAREleve"] == pupils
    assert run.counts["Enseignant"].get("GAREnseignant", 0) > 0
    assert run.counts["Groupe"].get("GARGroupe", 0) > 0
    assert run.counts["Etab"]["GAREtab"] > 0
    archive = sftp.root / "depot" / run.archive_name
    xsd = export.schema()
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        assert {m.name for m in members} == {f["name"] for f in run.files}
        for member in members:
            document = etree.parse(tar.extractfile(member))  # type: ignore[arg-type]
            assert xsd.validate(document), (member.name, list(xsd.error_log)[:3])
