"""The import's lookups by jointure use the directory's unique index (PostgreSQL).

Rule: the unique (source, jointure) index is partial (``WHERE NOT (external_id = '')``),
and PostgreSQL uses a partial index only when a query states its condition — it cannot
prove it from a list of more than 100 values. Without it every batch of 1,000 records
scanned the whole person table (quadratic at region scale). The test captures the queries
a real import sends and reads their plans with sequential scans disabled: a plan that
still scans the person table, or reads every person of the source through the source's
index, could not use the unique one.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from ostal.core.sql import select_in
from ostal.directory.models import Person
from ostal.feed.bulk import StatisticsKeeper
from ostal.feed.models import ImportRun
from ostal.feed.services import aaf_import

from . import deliveries as d

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="query plans are PostgreSQL's"
)


UNIQUE_INDEX = "person_source_jointure_unique"


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


def _lookups_by_jointure(run: Any) -> list[tuple[str, Any]]:
    """The SELECTs on the person table that look people up by jointure."""
    seen: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        flat = sql.replace('"directory_person".', "")
        if (
            sql.lstrip().upper().startswith("SELECT")
            and 'FROM "directory_person"' in sql
            and ('"external_id" IN (%s' in flat or '"external_id" = ANY' in flat)
        ):
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        run()
    return seen


@pytest.mark.django_db
def test_an_import_looks_people_up_through_the_unique_index(source, tmp_path) -> None:
    """Every lookup of people by jointure during an import can use the (source, jointure) index."""
    pupils = [d.pupil(f"E{n}", "Alice", f"Durand{n}", relatives=[f"R{n}"]) for n in range(3)]
    relatives = [d.relative(f"R{n}", "Diane", f"Durand{n}") for n in range(3)]
    path = d.delivery(
        tmp_path, date="20250905", structures=[d.structure()], pupils=pupils, relatives=relatives
    )

    def run() -> None:
        import_run, _ = aaf_import(source=source, path=path)
        assert import_run.status == ImportRun.Status.SUCCEEDED, import_run.error

    lookups = _lookups_by_jointure(run)
    assert len(lookups) >= 3  # pupils, relatives, then the relatives of the links
    for sql, params in lookups:
        plan = _plan(sql, params)
        assert UNIQUE_INDEX in plan, (sql, plan)


@pytest.mark.django_db
def test_without_the_condition_the_index_could_not_serve(source) -> None:
    """Why ``nonblank`` exists: without it, the same lookup of 500 jointures cannot use the unique
    index (only the source's index: every person of the source, each batch)."""
    jointures = [str(2_000_000 + n) for n in range(500)]
    for nonblank, scans in ((False, True), (True, False)):
        (lookup,) = _lookups_by_jointure(
            lambda nonblank=nonblank: select_in(
                Person,
                ("id",),
                key="external_id",
                values=jointures,
                where={"source": source.pk},
                nonblank=nonblank,
            )
        )
        assert (UNIQUE_INDEX not in _plan(*lookup)) is scans


def _reltuples() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'directory_person'")
        return float(cursor.fetchone()[0])


@pytest.mark.django_db
def test_statistics_follow_the_rows_an_import_inserts(world: Any) -> None:
    """Inside the import's transaction, the person table is analysed each time the rows inserted have doubled."""
    keeper = StatisticsKeeper(Person, columns=("source", "ine"), first=3)
    count = Person.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE relname = 'directory_person'")
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = 'directory_person'::regclass")
    keeper.inserted_rows(2)
    assert _reltuples() == -1  # not yet: fewer than ``first`` rows
    keeper.inserted_rows(1)
    assert _reltuples() == count  # analysed, in this transaction
    assert keeper.next_at == 6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_stats WHERE tablename = 'directory_person' ORDER BY attname"
        )
        # only the columns the import looks people up by
        assert [row[0] for row in cursor.fetchall()] == ["ine", "source_id"]
