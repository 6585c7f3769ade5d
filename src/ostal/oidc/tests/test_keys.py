"""The signing key: created once in embedded mode, read from OSTAL_OIDC_KEY_FILE in
production, and its absence in production flagged by ``check --deploy`` (ostal.W011)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ostal.oidc.checks import oidc_signing_key
from ostal.oidc.keys import private_key_load

SRC = Path(__file__).resolve().parents[3]
PROD_ENV = {
    "OSTAL_PROFILE": "production",
    "OSTAL_SECRET_KEY": "q7Lr-Zp2!vX9wKe4_Tm8bN1cY6hJ3sGd0fAuR5oWiE-test-only-key",
    "OSTAL_ALLOWED_HOSTS": "ent.example.org",
    "DATABASE_URL": "postgres://ostal@db.invalid/ostal",
    "OSTAL_REDIS_URL": "redis://redis.invalid:6379/0",
    "OSTAL_S3_BUCKET": "ostal-media",
    "DJANGO_SETTINGS_MODULE": "ostal.settings",
}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OSTAL_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_mode_creates_the_key_once(tmp_path):
    """A missing key is created (owner-only) and then read back unchanged."""
    path = tmp_path / "var" / "oidc-rsa.pem"
    first = private_key_load(path, create=True)
    assert "BEGIN PRIVATE KEY" in first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert private_key_load(path, create=True) == first
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_production_never_creates_a_key(tmp_path):
    """Without ``create`` a missing key is an error, not a fresh key."""
    with pytest.raises(FileNotFoundError):
        private_key_load(tmp_path / "absent.pem", create=False)
    (tmp_path / "bad.pem").write_text("not a key")
    with pytest.raises(ValueError, match="PEM private key"):
        private_key_load(tmp_path / "bad.pem", create=False)


def test_w011_flags_production_without_a_key_file(settings):
    """The deploy check warns in production without a key file, and only then."""
    settings.PRODUCTION = True
    settings.OSTAL_OIDC_KEY_FILE = ""
    assert [w.id for w in oidc_signing_key(None)] == ["ostal.W011"]
    settings.OSTAL_OIDC_KEY_FILE = "/etc/ostal/oidc.pem"
    assert oidc_signing_key(None) == []
    settings.OSTAL_OIDC_KEY_FILE = ""
    settings.OSTAL_OIDC_ENABLED = False
    assert oidc_signing_key(None) == []
    settings.PRODUCTION = False
    settings.OSTAL_OIDC_ENABLED = True
    assert oidc_signing_key(None) == []


@pytest.mark.slow
def test_check_deploy_in_production(tmp_path):
    """Real production settings: W011 without a key file; with one, neither W011 nor any
    RFC 9700 finding of DOT (oauth2_provider.W00x/E00x); a named but missing file stops
    the start."""
    without = _check_deploy(PROD_ENV)
    assert "ostal.W011" in without.stderr
    key = tmp_path / "oidc.pem"
    private_key_load(key, create=True)
    with_key = _check_deploy({**PROD_ENV, "OSTAL_OIDC_KEY_FILE": str(key)})
    assert "ostal.W011" not in with_key.stderr and "oauth2_provider." not in with_key.stderr
    missing = _check_deploy({**PROD_ENV, "OSTAL_OIDC_KEY_FILE": str(tmp_path / "absent.pem")})
    assert missing.returncode != 0 and "OSTAL_OIDC_KEY_FILE" in missing.stderr


def test_without_a_key_openid_is_refused_cleanly(settings, mobile_flow):
    """Production without a key: no discovery, and ``openid`` is an unknown scope (an
    error sent back to the app, not a server error)."""
    provider = dict(settings.OAUTH2_PROVIDER)
    provider.update(
        OIDC_ENABLED=False,
        OIDC_RSA_PRIVATE_KEY="",
        SCOPES={k: v for k, v in provider["SCOPES"].items() if k != "openid"},
        DEFAULT_SCOPES=[],
    )
    settings.OAUTH2_PROVIDER = provider
    assert mobile_flow.http.get("/o/.well-known/openid-configuration").status_code == 404
    response = mobile_flow.consent_page()
    assert response.status_code == 302 and "error=invalid_scope" in response["Location"]
