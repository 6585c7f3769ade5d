"""Documents fixtures: a private media root per test, and what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def stored(media: Path) -> Any:
    """``stored()``: the files in the storage (relative paths)."""

    def _stored() -> list[str]:
        if not media.exists():
            return []
        return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())

    return _stored
