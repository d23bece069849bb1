"""The middle rows of each group – a median – in portable SQL around an ORM query.

SQLite and PostgreSQL alike (neither needs ``percentile_cont``): window functions number the
rows of each group by the value (``ROW_NUMBER``) and count them (``COUNT``); the database
returns only the one or two middle rows, whose mean is the median.

Why plain SQL around the ORM's query instead of ``Window`` annotations on it: Django repeats
an annotated expression – a correlated subquery, say – wherever it is used again (in a
window's ``PARTITION BY``/``ORDER BY``, in the filter on the rank, in the selected columns),
so it would be evaluated several times per row. Here the ORM compiles each column once; the
windows only refer to the columns by name. ``OFFSET 0`` on the ORM's query keeps SQLite and
PostgreSQL alike from folding it into the outer query (which would copy the expression back
into every place that names its column), and nothing filters the ORM's rows from outside (a
``WHERE`` could be pushed down and repeat the expression): rows whose value is ``NULL`` are
sorted last and not counted instead.

``lib`` imports no app: callers pass a queryset and name its columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, QuerySet

# An SQL expression over the columns of the ORM's query, with its parameters.
SQL = tuple[str, Sequence[Any]]

_ALIAS = re.compile(r"[a-z][a-z0-9_]*\Z")


@dataclass
class Middle:
    """One group: its size (rows with a value) and its one or two middle values, raw."""

    size: int
    values: list[Any]


def column(name: str) -> SQL:
    """A column of the ORM's query, as an outer SQL expression."""
    return (name, ())


def optimisation_fence(connection: BaseDatabaseWrapper) -> str:
    """``OFFSET 0`` for the end of a subquery: neither database folds it into the outer one.

    SQLite wants a ``LIMIT`` before an ``OFFSET`` (``-1`` = none), PostgreSQL takes it alone.
    """
    no_limit = connection.ops.no_limit_value()
    return "OFFSET 0" if no_limit is None else f"LIMIT {int(no_limit)} OFFSET 0"


def middle_values(
    rows: QuerySet[Any],
    *,
    columns: Mapping[str, Any],
    value: SQL,
    partition: Sequence[SQL] = (),
) -> dict[tuple[Any, ...], Middle]:
    """``{group key: Middle}``: the middle values of ``value`` per group of ``partition``.

    ``middle_values_by`` with one grouping.
    """
    return middle_values_by(rows, columns=columns, value=value, groupings=[partition])[0]


def middle_values_by(
    rows: QuerySet[Any],
    *,
    columns: Mapping[str, Any],
    value: SQL,
    groupings: Sequence[Sequence[SQL]],
) -> list[dict[tuple[Any, ...], Middle]]:
    """Per grouping ``{group key: Middle}``: the middle values of ``value`` in each group.

    ``columns``: alias (lower-case letters, digits, ``_``; not the name of a field of
    ``rows``) → field name or expression of ``rows``; the ORM selects each once per row.
    ``value`` and the entries of each grouping are SQL over those aliases (with
    parameters), e.g. ``column("minutes")`` or a year taken from a date column by the
    backend's own SQL. A group key is the tuple of the grouping's values as the database
    returns them (``()`` for an empty grouping: one group over all rows). Rows whose value
    is ``NULL`` do not count; a group without any value is left out. All groupings are
    ranked in one query over the same rows.

    1. The ORM compiles ``rows`` with the ``columns`` and the row id.
    2. Around it, plain SQL numbers each group's rows by the value (``ROW_NUMBER``, rows
       without a value last, ties by id) and counts the values (``COUNT``), once per
       grouping.
    3. Only the middle row (odd size) or the two middle rows (even size) of a group of one
       of the groupings come back.
    """
    for alias in columns:
        if not _ALIAS.match(alias) or alias == "row_id":
            raise ValueError(f"unusable column alias {alias!r}")
    selected = {alias: F(ref) if isinstance(ref, str) else ref for alias, ref in columns.items()}
    inner = rows.order_by().values(**selected, row_id=F("pk"))
    connection: BaseDatabaseWrapper = connections[inner.db]
    inner_sql, inner_params = inner.query.get_compiler(connection=connection).as_sql()
    return _run(connection, (inner_sql, inner_params), value, [list(g) for g in groupings])


def _run(
    connection: BaseDatabaseWrapper,
    inner: SQL,
    value: SQL,
    groupings: list[list[SQL]],
) -> list[dict[tuple[Any, ...], Middle]]:
    value_sql, value_params = value
    fence = optimisation_fence(connection)
    selected = [f"{value_sql} AS v"]
    params: list[Any] = list(value_params)  # in the order of the placeholders below
    outer: list[str] = []
    wanted: list[str] = []
    for index, grouping in enumerate(groupings):
        key_params = [param for _sql, key in grouping for param in key]
        part = ", ".join(sql for sql, _params in grouping)
        part = f"PARTITION BY {part} " if grouping else ""
        for number, (sql, key) in enumerate(grouping):
            selected.append(f"{sql} AS k{index}_{number}")
            params += key
        order = f"ORDER BY ({value_sql}) IS NULL, {value_sql}, row_id"
        selected.append(f"ROW_NUMBER() OVER ({part}{order}) AS r{index}")
        params += [*key_params, *value_params, *value_params]
        # The same partition and order as the rank, over the whole partition: one sort
        # serves both windows.
        whole = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
        selected.append(f"COUNT({value_sql}) OVER ({part}{order} {whole}) AS n{index}")
        params += [*key_params, *value_params, *value_params, *value_params]
        outer += [f"r{index}", f"n{index}", *(f"k{index}_{n}" for n in range(len(grouping)))]
        wanted.append(f"(r{index} >= (n{index} + 1) / 2 AND r{index} <= n{index} / 2 + 1)")
    params += inner[1]
    # Only the ORM's compiled SQL (with its parameters), the callers' fixed SQL and names.
    query = (
        f"SELECT v, {', '.join(outer)} FROM (SELECT {', '.join(selected)} "  # noqa: S608
        f"FROM ({inner[0]} {fence}) inner_rows) ranked "
        f"WHERE v IS NOT NULL AND ({' OR '.join(wanted)})"
    )
    found: list[dict[tuple[Any, ...], Middle]] = [{} for _grouping in groupings]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            offset = 1
            for index, grouping in enumerate(groupings):
                rank, size = row[offset], row[offset + 1]
                key = tuple(row[offset + 2 : offset + 2 + len(grouping)])
                offset += 2 + len(grouping)
                if (size + 1) // 2 <= rank <= size // 2 + 1:
                    middle = found[index].setdefault(key, Middle(size=int(size), values=[]))
                    middle.values.append(row[0])
    return found
