"""A school outside the territory data can be deployed and its timetable imported once the
territory places it, and account pages stay reachable in an undeployed school (issue 13,
item 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ostal.conftest import PASSWORD, World
from ostal.directory import factories
from ostal.directory.models import Profile, Source
from ostal.directory.services import school_admin_grant
from ostal.feed.mapping import StructureData
from ostal.feed.relations import RelationWriter
from ostal.feed.report import ImportReport
from ostal.pilotage import services
from ostal.pilotage.deployment import school_is_open
from ostal.pilotage.errors import ConventionRuleError
from ostal.pilotage.models import Order
from ostal.pilotage.tests.conftest import Groupement
from ostal.territory.models import Authority, School
from ostal.territory.services import territory_load
from ostal.timetable.models import Course, TimetableImport

pytestmark = pytest.mark.django_db

REAL_EDT = (
    Path(__file__).resolve().parents[5]
    / "shared"
    / "fixtures"
    / "timetable"
    / "EDT_export_ENT_0134567A_2013-2014.xml"
)
INDEX = StructureData(
    jointure="0134567A",
    uai="0134567A",
    name="COLLEGE INDEX",
    kind=School.Kind.COLLEGE,
    sector=School.Sector.PUBLIC,
    commune="MARSEILLE",
    postal_code="13001",
    head_jointure=None,
)


def feed_delivers_index() -> tuple[School, ImportReport]:
    """The directory feed delivers the collège of the real EDT export (UAI 0134567A)."""
    report = ImportReport()
    writer = RelationWriter(
        source=Source.objects.get(code="ac-montpellier"), year=2013, report=report
    )
    departments = {
        a.code: a
        for a in Authority.objects.filter(kind=Authority.Kind.DEPARTMENT).select_related(
            "academy", "region"
        )
    }
    school, _action = writer.school_upsert(INDEX, departments)
    return school, report


def test_a_school_the_feed_delivered_outside_the_territory_becomes_deployable_and_importable(
    groupement: Groupement, login: Any, settings: Any
) -> None:
    """The feed's 0134567A has no responsible body, so its deployment is refused (Art. 7)
    and its direction sees the closed page; once the territory file places it, the
    département orders it and the direction imports the real EDT export through the page."""
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    school, _report = feed_delivers_index()
    assert (school.department_id, school.responsible_authority_id) == (None, None)
    factories.school_class(school=school, code="6C", year=2013)
    direction = factories.staff(
        school=school, profile=Profile.DIRECTION, function="DIR", username="dir.index",
        password=PASSWORD,
    )  # fmt: skip
    school_admin_grant(person=direction, school=school)
    with pytest.raises(ConventionRuleError) as refused:
        groupement.order(schools=[school])
    assert refused.value.rule == "Art. 7"
    closed = login(direction).get("/emploi-du-temps/import/")
    assert closed["X-Ostal-Deployment"] == "closed"

    counts = territory_load(
        data={
            "schools": [
                {
                    "uai": "0134567A",
                    "name": "Collège Index",
                    "kind": "college",
                    "department": "departement-34",
                }
            ]
        }
    )

    assert counts["attached"] == 1
    school.refresh_from_db()
    assert school.department == groupement.herault == school.responsible_authority
    assert school.academy == groupement.academy
    assert school.name == "COLLEGE INDEX"  # the feed keeps the school up to date, not the file
    order = groupement.order(schools=[school])
    services.order_transition(
        order=order, to_state=Order.State.NOTIFIED, actor=groupement.member_staff
    )
    assert school_is_open(school)
    client = login(direction)
    page = client.get("/emploi-du-temps/import/")
    assert page.status_code == 200 and "X-Ostal-Deployment" not in page
    response = client.post(
        "/emploi-du-temps/import/",
        {"origin": "edt", "file": SimpleUploadedFile(REAL_EDT.name, REAL_EDT.read_bytes())},
    )
    assert response.status_code == 200 and "Import réussi" in response.content.decode()
    run = TimetableImport.objects.get(school=school)
    assert run.status == TimetableImport.Status.SUCCEEDED and run.report["courses_created"] > 0
    assert (
        Course.objects.filter(school=school, classes__code="6C").count()
        == (run.report["courses_created"])
    )


def test_a_departement_added_to_the_territory_attaches_the_schools_it_names(
    territory: None,
) -> None:
    """When the territory file adds the département a feed-delivered school's UAI names,
    loading it attaches the school; the feed's next delivery attaches it too."""
    school, _report = feed_delivers_index()
    assert school.department_id is None
    extension = {
        "authorities": [
            {"key": "academie-02", "kind": "academy", "code": "02", "name": "Aix-Marseille"},
            {
                "key": "departement-13",
                "kind": "department",
                "code": "13",
                "name": "Bouches-du-Rhône",
                "academy": "academie-02",
            },
        ]
    }

    counts = territory_load(data=extension)

    assert counts["attached"] == 1
    school.refresh_from_db()
    assert school.department is not None and school.department.code == "13"
    assert school.responsible_authority == school.department
    assert school.academy is not None and school.academy.code == "02"
    # a school left unattached (as before this fix) is attached by the feed's next delivery
    School.objects.filter(pk=school.pk).update(
        department=None, academy=None, responsible_authority=None
    )
    again, _report = feed_delivers_index()
    assert again.pk == school.pk and again.department is not None
    assert School.objects.get(pk=school.pk).responsible_authority_id == again.department.pk


@pytest.mark.parametrize("path", ["/compte/", "/compte/notifications/", "/accessibilite/"])
def test_account_pages_are_not_gated_in_an_undeployed_school(
    world: World, login: Any, settings: Any, path: str
) -> None:
    """A pupil of a school no order covers still reaches their account pages and the
    accessibility statement (linked from every footer); the services stay behind the "not
    open" page."""
    settings.PILOTAGE_DEPLOYMENT_GATE = True
    client = login(world.pupil)
    assert not school_is_open(world.college)

    response = client.get(path)

    assert response.status_code == 200 and "X-Ostal-Deployment" not in response
    assert "pas encore ouvert" not in response.content.decode()
    assert client.get("/")["X-Ostal-Deployment"] == "closed"
