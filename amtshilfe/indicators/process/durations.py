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
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import BaseExpression, Combinable
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Lag

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


def json_text(path: str) -> Cast:
    """The JSON value at ``path`` (``data__to__kind``) as plain text.

    ``KT`` alone is not enough: on SQLite its lookups compare with ``JSON_EXTRACT(value,
    '$')`` of the bare text ("malformed JSON"); through ``Cast`` they are ordinary text
    comparisons on both backends.
    """
    return Cast(KT(path), output_field=CharField())


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
    span: Combinable,
    groups: Groups,
    percentiles: Sequence[int] = PERCENTILES,
    with_total: bool = False,
) -> dict[str, dict[Any, Spread]]:
    """``{grouping: {group key: Spread}}`` of ``span`` over ``rows``, computed by the database.

    ``groups`` names one or more ways to group the same rows (e.g. by cluster and by
    urgency); all are ranked in one query.

    1. The ORM compiles ``rows`` with a column per grouping and the duration ``span``
       (``NULL`` = the row does not count), each computed once per row.
    2. Around it, plain SQL numbers the rows of each group by duration (``ROW_NUMBER``,
       ties by id) and counts (and sums) them over the group (``COUNT``/``SUM`` windows),
       once per grouping.
    3. Only the rows at the nearest rank ⌈p·n/100⌉ = (p·n + 99) div 100 of one of the
       ``percentiles`` in one of the groupings come back.

    The outer SQL is the same on SQLite and PostgreSQL (a duration is an integer of
    microseconds on the one, an interval on the other; both sort and add up). It wraps the
    ORM's query instead of annotating windows on it because Django repeats an expression
    – here a correlated subquery or a ``LAG()`` – wherever a window uses it.
    """
    names = list(groups)
    keys = {f"g{index}": groups[name] for index, name in enumerate(names)}
    inner = (
        rows.order_by()
        .annotate(**keys, span=ExpressionWrapper(span, output_field=DurationField()))
        .values(*keys, "span", row_id=F("pk"))
    )
    connection = connections[inner.db]
    sql, params = inner.query.get_compiler(connection=connection).as_sql()
    windows: list[str] = []
    outer: list[str] = []
    wanted: list[str] = []
    for index in range(len(names)):
        part = f"PARTITION BY g{index}"
        windows.append(f"ROW_NUMBER() OVER ({part} ORDER BY span, row_id) AS r{index}")
        windows.append(f"COUNT(*) OVER ({part}) AS n{index}")
        windows.append(f"SUM(span) OVER ({part}) AS t{index}" if with_total else f"0 AS t{index}")
        outer += [f"g{index}", f"r{index}", f"n{index}", f"t{index}"]
        wanted += [f"r{index} = (n{index} * {int(p)} + 99) / 100" for p in percentiles]
    # Only the ORM's compiled SQL (with its parameters) and fixed names and integers.
    query = (
        f"SELECT span, {', '.join(outer)} FROM (SELECT {', '.join(keys)}, span, "  # noqa: S608
        f"{', '.join(windows)} FROM ({sql}) spans WHERE span IS NOT NULL) ranked "
        f"WHERE {' OR '.join(wanted)}"
    )
    result: dict[str, dict[Any, Spread]] = {name: {} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
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


LEAD_SPAN = ExpressionWrapper(F("created_at") - F("filed_at"), output_field=DurationField())
CYCLE_SPAN = ExpressionWrapper(F("created_at") - F("started_at"), output_field=DurationField())


def lead_times(network: Network, period: Period, groups: Groups) -> dict[str, dict[Any, Spread]]:
    """Lead time percentiles of the requests first solved in ``period``, per grouping."""
    return nearest_rank(first_solutions(network, period), span=LEAD_SPAN, groups=groups)


def cycle_times(network: Network, period: Period, groups: Groups) -> dict[str, dict[Any, Spread]]:
    """Cycle time percentiles (first start of work → first solution), by ``group``."""
    started = first_started(first_solutions(network, period))
    return nearest_rank(started, span=CYCLE_SPAN, groups=groups)


# --- stays in columns ---------------------------------------------------------------------


def _column_ids(events: QuerySet[RequestEvent]) -> QuerySet[RequestEvent]:
    """Annotate ``from_id``/``to_id`` (numbers, so both backends compare them alike)."""
    return events.annotate(
        from_id=Cast(KT("data__from__id"), output_field=IntegerField()),
        to_id=Cast(KT("data__to__id"), output_field=IntegerField()),
    )


def _changes_column() -> Q:
    """A ``column`` event into another column (not a reorder inside one column)."""
    return Q(kind=Kind.COLUMN) & (Q(from_id__lt=F("to_id")) | Q(from_id__gt=F("to_id")))


def stays(
    network: Network, period: Period, group: BaseExpression | F, *, exclude_kinds: Sequence[str]
) -> QuerySet[Any]:
    """The card's entries into columns, with the stays that ended in ``period``.

    1. Take the ``created`` events and the ``column`` events into another column (entries)
       before the end of the period, of the requests that left a column in the period.
    2. ``LAG()`` over each request's entries, in time order, gives the start of the stay an
       entry ends: ``entered_at``.
    3. ``stay`` (the duration) is set only on rows that end a counted stay: a ``column``
       event in the period leaving a column not of ``exclude_kinds``; ``stay_group`` is
       ``group`` for those rows. ``stay_column`` (id) and ``stay_kind`` describe
       the column left.
    """
    start, end = as_datetime_range(period)
    left_in_period = _column_ids(
        RequestEvent.objects.filter(
            network=network, kind=Kind.COLUMN, created_at__gte=start, created_at__lt=end
        )
    ).filter(_changes_column())
    entries = _column_ids(
        RequestEvent.objects.filter(
            network=network,
            kind__in=[Kind.CREATED, Kind.COLUMN],
            created_at__lt=end,
            request_id__in=left_in_period.values("request_id"),
        )
    ).filter(Q(kind=Kind.CREATED) | _changes_column())
    ends_stay = Q(kind=Kind.COLUMN, created_at__gte=start) & ~Q(stay_kind__in=list(exclude_kinds))
    return entries.annotate(
        stay_column=F("from_id"),
        stay_board=Cast(KT("data__from__board"), output_field=IntegerField()),
        stay_kind=json_text("data__from__kind"),
        entered_at=Window(
            Lag("created_at"),
            partition_by=[F("request_id")],
            order_by=[F("created_at").asc(), F("pk").asc()],
        ),
    ).annotate(
        stay=Case(
            When(ends_stay, then=F("created_at") - F("entered_at")),
            default=Value(None),
            output_field=DurationField(),
        ),
        stay_group=Case(When(ends_stay, then=group), default=Value(None)),
    )


def stay_spreads(
    network: Network, period: Period, group: BaseExpression | F, *, exclude_kinds: Sequence[str]
) -> dict[Any, Spread]:
    """Median (p50) and total of the stays that ended in ``period``, by ``group``."""
    rows = stays(network, period, group, exclude_kinds=exclude_kinds)
    spreads = nearest_rank(
        rows, span=F("stay"), groups={"stay": F("stay_group")}, percentiles=(50,), with_total=True
    )
    return spreads["stay"]
