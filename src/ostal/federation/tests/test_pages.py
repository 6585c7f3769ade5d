"""Federation pages and configuration: the "where are you from" page, the login-page
choices, SP metadata, unavailable providers, keys and the deploy check."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.template import Context, Template
from django.test import override_settings

from ostal.federation import keys
from ostal.federation.checks import saml_sp_check
from ostal.federation.config import sp_config_dict
from ostal.federation.selectors import AafReference, aaf_references, attribute_values

pytestmark = pytest.mark.django_db


def test_wayf_page_offers_each_way_in_by_profile_and_academie(client, saml):
    """The page lists EduConnect, each académie portal and the Ostal login, in French;
    a portal without metadata is said unavailable, and ``next`` is passed on if local."""
    response = client.get("/saml2/choix/", {"next": "/compte/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Élève ou parent d&#x27;élève" in html or "Élève ou parent d'élève" in html
    assert "/saml2/login/educonnect/?next=%2Fcompte%2F" in html
    assert "/saml2/login/agents-montpellier/?next=%2Fcompte%2F" in html
    assert "/saml2/login/agents-toulouse/" not in html
    assert "momentanément indisponible" in html
    assert "/comptes/connexion/?next=%2Fcompte%2F" in html


def test_wayf_page_drops_an_external_next(client, saml):
    """An external ``next`` is replaced by the home page in every link."""
    html = client.get("/saml2/choix/", {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in html
    assert "next=%2F" in html


def test_login_page_include_lists_the_federated_choices(saml):
    """The include shown on the login page links to EduConnect and to the académie choice."""
    html = Template('{% include "federation/_login_choices.html" %}').render(
        Context({"next": "//evil.example"})
    )
    assert "/saml2/login/educonnect/?next=%2F" in html
    assert "/saml2/choix/?next=%2F" in html
    assert "evil.example" not in html


def test_sp_metadata_is_served(client, saml):
    """``/saml2/metadata/`` is the SP's signed-request, encryption-capable metadata."""
    response = client.get("/saml2/metadata/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert 'entityID="https://ent.test/saml2/metadata/"' in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    assert 'use="encryption"' in xml and 'use="signing"' in xml
    assert "https://ent.test/saml2/acs/" in xml


def test_provider_without_metadata_is_unavailable(client, saml):
    """Starting a login with a provider whose metadata is missing shows a French 503."""
    response = client.get("/saml2/login/agents-toulouse/")
    assert response.status_code == 503
    assert "momentanément indisponible" in response.content.decode()


def test_unknown_provider_is_404(client, saml):
    """An identity-provider key that is not configured does not exist."""
    assert client.get("/saml2/login/nimportequoi/").status_code == 404


def test_corrupt_metadata_makes_federation_unavailable_not_crash(client, saml):
    """A broken metadata file gives the unavailable page, not a server error."""
    (saml.metadata_dir / "educonnect.xml").write_text("<pas du xml")
    response = client.get("/saml2/login/educonnect/")
    assert response.status_code == 503


def test_acs_without_response_is_a_bad_request(client, saml):
    """Posting to the ACS without a SAMLResponse is refused."""
    assert client.post("/saml2/acs/", {}).status_code == 400


def test_choice_page_without_pending_choice_is_refused(client, saml):
    """The account-choice page without a pending assertion says so (no account listed)."""
    response = client.get("/saml2/comptes/")
    assert response.status_code == 400
    assert "reconnectez-vous" in response.content.decode()


def test_embedded_mode_generates_a_key_pair_on_first_use(settings, tmp_path):
    """Embedded mode writes a private key (0600) and certificate when both are missing."""
    settings.OSTAL_SAML_KEY_FILE = tmp_path / "sp" / "k.pem"
    settings.OSTAL_SAML_CERT_FILE = tmp_path / "sp" / "c.pem"
    settings.OSTAL_SAML_METADATA_DIR = tmp_path / "md"
    conf = sp_config_dict()
    assert Path(conf["key_file"]).read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert Path(conf["cert_file"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert Path(conf["key_file"]).stat().st_mode & 0o077 == 0
    assert conf["allow_unknown_attributes"] is True
    sp = conf["service"]["sp"]
    assert sp["authn_requests_signed"] and sp["want_assertions_signed"]
    assert not sp["allow_unsolicited"]
    assert sp["signing_algorithm"].endswith("rsa-sha256")
    assert sp["digest_algorithm"].endswith("sha256")


def test_production_never_generates_keys(settings, tmp_path):
    """In production a missing key pair makes federation unavailable, nothing is written."""
    settings.PRODUCTION = True
    settings.OSTAL_SAML_KEY_FILE = tmp_path / "k.pem"
    settings.OSTAL_SAML_CERT_FILE = tmp_path / "c.pem"
    with pytest.raises(keys.FederationUnavailable):
        keys.sp_keypair()
    assert not (tmp_path / "k.pem").exists()


def test_deploy_check_w010_flags_missing_keys_and_http_base_url(settings, tmp_path):
    """``check --deploy`` warns (ostal.W010) about a missing SP key/cert and a non-https URL."""
    settings.OSTAL_SAML_KEY_FILE = tmp_path / "absent.pem"
    settings.OSTAL_SAML_CERT_FILE = tmp_path / "absent.crt"
    settings.OSTAL_SAML_BASE_URL = "http://ent.test"
    messages = saml_sp_check()
    assert [m.id for m in messages] == ["ostal.W010"] * 3
    assert any(m.id == "ostal.W010" for m in run_checks(include_deployment_checks=True))


def test_deploy_check_is_silent_when_configured(settings, saml):
    """With the key pair present and an https URL, W010 says nothing."""
    assert saml_sp_check() == []


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["{AAF}11|x|P2001"], [AafReference("11", "P2001")]),
        (
            ["{AAF}11|x|P2001", "{AAF}16||E3"],
            [AafReference("11", "P2001"), AafReference("16", "E3")],
        ),
        (["AAF5", "ECT1", "ECT-ENT2", "{AAF}11|P2001", "{AAF}|x|P1", "{AAF}11|x|"], []),
        (["{AAF}11|x|P2001", "{AAF}11|x|P2001"], [AafReference("11", "P2001")]),
        (["{AAF}11|x|a|b"], []),
    ],
)
def test_frEduCtRefId_values_are_parsed_as_entcore_does(values, expected):
    """Only ``{AAF}code|?|jointure`` values count (exactly three parts, no blank ones)."""
    assert aaf_references(values) == expected


