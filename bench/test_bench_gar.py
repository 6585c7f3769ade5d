"""Benchmark: the GAR export of the synthetic region on PostgreSQL.

Imports the generated region (``bench.aafgen``, as the AAF import benchmark does), then
prints (never asserts on time):
* the export's time, split into producing the five kinds (streamed XML), validating every
  file against GAR-ENT.xsd and packing the ``.tar.gz`` (no SFTP: the transport is the
  network's, not Ostal's);
* the files produced (per kind: files, nodes, bytes);
* the *floor*: reading the same rows out of the database alone (every queryset of the
  export, rows grouped as the export groups them, no XML written), and the ratio of the
  export's production to it;
* the peak memory of the export (Python allocations, ``tracemalloc``) and the process's
  peak RSS.

``OSTAL_BENCH_SCHOOLS`` scales the region down (default here: 40 schools; ``800`` for the
whole region preset).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection

from ostal.gar import delivery, export
from ostal.territory.factories import ensure_territory

from .test_bench_aaf_import import _deliveries, _import_all


class _Discard(export.SplitWriter):
    """The floor's writer: rows read and nodes built, nothing serialised."""

    def write(self, element):  # type: ignore[no-untyped-def]
        tag = element.tag.rsplit("}", 1)[-1]
        self.counts[tag] = self.counts.get(tag, 0) + 1

    def finish(self):  # type: ignore[no-untyped-def]
        return []


def _cpu() -> float:
    """CPU seconds of this process (user + system): the machine is shared, wall time is not
    the export's alone."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _floor(folder: Path) -> tuple[float, float]:
    original = export.SplitWriter
    export.SplitWriter = _Discard  # type: ignore[misc]
    try:
        started, cpu = time.monotonic(), _cpu()
        export.produce(folder, ent_id="BENCH", stamp="20260101_000000", nodes_per_file=10_000)
        return time.monotonic() - started, _cpu() - cpu
    finally:
        export.SplitWriter = original  # type: ignore[misc]


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_bench_gar_export() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the GAR export benchmark runs on PostgreSQL (set DATABASE_URL)")
    os.environ.setdefault("OSTAL_BENCH_SCHOOLS", "40")
    ensure_territory()
    deliveries = _deliveries()
    import_s, _totals = _import_all(deliveries)
    with tempfile.TemporaryDirectory(prefix="ostal-gar-") as scratch:
        folder = Path(scratch)
        floor_s, floor_cpu = _floor(folder / "floor")
        started, cpu = time.monotonic(), _cpu()
        produced = export.produce(
            folder / "out", ent_id="BENCH", stamp="20260101_000000", nodes_per_file=10_000
        )
        produce_s, produce_cpu = time.monotonic() - started, _cpu() - cpu
        started = time.monotonic()
        errors = export.validate(folder / "out", produced.files)
        validate_s = time.monotonic() - started
        # Memory in a second pass: tracemalloc slows allocations, so it stays out of the timings.
        tracemalloc.start()
        export.produce(
            folder / "again", ent_id="BENCH", stamp="20260101_000000", nodes_per_file=10_000
        )
        _size, produce_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        export.validate(folder / "again", produced.files)
        _size, validate_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.monotonic()
        archive = folder / "out" / "BENCH_GAR-ENT_Complet_20260101_000000.tar.gz"
        delivery.pack(folder / "out", [f.name for f in produced.files], archive)
        pack_s = time.monotonic() - started
        archive_mb = archive.stat().st_size / 2**20
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    schools = os.environ["OSTAL_BENCH_SCHOOLS"]
    print(f"\nGAR export benchmark ({schools} schools; import of the region took {import_s:.1f} s)")
    for kind in export.KINDS:
        files = [f for f in produced.files if f.kind == kind]
        nodes = sum(f.nodes for f in files)
        size = sum(f.bytes for f in files) / 2**20
        print(
            f"  {kind:<11} {len(files):4d} files {nodes:10,d} nodes {size:9.1f} MB  {produced.counts[kind]}"
        )
    total = sum(f.bytes for f in produced.files) / 2**20
    print(
        f"  produce the five kinds (streamed):        {produce_s:8.1f} s  "
        f"(CPU {produce_cpu:.1f} s; {total:.1f} MB of XML)"
    )
    print(
        f"  validate every file against GAR-ENT.xsd:  {validate_s:8.1f} s  ({len(errors)} errors)"
    )
    print(f"  pack .tar.gz + .md5:                      {pack_s:8.1f} s  ({archive_mb:.1f} MB)")
    print(f"  floor: read the same rows alone:          {floor_s:8.1f} s  (CPU {floor_cpu:.1f} s)")
    print(f"  ratio produce / floor:                    {produce_s / floor_s:8.2f}")
    print(
        f"  peak Python memory, produce / validate:   {produce_peak / 2**20:8.1f} / {validate_peak / 2**20:.1f} MB"
    )
    print(f"  peak RSS of the process (import included): {peak_rss:7.0f} MB")
    for warning in produced.warnings:
        print(f"  warning: {warning}")
    assert errors == [], errors[:5]
    assert sum(f.nodes for f in produced.files if f.kind == "Eleve") > 0
