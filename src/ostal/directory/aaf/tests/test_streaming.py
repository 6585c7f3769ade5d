"""Constant-memory streaming of large AAF files."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from ostal.directory.aaf.parser import iter_records

from .builders import HEADER, add_request

RECORDS = 200_000


def _rss_mib() -> float | None:
    """Resident memory of this process (Linux), which also covers libxml2's C allocations."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@pytest.mark.slow
def test_large_file_streams_with_constant_memory(tmp_path: Path) -> None:
    """200,000 records parse with under ~50 MB of memory growth, Python and libxml2 alike."""
    path = tmp_path / "ENT_Complet_20240101_PersRelEleve_0000.xml"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER.format(encoding="UTF-8"))
        for start in range(0, RECORDS, 1000):
            handle.write(
                "".join(
                    add_request(
                        str(i),
                        {"ENTPersonJointure": [str(i)], "sn": [f"NOM{i}"], "homePhone": [""]},
                        category="PersRelEleve",
                    )
                    for i in range(start, start + 1000)
                )
            )
        handle.write("</ficAlimMENESR>\n")
    assert path.stat().st_size > 50 * 1024 * 1024  # bigger than the memory budget

    rss_before = _rss_mib()
    rss_peak = rss_before
    tracemalloc.start()
    try:
        count = 0
        last_line = 0
        for record in iter_records(path):
            count += 1
            last_line = record.line
            if count % 20_000 == 0 and rss_peak is not None:
                rss_peak = max(rss_peak, _rss_mib() or 0.0)
        _current, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == RECORDS
    assert last_line == RECORDS + 3  # line numbers stay exact beyond 65,535
    assert python_peak < 50 * 1024 * 1024
    if rss_before is not None and rss_peak is not None:
        assert rss_peak - rss_before < 50
