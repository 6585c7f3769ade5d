"""Fixtures of the directory-feed tests: a source of the test's own, the real exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from ostal.directory.models import Source

from .deliveries import AAF_FIXTURES, FIXTURES_ABSENT


@pytest.fixture
def source(territory: None) -> Source:
    """An AAF source, on top of the Occitanie territory."""
    return Source.objects.create(code="ac-test", label="Académie de test", kind=Source.Kind.AAF)


@pytest.fixture
def aaf_fixtures() -> Path:
    """The folder of the real AAF exports (``shared/fixtures/aaf``); skip when absent."""
    if not AAF_FIXTURES.is_dir():
        pytest.skip(FIXTURES_ABSENT)
    return AAF_FIXTURES
