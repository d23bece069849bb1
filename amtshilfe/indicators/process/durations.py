"""How long requests take: lead time, cycle time and stays in columns – computed in SQL.

Definitions (the figures' explanations say the same in German):

- **Solved** is the first ``status`` event of a request whose new status is ``done`` or
  ``closed`` (the board writes one whenever a card enters a done column; reopening does not
  undo the first solution). **Lead time** runs from filing (``ServiceRequest.created_at``)
  to that moment, **cycle time** from the first ``status`` event to ``in_progress`` (the first
  time somebody started the work) to it. A request solved without ever being in progress has
  no cycle time. The figures count requests whose first solution falls in the period, grouped
  by their *current* topic cluster and urgency.
- A **stay** is the time a card spends in one column: from the event that put it there
  (``created`` or a ``column`` event into another column) to the ``column`` event that takes it
  into another column. Reorders inside a column (``column`` events with the same column on
  both sides) neither start nor end a stay; ``status`` events never move a card (the one
  status change without a move, done → closed by the rating, keeps it in its done column).
  A stay belongs to the period in which it *ended* (the card left the column), with its full
  length, so median and total describe the same stays; stays still running at the end of the
  period are not counted (the ageing figure shows them).

Percentiles use the nearest-rank method, portable SQL for SQLite and PostgreSQL alike
(neither needs ``percentile_cont``), like ``onboarding.metrics``: window functions number the
rows of each group by duration (``ROW_NUMBER``) and count and sum them (``COUNT``/``SUM``
over the group); the database returns only the rows at rank ⌈p·n/100⌉ for the wanted ``p``.
The median is p50 (with an even count the lower of the two middle values).

How the rows are found:

- lead and cycle time rank the *events* that solved a request for the first time (the
  period's ``status`` events, ``network, kind, created_at`` index; an earlier solution is
  ruled out by ``NOT EXISTS``), so lead time is a difference of two columns; the start of
  the work is one correlated subquery (``request_id`` index);
- a stay is the row of the ``column`` event that ended it; ``LAG()`` over the request's
  entries (the event before it, partitioned by request) gives its start.

Window functions cannot be nested, so ``nearest_rank`` puts its ranking windows in plain
SQL around the ORM's compiled query (see there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import BaseExpression, Combinable
from django.db.models.fields import Field
from django.db.models.fields.json import (  # type: ignore[attr-defined]
    KeyTextTransform,
    compile_json_path,
)
from django.db.models.functions import Cast

from amtshilfe.board.models import RequestEvent, ServiceRequest
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.registry import as_datetime_range
from amtshilfe.tenancy.models import Network

PERCENTILES: tuple[int, ...] = (50, 85, 95)
Kind = RequestEvent.Kind


@dataclass
class Spread:
    """The durations of one group: how many, their sum (if asked) and the percentiles."""

    count: int
    total: dt.timedelta
    percentiles: dict[int, dt.timedelta] = field(default_factory=dict)


class _KeyText(KeyTextTransform):
    """``KT`` that reads a JSON scalar with one ``JSON_EXTRACT`` call on SQLite.

    Django's SQLite form calls ``JSON_TYPE`` and ``JSON_EXTRACT`` (to tell JSON ``null``,
    ``true`` and ``false`` from the strings); the event data read here holds strings and
    numbers only, and one call per value halves the JSON work of every row.
    """

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, params, key_transforms = self.preprocess_lhs(compiler, connection)
        return f"JSON_EXTRACT({lhs}, %s)", (*params, compile_json_path(key_transforms))


def json_value(path: str, output_field: Field[Any, Any]) -> Cast:
    """The JSON scalar at ``path`` (``data__to__kind``) as ``output_field``.

    ``KT`` alone is not enough: on SQLite its lookups compare with ``JSON_EXTRACT(value,
    '$')`` of the bare text ("malformed JSON"); through ``Cast`` they are ordinary
    comparisons on both backends.
    """
    field, *keys = path.split(LOOKUP_SEP)
    transform: Any = field
    for key in keys:
        transform = _KeyText(key, transform)
    return Cast(transform, output_field=output_field)


def json_text(path: str) -> Cast:
    """The JSON value at ``path`` (``data__to__kind``) as plain text."""
    return json_value(path, CharField())


def time_between(connection: Any, end: str, start: str) -> str:
    """SQL of ``end − start`` (two columns holding datetimes) as a duration.

    PostgreSQL subtracts the timestamps (an interval). Django's SQLite form calls a Python
    function per row; here SQLite computes the exact number of microseconds itself from the
    stored text ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (whole seconds by ``strftime('%s')``, the
    fraction from the text) – the same integer, as the ``DurationField`` stores it. Each
    column appears twice, so pass plain columns; ``%`` is doubled for the cursor.
    """
    if connection.vendor != "sqlite":
        return f"({end} - {start})"
    return (
        f"((CAST(STRFTIME('%%s', {end}) AS INTEGER) - CAST(STRFTIME('%%s', {start}) AS INTEGER))"
        f" * 1000000 + CAST(SUBSTR({end} || '.000000', 21, 6) AS INTEGER)"
        f" - CAST(SUBSTR({start} || '.000000', 21, 6) AS INTEGER))"
    )


def _as_timedelta(value: Any) -> dt.timedelta:
    # Window sums of durations come back as timedelta on both backends through the
    # DurationField converters; a bare number (microseconds, SQLite) is handled all the same.
    if isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=int(value or 0))


Groups = Mapping[str, BaseExpression | F]


def nearest_rank(
    rows: QuerySet[Any],
    *,
    start: Combinable,
    end: Combinable,
    groups: Groups,
    percentiles: Sequence[int] = PERCENTILES,
    with_total: bool = False,
) -> dict[str, dict[Any, Spread]]:
    """``{grouping: {group key: Spread}}`` of ``end − start`` over ``rows``, by the database.

    ``groups`` names one or more ways to group the same rows (e.g. by cluster and by
    urgency); all are ranked in one query. The ORM compiles ``rows`` with a column per
    grouping and the two datetimes (``start`` ``NULL`` = the row does not count), and
    ``rank_spans`` ranks them in plain SQL around it.
    """
    names = list(groups)
    keys = {f"g{index}": groups[name] for index, name in enumerate(names)}
    inner = (
        rows.order_by()
        .annotate(**keys, span_start=start, span_end=end)
        .values(*keys, "span_start", "span_end", row_id=F("pk"))
    )
    connection = connections[inner.db]
    sql, params = inner.query.get_compiler(connection=connection).as_sql()
    return rank_spans(
        connection, sql, params, names, percentiles=percentiles, with_total=with_total
    )


def _can_materialize(connection: Any) -> bool:
    """``WITH … AS MATERIALIZED``: PostgreSQL 12 and SQLite 3.35 or later."""
    if connection.vendor == "sqlite":
        return bool(connection.Database.sqlite_version_info >= (3, 35))
    return True


def rank_spans(
    connection: Any,
    sql: str,
    params: Sequence[Any],
    names: Sequence[str],
    *,
    percentiles: Sequence[int] = PERCENTILES,
    with_total: bool = False,
) -> dict[str, dict[Any, Spread]]:
    """Nearest-rank percentiles of the rows of ``sql`` (columns ``g0``, ``g1``, … – one per
    grouping in ``names`` –, ``span_start``, ``span_end`` and a unique ``row_id``).

    1. The rows, then their durations ``span`` (``time_between``), are materialized
       (``WITH … AS MATERIALIZED``): otherwise the database copies the expressions of the
       inner query – a correlated subquery, a JSON value – into every place the outer
       query uses them (here the windows' ``ORDER BY``) and computes them again there.
    2. One window per grouping numbers the rows of each group by duration (``ROW_NUMBER``,
       ties by id; rows without a duration after all others) and counts (and sums) their
       durations over the whole group (``COUNT``/``SUM`` over the same window with the whole
       group as frame, so the database sorts each grouping once). ``COUNT(span)`` and
       ``SUM(span)`` skip the rows without a duration; ranking them last keeps the others
       at ranks 1…n. (Filtering them out before the windows would make the database
       compute ``span`` twice: for the filter and for the result.)
    3. Only the rows at the nearest rank ⌈p·n/100⌉ = (p·n + 99) div 100 of one of the
       ``percentiles`` in one of the groupings come back.

    The SQL is the same on SQLite and PostgreSQL (a duration is an integer of microseconds
    on the one, an interval on the other; both sort and add up).
    """
    windows: list[str] = []
    named: list[str] = []
    outer: list[str] = []
    wanted: list[str] = []
    whole = "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
    for index in range(len(names)):
        named.append(
            f"w{index} AS (PARTITION BY g{index} "
            "ORDER BY CASE WHEN span IS NULL THEN 1 ELSE 0 END, span, row_id)"
        )
        windows.append(f"ROW_NUMBER() OVER w{index} AS r{index}")
        windows.append(f"COUNT(span) OVER (w{index} {whole}) AS n{index}")
        windows.append(
            f"SUM(span) OVER (w{index} {whole}) AS t{index}" if with_total else f"0 AS t{index}"
        )
        outer += [f"g{index}", f"r{index}", f"n{index}", f"t{index}"]
        wanted += [f"r{index} = (n{index} * {int(p)} + 99) / 100" for p in percentiles]
    groups = ", ".join(f"g{index}" for index in range(len(names)))
    # Only the caller's SQL (with its parameters) and fixed names and integers.
    materialized = "AS MATERIALIZED" if _can_materialize(connection) else "AS"
    span = time_between(connection, "span_end", "span_start")
    query = (
        f"WITH found {materialized} ({sql}), "  # noqa: S608
        f"spans {materialized} (SELECT {groups}, {span} AS span, row_id FROM found) "
        f"SELECT span, {', '.join(outer)} FROM (SELECT {groups}, span, "
        f"{', '.join(windows)} FROM spans WINDOW {', '.join(named)}) ranked "
        f"WHERE span IS NOT NULL AND ({' OR '.join(wanted)})"
    )
    result: dict[str, dict[Any, Spread]] = {name: {} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(query, tuple(params))
        for row in cursor.fetchall():
            value = _as_timedelta(row[0])
            for index, name in enumerate(names):
                key, rank, size, total = row[1 + 4 * index : 5 + 4 * index]
                for p in percentiles:
                    if (size * p + 99) // 100 == rank:
                        spread = result[name].setdefault(
                            key, Spread(count=size, total=_as_timedelta(total))
                        )
                        spread.percentiles[p] = value
    return result


# --- lead time and cycle time -------------------------------------------------------------


def _status_events(to: Sequence[str]) -> QuerySet[Any]:
    """``status`` events into one of the statuses ``to``."""
    return (
        RequestEvent.objects.filter(kind=Kind.STATUS)
        .annotate(to_status=json_text("data__to__value"))
        .filter(to_status__in=list(to))
    )


def _before_outer_event() -> Q:
    """Earlier than the outer event (same time: smaller id – the order the board wrote)."""
    return Q(created_at__lt=OuterRef("created_at")) | Q(
        created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")
    )


def first_solutions(network: Network, period: Period) -> QuerySet[Any]:
    """The ``status`` events of ``period`` that solved their request for the first time.

    One row per request first solved in the period – the event itself, so that lead time
    is a plain difference of two columns (``created_at`` − ``filed_at``) the ranking window
    can sort by. Annotated: ``filed_at``, ``cluster_id``, ``urgency`` (the request's, now).
    An earlier solution (``NOT EXISTS``, through the ``request_id`` index) rules a row out.
    """
    start, end = as_datetime_range(period)
    finished = list(ServiceRequest.FINISHED)
    earlier = _status_events(finished).filter(request_id=OuterRef("request_id"))
    return (
        _status_events(finished)
        .filter(network=network, created_at__gte=start, created_at__lt=end)
        .filter(~Exists(earlier.filter(_before_outer_event())))
        .annotate(
            filed_at=F("request__created_at"),
            cluster_id=F("request__cluster_id"),
            urgency=F("request__urgency"),
        )
    )


def first_started(solutions: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate ``started_at``: the request's first ``status`` event to ``in_progress``
    before its first solution (``NULL`` if none: then there is no cycle time)."""
    started = (
        _status_events([ServiceRequest.Status.IN_PROGRESS])
        .filter(request_id=OuterRef("request_id"))
        .filter(_before_outer_event())
        .order_by("created_at", "id")
        .values("created_at")
    )
    return solutions.annotate(started_at=Subquery(started[:1]))


def lead_times(network: Network, period: Period, groups: Groups) -> dict[str, dict[Any, Spread]]:
    """Lead time percentiles of the requests first solved in ``period``, per grouping."""
    return nearest_rank(
        first_solutions(network, period), start=F("filed_at"), end=F("created_at"), groups=groups
    )


def cycle_times(network: Network, period: Period, groups: Groups) -> dict[str, dict[Any, Spread]]:
    """Cycle time percentiles (first start of work → first solution), by ``group``."""
    started = first_started(first_solutions(network, period))
    return nearest_rank(started, start=F("started_at"), end=F("created_at"), groups=groups)


# --- stays in columns ---------------------------------------------------------------------


def _column_ids(events: QuerySet[RequestEvent]) -> QuerySet[RequestEvent]:
    """Annotate ``from_id``/``to_id`` (numbers, so both backends compare them alike)."""
    return events.annotate(
        from_id=json_value("data__from__id", IntegerField()),
        to_id=json_value("data__to__id", IntegerField()),
    )


def _changes_column() -> Q:
    """A ``column`` event into another column (not a reorder inside one column)."""
    return Q(kind=Kind.COLUMN) & (Q(from_id__lt=F("to_id")) | Q(from_id__gt=F("to_id")))


@dataclass(frozen=True)
class StayGroups:
    """Two groupings of the stays, ranked in one query: ``by_column`` folds the column
    left onto a group key (its id in ``columns``, else its kind's key in ``kinds``, else
    ``None``), ``by_kind`` is the kind of the column left."""

    columns: Mapping[int, int]
    kinds: Mapping[str, int]

    def sql(self) -> tuple[str, list[Any]]:
        whens = [
            f"WHEN stay_column = {int(pk)} THEN {int(key)}" for pk, key in self.columns.items()
        ]
        params: list[Any] = []
        for kind, key in self.kinds.items():
            whens.append(f"WHEN stay_kind = %s THEN {int(key)}")
            params.append(kind)
        if not whens:
            return "CAST(NULL AS INTEGER)", params
        return f"CASE {' '.join(whens)} ELSE NULL END", params


def stays(network: Network, period: Period) -> QuerySet[Any]:
    """The card's entries into columns before the end of ``period``, of the requests that
    left a column in it: ``created`` events and ``column`` events into another column.

    Values per row: ``request_id``, ``created_at``, ``row_id``, ``kind``, ``stay_column``
    (id) and ``stay_kind`` of the column a ``column`` event left, ``in_period`` (1 if the
    event lies in the period, else 0). Each JSON value is read once per row.
    """
    start, end = as_datetime_range(period)
    left_in_period = _column_ids(
        RequestEvent.objects.filter(
            network=network, kind=Kind.COLUMN, created_at__gte=start, created_at__lt=end
        )
    ).filter(_changes_column())
    return (
        _column_ids(
            RequestEvent.objects.filter(
                network=network,
                kind__in=[Kind.CREATED, Kind.COLUMN],
                created_at__lt=end,
                request_id__in=left_in_period.values("request_id"),
            )
        )
        .filter(Q(kind=Kind.CREATED) | _changes_column())
        .annotate(
            stay_column=F("from_id"),
            stay_kind=json_text("data__from__kind"),
            in_period=Case(When(created_at__gte=start, then=Value(1)), default=Value(0)),
        )
        .order_by()
        .values(
            "request_id",
            "created_at",
            "kind",
            "in_period",
            "stay_column",
            "stay_kind",
            row_id=F("pk"),
        )
    )


def stay_spreads(
    network: Network, period: Period, groups: StayGroups, *, exclude_kinds: Sequence[str]
) -> dict[str, dict[Any, Spread]]:
    """Median (p50) and total of the stays that ended in ``period``: ``{"column": …,
    "kind": …}`` by the two groupings of ``groups``.

    1. ``stays`` gives the entries, each JSON value read once per row.
    2. ``LAG()`` over each request's entries, in time order, gives the start of the stay an
       entry ends: ``entered_at``.
    3. A stay counts if its row is a ``column`` event in the period leaving a column not of
       ``exclude_kinds``; its duration is ``created_at − entered_at``.
    4. ``rank_spans`` ranks them by both groupings in one query.

    Each step is a layer of plain SQL around the ORM's query, so that nothing is computed
    twice per row.
    """
    entries = stays(network, period)
    connection = connections[entries.db]
    sql, params = entries.query.get_compiler(connection=connection).as_sql()
    by_column, column_params = groups.sql()
    excluded = ", ".join(["%s"] * len(exclude_kinds))
    leaves = f"AND NOT (stay_kind IN ({excluded}))" if exclude_kinds else ""
    # Only the ORM's compiled SQL (with its parameters) and fixed names and integers.
    rows = (
        f"SELECT {by_column} AS g0, stay_kind AS g1, entered_at AS span_start, "  # noqa: S608
        "created_at AS span_end, row_id FROM ("
        "SELECT created_at, kind, in_period, stay_column, stay_kind, row_id, LAG(created_at) "
        "OVER (PARTITION BY request_id ORDER BY created_at, row_id) AS entered_at "
        f"FROM ({sql}) entries) entered WHERE kind = %s AND in_period = 1 {leaves}"
    )
    return rank_spans(
        connection,
        rows,
        [*column_params, *params, Kind.COLUMN.value, *exclude_kinds],
        ["column", "kind"],
        percentiles=(50,),
        with_total=True,
    )
