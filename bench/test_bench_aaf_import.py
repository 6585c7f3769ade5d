"""Benchmark: a complete AAF import of the synthetic region on PostgreSQL.

Prints (never asserts on time — benchmarks are not timed tests):
* records/s of the first complete import;
* the ratio of the first import to the *floor* measured in the same run: parsing the same
  files alone plus a COPY of one directory row per person record;
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
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from ostal.directory.aaf.delivery import open_delivery
from ostal.directory.aaf.parser import iter_records
from ostal.directory.models import Person, Profile, Source
from ostal.feed.bulk import insert_rows
from ostal.feed.importer import PERSON_INSERT_FIELDS
from ostal.feed.mapping import PERSON_FIELDS
from ostal.feed.services import aaf_import
from ostal.territory.factories import ensure_territory

REPO = Path(__file__).resolve().parent.parent
SOURCES = {"ac-11": "ac-montpellier", "ac-16": "ac-toulouse"}
PERSON_CATEGORIES = {
    "Eleve": Profile.PUPIL,
    "PersRelEleve": Profile.RELATIVE,
    "PersEducNat": Profile.TEACHER,
}


def _deliveries() -> list[Path]:
    schools = os.environ.get("OSTAL_BENCH_SCHOOLS", "")
    out = REPO / "bench" / "out" / f"aaf-region{('-' + schools) if schools else ''}"
    if not (out / "ac-16").is_dir():
        cmd = [sys.executable, "-m", "bench.aafgen", "--preset", "region", "--out", str(out)]
        if schools:
            cmd += ["--schools", schools]
        subprocess.run(cmd, check=True, cwd=REPO)  # noqa: S603
    return sorted(p for p in out.iterdir() if p.is_dir() and p.name in SOURCES)


def _floor(deliveries: list[Path]) -> tuple[float, int]:
    """Parse every file and insert one directory row per person record, by the fastest
    path the import itself uses (COPY on PostgreSQL). Link rows are not inserted, so the
    floor is lower than the import's real minimum (the ratio is conservative)."""
    scratch = Source.objects.create(code="bench-floor", label="floor", kind=Source.Kind.LOCAL)
    now = timezone.now()
    blank = {f: None if f == "birth_date" else "" for f in PERSON_FIELDS}
    started, n = time.monotonic(), 0
    for path in deliveries:
        with open_delivery(path) as delivery:
            for info in delivery.files:
                profile = PERSON_CATEGORIES.get(info.category)
                rows: list[tuple[object, ...]] = []
                with delivery.open(info) as stream:
                    for record in iter_records(stream, file_name=info.name):
                        n += 1
                        if profile is None:
                            continue
                        key = f"{path.name}-{record.identifier}"
                        values = {
                            **blank,
                            "last_name": record.first("sn") or "",
                            "first_name": record.first("givenName") or "",
                        }
                        rows.append(
                            (
                                f"floor-{key}",
                                "",
                                "!",
                                scratch.pk,
                                key,
                                profile,
                                Person.State.TO_ACTIVATE,
                                now,
                                "",
                                "",
                                False,
                                False,
                                now,
                                now,
                                *(values[f] for f in PERSON_FIELDS),
                            )
                        )
                        if len(rows) >= 5000:
                            insert_rows(Person, PERSON_INSERT_FIELDS, rows)
                            rows = []
                insert_rows(Person, PERSON_INSERT_FIELDS, rows)
    elapsed = time.monotonic() - started
    with connection.cursor() as cursor:  # no ORM cascade collection over a million rows
        cursor.execute("DELETE FROM directory_person WHERE source_id = %s", [scratch.pk])
    scratch.delete()
    return elapsed, n


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
    floor_s, records = _floor(deliveries)
    first_s, first = _import_all(deliveries)
    second_s, second = _import_all(deliveries)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nAAF import benchmark ({', '.join(p.name for p in deliveries)}; {records} records)")
    print(f"  floor (parse + bulk insert of person rows): {floor_s:8.1f} s")
    print(
        f"  first complete import:                     {first_s:8.1f} s  "
        f"{records / first_s:,.0f} records/s  {first}"
    )
    print(f"  second, unchanged complete import:         {second_s:8.1f} s  {second}")
    print(f"  ratio first import / floor:                {first_s / floor_s:8.2f}  (target ≤ 4)")
    print(f"  ratio first / second import:               {first_s / second_s:8.2f}  (target ≥ 3)")
    print(f"  peak RSS of the process:                   {peak_mb:8.0f} MB (target < 500)")
    assert first.get("created", 0) > 0
    assert set(second) <= {"unchanged"}, second
