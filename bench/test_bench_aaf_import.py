"""Benchmark: a complete AAF import of the synthetic region on PostgreSQL.

Prints (never asserts on time — benchmarks are not timed tests):
* records/s of the first complete import;
* the ratio of the first import to the *floor* measured in the same run, as the issue
  defines it: parsing the same files alone plus a bulk insert of the same rows (every
  row of every directory table the first import wrote, inserted again with ``COPY`` into
  tables of the same shape);
* the ratio of the first import to a second, unchanged complete import;
* the peak RSS of this process.

Run: ``bin/ostal bench`` (PostgreSQL through ``DATABASE_URL``). ``OSTAL_BENCH_SCHOOLS``
scales the region down (default: the whole region preset, ≈800 schools).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from ostal.directory.aaf.delivery import open_delivery
from ostal.directory.aaf.parser import iter_records
from ostal.directory.models import (
    Affiliation,
    Enrolment,
    GroupMembership,
    HeadTeacher,
    Person,
    RelativeLink,
    SchoolClass,
    Source,
    StaffFunction,
    TeachingAssignment,
    TeachingGroup,
)
from ostal.feed.models import PendingRelativeLink
from ostal.feed.services import aaf_import
from ostal.territory.factories import ensure_territory

REPO = Path(__file__).resolve().parent.parent
SOURCES = {"ac-11": "ac-montpellier", "ac-16": "ac-toulouse"}
# The directory tables a complete import writes (schools, subjects and MEF are a few
# hundred rows: left out).
WRITTEN = [
    Person,
    Affiliation,
    Enrolment,
    SchoolClass,
    TeachingGroup,
    GroupMembership,
    StaffFunction,
    TeachingAssignment,
    HeadTeacher,
    RelativeLink,
    PendingRelativeLink,
]


def _deliveries() -> list[Path]:
    schools = os.environ.get("OSTAL_BENCH_SCHOOLS", "")
    out = REPO / "bench" / "out" / f"aaf-region{('-' + schools) if schools else ''}"
    if not (out / "ac-16").is_dir():
        cmd = [sys.executable, "-m", "bench.aafgen", "--preset", "region", "--out", str(out)]
        if schools:
            cmd += ["--schools", schools]
        subprocess.run(cmd, check=True, cwd=REPO)  # noqa: S603
    return sorted(p for p in out.iterdir() if p.is_dir() and p.name in SOURCES)


def _parse_all(deliveries: list[Path]) -> tuple[float, int]:
    """The parsing half of the floor: every record of every file, fully decoded."""
    started, n = time.monotonic(), 0
    for path in deliveries:
        with open_delivery(path) as delivery:
            for info in delivery.files:
                with delivery.open(info) as stream:
                    for record in iter_records(stream, file_name=info.name):
                        n += 1
                        assert record.attributes is not None
    return time.monotonic() - started, n


def _insert_same_rows(scratch: Path) -> tuple[float, dict[str, float]]:
    """The insert half of the floor: the rows the first import wrote, every table of
    them, bulk-inserted again with ``COPY`` into tables of the same shape (``LIKE …
    INCLUDING ALL``: same columns, defaults, constraints and indexes; no foreign keys, so
    this half is lower than the import's true minimum). The rows are dumped to files
    first, outside the timing."""
    tables = [m._meta.db_table for m in WRITTEN]
    per_table: dict[str, float] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in tables:
            with (
                open(scratch / f"{table}.copy", "wb") as out,
                raw.copy(f'COPY "{table}" TO STDOUT') as copy,
            ):
                for data in copy:
                    out.write(data)
            cursor.execute(f'CREATE TABLE "floor_{table}" (LIKE "{table}" INCLUDING ALL)')
        for table in tables:
            started = time.monotonic()
            with (
                open(scratch / f"{table}.copy", "rb") as dump,
                raw.copy(f'COPY "floor_{table}" FROM STDIN') as copy,
            ):
                while chunk := dump.read(1 << 20):
                    copy.write(chunk)
            per_table[table] = time.monotonic() - started
        for table in tables:
            cursor.execute(f'DROP TABLE "floor_{table}"')
    return sum(per_table.values()), per_table


def _import_all(deliveries: list[Path]) -> tuple[float, dict[str, int]]:
    started = time.monotonic()
    totals: dict[str, int] = {}
    for path in deliveries:
        source = Source.objects.get(code=SOURCES[path.name])
        run, report = aaf_import(source=source, path=path)
        assert report is not None, run.error
        for counts in report.counts.values():
            for action, value in counts.items():
                totals[action] = totals.get(action, 0) + value
    return time.monotonic() - started, totals


@pytest.mark.bench
@pytest.mark.django_db(transaction=True)
def test_bench_region_import() -> None:
    """Prints the figures of the directory-feed issue's benchmark."""
    if connection.vendor != "postgresql":
        pytest.skip("the import benchmark runs on PostgreSQL (set DATABASE_URL)")
    ensure_territory()
    deliveries = _deliveries()
    first_s, first = _import_all(deliveries)
    parse_s, records = _parse_all(deliveries)
    with tempfile.TemporaryDirectory(prefix="ostal-floor-") as scratch:
        insert_s, per_table = _insert_same_rows(Path(scratch))
    floor_s = parse_s + insert_s
    second_s, second = _import_all(deliveries)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = ", ".join(f"{t.removeprefix('directory_')} {s:.1f}" for t, s in per_table.items())
    print(f"\nAAF import benchmark ({', '.join(p.name for p in deliveries)}; {records} records)")
    print(f"  floor: parse every record:                 {parse_s:8.1f} s")
    print(f"         + COPY of the same rows:            {insert_s:8.1f} s  ({rows})")
    print(f"         = floor:                            {floor_s:8.1f} s")
    print(
        f"  first complete import:                     {first_s:8.1f} s  "
        f"{records / first_s:,.0f} records/s  {first}"
    )
    print(f"  second, unchanged complete import:         {second_s:8.1f} s  {second}")
    print(f"  ratio first import / floor:                {first_s / floor_s:8.2f}  (target ≤ 4)")
    print(
        f"  (ratio to parse + person rows only:        "
        f"{first_s / (parse_s + per_table['directory_person']):8.2f})"
    )
    print(f"  ratio first / second import:               {first_s / second_s:8.2f}  (target ≥ 3)")
    print(f"  peak RSS of the process:                   {peak_mb:8.0f} MB (target < 500)")
    assert first.get("created", 0) > 0
    assert set(second) <= {"unchanged"}, second
