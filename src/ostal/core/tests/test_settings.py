"""Settings rules: the production profile refuses unsafe defaults and passes check --deploy;
the migrations match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

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


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: no test-only variable (the browser tests' async switch included).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OSTAL_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", *args],
        env={**clean, "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_the_default_secret_key():
    """The production profile does not start without its own secret key."""
    env = {k: v for k, v in PROD_ENV.items() if k != "OSTAL_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "OSTAL_SECRET_KEY" in result.stderr


def production_keys(folder: Path) -> dict[str, str]:
    """The key files production must be given (SAML service provider, OIDC signing)."""
    from ostal.federation.keys import keypair_generate
    from ostal.oidc.keys import private_key_create

    keypair_generate(
        key_file=folder / "sp-key.pem", cert_file=folder / "sp-cert.pem", common_name="ent"
    )
    (folder / "oidc.pem").write_text(private_key_create())
    return {
        "OSTAL_SAML_KEY_FILE": str(folder / "sp-key.pem"),
        "OSTAL_SAML_CERT_FILE": str(folder / "sp-cert.pem"),
        "OSTAL_SAML_BASE_URL": "https://ent.example.org",
        "OSTAL_OIDC_KEY_FILE": str(folder / "oidc.pem"),
    }


def test_production_profile_passes_check_deploy(tmp_path):
    """``manage.py check --deploy`` reports nothing in the production profile given its keys."""
    env = {**PROD_ENV, **production_keys(tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_migrations_match_the_models():
    """Every model change has its migration (``makemigrations --check``)."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_without_s3_is_flagged_by_check_deploy():
    """check --deploy warns when production media would stay on one host's disk."""
    env = {k: v for k, v in PROD_ENV.items() if k != "OSTAL_S3_BUCKET"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "ostal.W001" in result.stderr