def test_attribute_names_match_without_case():
    """Attribute names are matched without regard to case; blank values are dropped."""
    assert attribute_values({"CTEmail": ["a@b.fr", " "], "mail": ["c@d.fr"]}, "ctemail") == [
        "a@b.fr"
    ]


@override_settings(
    OSTAL_SAML_IDPS=[{"key": "x", "kind": "agents", "label": "X", "metadata": "x.xml"}]
)
def test_a_staff_portal_must_name_its_directory_source():
    """A staff portal configured without its source is a configuration error."""
    from ostal.federation.registry import identity_providers

    with pytest.raises(ValueError, match="source"):
        identity_providers()


def test_agricultural_code_98_maps_to_the_agricultural_directory(fed_world):
    """FrEduCtRefId code "98" (agricultural) names the agricultural directory source."""
    from ostal.directory.models import Person, Source
    from ostal.federation.registry import provider_get
    from ostal.federation.selectors import accounts_for_assertion

    agri = Source.objects.get(code="agri-occitanie")
    Person.objects.filter(pk=fed_world.other_pupil.pk).update(source=agri, external_id="A77")
    provider = provider_get("educonnect")
    assert provider is not None
    found = accounts_for_assertion(
        provider=provider, attributes={"FrEduCtRefId": ["{AAF}98|x|A77", "{AAF}11|x|A77"]}
    )
    assert found == [fed_world.other_pupil]


def test_wayf_page_sends_a_signed_in_person_home(login, fed_world, saml):
    """Someone already signed in has nothing to choose: home page."""
    response = login(fed_world.parent).get("/saml2/choix/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_federated_backend_ignores_password_credentials(fed_world, rf):
    """A username/password login never reaches the federation backend (nor succeeds by it)."""
    from django.contrib.auth import authenticate

    from ostal.federation.backends import FederationBackend

    request = rf.post("/comptes/connexion/")
    assert FederationBackend().authenticate(request) is None
    assert authenticate(request, username="parent", password="wrong") is None


@pytest.mark.slow
def test_real_production_settings_with_keys_and_https_url_pass_w010(saml_idps):
    """Under the production profile, giving the key pair and an https base URL silences
    W010 (what a deployment, and the core check-deploy test, must set)."""
    import os
    import subprocess
    import sys

    src = Path(__file__).resolve().parents[3]
    key, cert = saml_idps.keys["sp"]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OSTAL_", "DATABASE_URL"))},
        "PYTHONPATH": str(src),
        "DJANGO_SETTINGS_MODULE": "ostal.settings",
        "OSTAL_PROFILE": "production",
        "OSTAL_SECRET_KEY": "q7Lr-Zp2!vX9wKe4_Tm8bN1cY6hJ3sGd0fAuR5oWiE-test-only-key",
        "OSTAL_ALLOWED_HOSTS": "ent.example.org",
        "DATABASE_URL": "postgres://ostal@db.invalid/ostal",
        "OSTAL_REDIS_URL": "redis://redis.invalid:6379/0",
        "OSTAL_SAML_KEY_FILE": str(key),
        "OSTAL_SAML_CERT_FILE": str(cert),
        "OSTAL_SAML_BASE_URL": "https://ent.example.org",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "ostal.W010" not in result.stdout + result.stderr, result.stderr
    assert "Traceback" not in result.stderr
