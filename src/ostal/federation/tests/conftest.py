"""SAML test world: SP keys, an EduConnect-like IdP and the Montpellier staff portal
(in-process pysaml2 servers whose metadata sits in the SP's metadata directory), and the
world's personas given their directory identities (source + jointure, academic e-mail)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from saml2.metadata import entity_descriptor

from ostal.conftest import World
from ostal.directory.models import Person, Source
from ostal.federation.config import acs_url, sp_config, sp_entity_id
from ostal.federation.tests.idp import TestIdentityProvider, keypair

EDUCONNECT_ID = "https://educonnect.test/idp"
AGENTS_MTP_ID = "https://portail.ac-montpellier.test/idp"


@dataclass
class Saml:
    educonnect: TestIdentityProvider
    agents: TestIdentityProvider
    rogue: TestIdentityProvider  # same entity ID as EduConnect, another key
    metadata_dir: Path

    def start(self, client: Client, idp_key: str, **params: Any) -> Any:
        return client.get(f"/saml2/login/{idp_key}/", params)

    def login(
        self,
        client: Client,
        attributes: dict[str, list[str]],
        *,
        idp_key: str = "educonnect",
        next: str | None = None,
        relay_state: str | None = None,
        signer: TestIdentityProvider | None = None,
        signed: bool = True,
    ) -> Any:
        """Full SP-initiated flow; returns the ACS response."""
        idp = self.educonnect if idp_key == "educonnect" else self.agents
        start = self.start(client, idp_key, **({"next": next} if next else {}))
        assert start.status_code == 302, start.content
        seen = idp.receive(start["Location"])
        saml_response = (signer or idp).response(
            in_response_to=seen.id,
            acs=acs_url(),
            sp_entity_id=sp_entity_id(),
            attributes=attributes,
            signed=signed,
        )
        self.last_response = saml_response
        return client.post(
            "/saml2/acs/",
            {
                "SAMLResponse": saml_response,
                "RelayState": seen.relay_state if relay_state is None else relay_state,
            },
        )


BASE_URL = "https://ent.test"


@dataclass
class TestIdps:
    keys: dict[str, tuple[Path, Path]]
    educonnect: TestIdentityProvider
    agents: TestIdentityProvider
    rogue: TestIdentityProvider


@pytest.fixture(scope="session")
def saml_idps(tmp_path_factory: pytest.TempPathFactory) -> TestIdps:
    """Keys (generated at test time, test-only) and the identity providers, built once."""
    directory = tmp_path_factory.mktemp("saml-test-only-keys")
    keys = {name: keypair(directory, name) for name in ("sp", "idp", "rogue")}
    sp_metadata = directory / "sp.xml"
    with override_settings(
        OSTAL_SAML_METADATA_DIR=directory / "none",
        OSTAL_SAML_KEY_FILE=keys["sp"][0],
        OSTAL_SAML_CERT_FILE=keys["sp"][1],
        OSTAL_SAML_BASE_URL=BASE_URL,
    ):
        sp_metadata.write_text(str(entity_descriptor(sp_config())))

    def idp(entity_id: str, key: str) -> TestIdentityProvider:
        return TestIdentityProvider(
            entity_id=entity_id, key=keys[key][0], cert=keys[key][1], sp_metadata=sp_metadata
        )

    return TestIdps(
        keys,
        idp(EDUCONNECT_ID, "idp"),
        idp(AGENTS_MTP_ID, "idp"),
        idp(EDUCONNECT_ID, "rogue"),
    )


@pytest.fixture
def saml(settings: Any, tmp_path: Path, saml_idps: TestIdps) -> Saml:
    """SP settings pointing at the test keys; EduConnect's and Montpellier's metadata
    installed (Toulouse's portal left without metadata: unavailable)."""
    metadata_dir = tmp_path / "metadata"
    metadata_dir.mkdir()
    settings.OSTAL_SAML_METADATA_DIR = metadata_dir
    settings.OSTAL_SAML_KEY_FILE, settings.OSTAL_SAML_CERT_FILE = saml_idps.keys["sp"]
    settings.OSTAL_SAML_BASE_URL = BASE_URL
    (metadata_dir / "educonnect.xml").write_text(saml_idps.educonnect.metadata_xml())
    (metadata_dir / "agents-montpellier.xml").write_text(saml_idps.agents.metadata_xml())
    return Saml(saml_idps.educonnect, saml_idps.agents, saml_idps.rogue, metadata_dir)


@pytest.fixture
def fed_world(world: World) -> World:
    """The personas with their AAF identities: the collège is in Montpellier, the lycée
    (Rodez) in Toulouse; the parent is known in both académies (one account each side)."""
    montpellier = Source.objects.get(code="ac-montpellier")
    toulouse = Source.objects.get(code="ac-toulouse")
    now = timezone.now()
    for person, source, jointure in [
        (world.pupil, montpellier, "E1001"),
        (world.other_pupil, montpellier, "E1002"),
        (world.parent, montpellier, "P2001"),
        (world.other_parent, montpellier, "P2002"),
        (world.sibling, toulouse, "E3001"),
        (world.teacher, montpellier, "T4001"),
        (world.other_teacher, toulouse, "T5001"),
    ]:
        Person.objects.filter(pk=person.pk).update(
            source=source, external_id=jointure, charter_accepted_at=now, charter_version=1
        )
    Person.objects.filter(pk=world.teacher.pk).update(
        academic_email="franck.garcia@ac-montpellier.fr"
    )
    Person.objects.filter(pk=world.other_teacher.pk).update(
        academic_email="gilles.henry@ac-toulouse.fr"
    )
    for person in (
        world.pupil,
        world.other_pupil,
        world.parent,
        world.other_parent,
        world.sibling,
        world.teacher,
        world.other_teacher,
    ):
        person.refresh_from_db()
    return world


def educonnect_attributes(
    *refs: str, given: str = "Diane", sn: str = "Durand"
) -> dict[str, list[str]]:
    return {
        "FrEduCtRefId": list(refs),
        "FrEduCtId": ["ECT-123"],
        "givenName": [given],
        "sn": [sn],
    }
