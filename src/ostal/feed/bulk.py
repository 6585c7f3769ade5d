"""Fast INSERTs for the import's hot tables.

The ORM's ``bulk_create`` builds a model instance and prepares every field of every row in
Python; at a region's scale (millions of link rows a night) that is most of the import's
time. Rows here are tuples of database-ready values:

* on PostgreSQL they are streamed with ``COPY`` (through a temporary table and
  ``INSERT … SELECT … ON CONFLICT DO NOTHING`` when conflicts are to be ignored);
* on SQLite they go through ``executemany`` of one prepared statement (the sqlite3 module
  runs the loop in C), with ``ON CONFLICT DO NOTHING`` when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models

from ostal.core.sql import columns_of


def adapt(value: Any) -> Any:
    """Dates and datetimes as the backend wants them (SQLite takes ISO strings)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in columns_of(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            target = table
            if ignore_conflicts:
                target = quote(f"tmp_{model._meta.db_table}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {target} ON COMMIT DROP AS "  # noqa: S608 - names come from the models
                    f"SELECT {columns} FROM {table} WITH NO DATA"
                )
            with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if ignore_conflicts:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} "  # noqa: S608
                    "ON CONFLICT DO NOTHING"
                )
                cursor.execute(f"TRUNCATE {target}")
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        if ignore_conflicts:
            sql += " ON CONFLICT DO NOTHING"
        cursor.executemany(sql, [tuple(adapt(v) for v in row) for row in rows])


def first_of_each(rows: Iterable[Sequence[Any]], key: Sequence[int]) -> list[Sequence[Any]]:
    """The rows a unique constraint on the columns at ``key`` lets in when they are inserted
    in order into a table holding none of them: the first row of each key, and every row
    whose key has a NULL (SQL never finds two NULLs equal). Rows of people created in the
    same import go in this way, without the conflict handling of ``ignore_conflicts``
    (a temporary table and a second insert)."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for row in rows:
        value = tuple(row[i] for i in key)
        if None in value:
            kept.append(row)
        elif value not in seen:
            seen.add(value)
            kept.append(row)
    return kept


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """``count`` fresh primary keys from the table's sequence (PostgreSQL), so rows can be
    inserted with their ids and need no lookup afterwards; ``None`` elsewhere."""
    if connection.vendor != "postgresql" or count <= 0:
        return None
    table = model._meta.db_table
    pk = model._meta.pk.column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        return [row[0] for row in cursor.fetchall()]


class StatisticsKeeper:
    """Keeps the planner's statistics of a table an import fills, as the import goes.

    An import runs in one transaction, which autovacuum cannot see into: without fresh
    statistics PostgreSQL plans each batch's lookups on the sizes of the table as it was
    (empty, on a first import), and answers a lookup of a thousand INE or login stems (non-
    unique indexes) by reading the whole table. ``ANALYZE`` inside the transaction sees its
    rows; it runs when the rows inserted since the start have doubled (10,000, 20,000, …:
    about eight times for a region), and only on ``columns`` when given — the ones the
    import looks rows up by (the table's size is refreshed either way) —, so it costs
    seconds. Elsewhere it does nothing."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        columns: Sequence[str] = (),
        first: int = 10_000,
    ) -> None:
        quote = connection.ops.quote_name
        self.statement = f"ANALYZE {quote(model._meta.db_table)}"
        if columns:
            names = ", ".join(quote(c) for c in columns_of(model, columns))
            self.statement += f" ({names})"
        self.inserted = 0
        self.next_at = first

    def inserted_rows(self, count: int) -> None:
        self.inserted += count
        if self.inserted < self.next_at or connection.vendor != "postgresql":
            return
        self.next_at = 2 * self.inserted
        with connection.cursor() as cursor:
            cursor.execute(self.statement)
