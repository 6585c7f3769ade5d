"""Small SQL helpers the ORM makes slow at scale (used by the directory feed and the
login allocator)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def columns_of(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [str(getattr(model._meta.get_field(n), "column", n)) for n in names]


def select_in(
    model: type[models.Model],
    fields: Sequence[str],
    *,
    key: str,
    values: Sequence[Any],
    where: dict[str, Any] | None = None,
    nonblank: bool = False,
) -> list[tuple[Any, ...]]:
    """``fields`` of the rows whose ``key`` is one of ``values`` (and whose ``where`` columns
    equal the given values), as tuples. On PostgreSQL the values travel as one array
    (``= ANY(%s)``): the ORM's ``__in`` with a thousand literals spends more time
    building and binding the query than the database spends answering it.

    ``nonblank`` adds ``key <> ''``: a partial index ``WHERE NOT (key = '')`` (the
    directory's unique (source, jointure)) serves the query only when its condition is
    stated — PostgreSQL cannot prove it from an array of more than 100 values, and would
    scan the whole table for every batch."""
    if not values:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in columns_of(model, fields))
    conditions, params = _conditions(model, key, values, where, nonblank=nonblank)
    sql = f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {conditions}"  # noqa: S608 - names come from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def delete_in(model: type[models.Model], *, key: str, values: Sequence[Any]) -> int:
    """Delete the rows whose ``key`` is one of ``values`` in one statement (the values as one
    array on PostgreSQL), without the ORM's collector: for tables nothing refers to and
    no signal watches. Returns the number of rows deleted."""
    if not values:
        return 0
    conditions, params = _conditions(model, key, values, None, nonblank=False)
    sql = f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {conditions}"  # noqa: S608 - names come from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _conditions(
    model: type[models.Model],
    key: str,
    values: Sequence[Any],
    where: dict[str, Any] | None,
    *,
    nonblank: bool,
) -> tuple[str, list[Any]]:
    quote = connection.ops.quote_name
    conditions, params = [], []
    for name, value in (where or {}).items():
        conditions.append(f"{quote(columns_of(model, [name])[0])} = %s")
        params.append(value)
    column = quote(columns_of(model, [key])[0])
    if nonblank:
        conditions.append(f"{column} <> ''")
    if connection.vendor == "postgresql":
        conditions.append(f"{column} = ANY(%s)")
        params.append(list(values))
    else:
        conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)
    return " AND ".join(conditions), params
