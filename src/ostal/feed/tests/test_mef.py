"""Classes and pupils are linked to their MEF from the AAF (``ENTStructureClasses``,
``ENTEleveMEF``), so that ``ENTEleveNivFormation`` reaches the services over CAS and OIDC.

The 2013 export sends no ``ENTNivFormation`` in its MEF file and empty
``ENTStructureClasses``: there the level comes from the pupil's own record
(``ENTEleveMEF``, ``ENTEleveNivFormation``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from ostal.conftest import PASSWORD
from ostal.directory.models import Mef, Person, SchoolClass
from ostal.feed.models import ImportRun
from ostal.feed.services import aaf_import
from ostal.oidc.models import Client
from ostal.oidc.tests.conftest import MOBILE_REDIRECT, Flow
from ostal.sso.tests.conftest import register

from . import deliveries as d

pytestmark = pytest.mark.django_db

SERVICE = "https://vie-scolaire.exemple.fr/cas/retour"
KU_LONG = "2605692"  # a pupil of the 2013 export: 1CAP2 COIFFURE, class RUS1TERM of 0059951P
KU_LONG_LEVEL = "CAP EN 2 ANS : 1ERE ANNEE"


def cas_attributes(client: Any, person: Person) -> str:
    """Activate and log ``person`` in, get a CAS ticket for the service and validate it
    (CAS 3)."""
    person.set_password(PASSWORD)
    person.state = Person.State.ACTIVE
    person.save(update_fields=["password", "state"])
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/cas/login?" + urlencode({"service": SERVICE}))
    assert response.status_code == 302, response.content[:300]
    assert "ticket=" in response["Location"], response["Location"]
    ticket = parse_qs(urlsplit(response["Location"]).query)["ticket"][0]
    validation = client.get("/cas/p3/serviceValidate", {"service": SERVICE, "ticket": ticket})
    assert validation.status_code == 200
    return validation.content.decode()


def test_a_2013_pupil_gets_their_level_over_cas_and_oidc(client, source, aaf_fixtures, monkeypatch):
    """A pupil of the real 2013 export is released ``ENTEleveNivFormation`` from their own MEF, by CAS serviceValidate and by OIDC userinfo."""
    run, _report = aaf_import(source=source, path=aaf_fixtures / "real-2013-full")
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    pupil = Person.objects.select_related("mef").get(source=source, external_id=KU_LONG)
    assert pupil.mef is not None
    assert (pupil.mef.code, pupil.mef.label) == ("24133610210", "1CAP2  COIFFURE")
    # The MEF file gave no level: it was taken from the pupil's record.
    assert pupil.mef.level == KU_LONG_LEVEL
    pupils = Person.objects.filter(source=source, profile="ELV")
    assert pupils.filter(mef__isnull=False).count() == pupils.count() == 642
    register(r"^https://vie-scolaire\.exemple\.fr/.*$", attributes=("ENTEleveNivFormation",))

    content = cas_attributes(client, pupil)

    assert f"<cas:ENTEleveNivFormation>{KU_LONG_LEVEL}</cas:ENTEleveNivFormation>" in content

    # oauthlib's client parses a private-use scheme callback only when told (RFC 8252 §7.1).
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    app = Client.objects.create(
        name="Ostal mobile",
        kind=Client.Kind.MOBILE,
        client_type=Client.CLIENT_PUBLIC,
        authorization_grant_type=Client.GRANT_AUTHORIZATION_CODE,
        redirect_uris=MOBILE_REDIRECT,
        scopes="openid ostal",
        algorithm=Client.RS256_ALGORITHM,
        client_secret="",
    )
    flow = Flow(http=client, app=app, redirect_uri=MOBILE_REDIRECT, scope="openid ostal")
    tokens = flow.token(flow.code_from(flow.approve())).json()
    userinfo = client.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}", secure=True
    ).json()
    assert userinfo["ENTEleveNivFormation"] == [KU_LONG_LEVEL]
    assert userinfo["ENTEleveClasses"] == ["0059951P$RUS1TERM"]


def test_a_second_import_of_the_2013_export_keeps_the_levels(source, aaf_fixtures):
    """Importing the 2013 export again (whose MEF file has no level) keeps the levels the pupils gave."""
    folder = aaf_fixtures / "real-2013-full"
    aaf_import(source=source, path=folder)
    before = dict(Mef.objects.exclude(level="").values_list("code", "level"))

    _run, report = aaf_import(source=source, path=folder)

    assert report.counts["MefEducNat"] == {"unchanged": 2504}
    assert report.counts["Eleve"] == {"unchanged": 642}
    assert before and dict(Mef.objects.exclude(level="").values_list("code", "level")) == before


def test_classes_declared_by_the_structure_are_linked_to_their_mef(client, source, tmp_path):
    """A class the structure declares with one MEF is linked to it, with its label; a class of two levels to none; a pupil without MEF of their own is released their class's level."""
    folder = d.delivery(
        tmp_path / "d1",
        date="20250901",
        structures=[
            d.structure(
                classes=[
                    "4A$4EME A$10210001110",
                    "6D$6EME-5EME DOUBLE NIVEAU$10010012110$10110001110",
                ]
            )
        ],
        mefs=[
            d.mef("10210001110", "4EME", "4EME"),
            d.mef("10010012110", "6EME", "6EME"),
            d.mef("10110001110", "5EME", "5EME"),
        ],
        pupils=[
            d.pupil("E1", "Inès", "Garcia", school_class="4A"),
            d.pupil("E2", "Léo", "Martin", school_class="6D", mef=("10110001110", "5EME", "5EME")),
        ],
    )
    run, report = aaf_import(source=source, path=folder)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error

    classes = {c.code: c for c in SchoolClass.objects.select_related("mef")}
    assert classes["4A"].label == "4EME A" and classes["4A"].mef.code == "10210001110"
    assert classes["6D"].label == "6EME-5EME DOUBLE NIVEAU" and classes["6D"].mef is None
    register(r"^https://vie-scolaire\.exemple\.fr/.*$", attributes=("ENTEleveNivFormation",))
    ines = Person.objects.get(external_id="E1")
    leo = Person.objects.get(external_id="E2")
    assert ines.mef_id is None and leo.mef.code == "10110001110"
    assert re.findall(r"<cas:ENTEleveNivFormation>([^<]*)<", cas_attributes(client, ines)) == [
        "4EME"
    ]
    client.logout()
    assert re.findall(r"<cas:ENTEleveNivFormation>([^<]*)<", cas_attributes(client, leo)) == [
        "5EME"
    ]
    assert "unknown_mef" not in report.warning_counts
