"""Portable SQL building blocks of the indicator figures (SQLite and PostgreSQL alike).

- ``bucket_index``: a ``CASE`` expression numbering the chart bucket a date or time falls in,
  so one ``GROUP BY`` answers every bucket at once (no query per bucket).
- ``day_start``: a bucket boundary as an aware datetime in the current time zone.
- ``people_counts``: distinct people who booked, per group and per coarser group, in one
  query (window functions over the distinct pairs of group and person).
- ``handling_minutes``: minutes booked on a request (reversals count negative), as a
  correlated subquery – the "handling time" of the learning curve and the hours saved.
- ``medians``/``medians_by``: the median of a value per group (several groupings in one
  query) by window functions in plain SQL around the ORM's query (``lib.window_median``,
  shared with ``onboarding.metrics``; neither database needs ``percentile_cont``): number
  each group's rows by the value (``ROW_NUMBER``), count them (``COUNT`` over the group),
  let the database return only the one or two middle rows, and average those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from amtshilfe.lib.window_median import column, middle_values_by, optimisation_fence
from amtshilfe.timeaccounting.models import TimeEntry

Bucket = tuple[dt.date, dt.date, str]


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def bucket_index(field: str, spans: Sequence[Bucket], *, times: bool = True) -> Case:
    """The index of the bucket ``field`` falls in (``None`` outside all buckets).

    ``times``: the field is a datetime (boundaries become local midnights); else a date.
    """
    whens = []
    for index, (start, end, _label) in enumerate(spans):
        low: dt.date | dt.datetime = day_start(start) if times else start
        high: dt.date | dt.datetime = day_start(end) if times else end
        whens.append(When(**{f"{field}__gte": low, f"{field}__lt": high}, then=Value(index)))
    return Case(*whens, default=None, output_field=IntegerField())


def signed_minutes() -> Sum:
    """``SUM`` of a time entry's minutes, reversals counted negatively."""
    return Sum(
        Case(
            When(is_reversal=True, then=-F("minutes")),
            default=F("minutes"),
            output_field=IntegerField(),
        )
    )


def handling_minutes(request_ref: str = "pk") -> Subquery:
    """Minutes booked on the request ``OuterRef(request_ref)``, reversals included."""
    booked = (
        TimeEntry.objects.filter(request_id=OuterRef(request_ref))
        .order_by()
        .values("request_id")
        .annotate(total=signed_minutes())
        .values("total")
    )
    return Subquery(booked[:1], output_field=IntegerField())


def medians(
    rows: QuerySet[Any], *, value: str, partition: Sequence[str] = ()
) -> dict[tuple[Any, ...], tuple[int, float]]:
    """``{group: (size, median of value)}`` over ``rows``, grouped by the ``partition`` names.

    ``medians_by`` with one grouping.
    """
    return medians_by(rows, value=value, partitions=[partition])[0]


def medians_by(
    rows: QuerySet[Any], *, value: str, partitions: Sequence[Sequence[str]]
) -> list[dict[tuple[Any, ...], tuple[int, float]]]:
    """Per partition ``{group: (size, median of value)}`` over ``rows``, in one query.

    ``value`` and every name in a partition must be fields or annotations of ``rows``; the
    group key is the tuple of the partition values (``()`` for one group over all rows).

    1. Number each group's rows by ``value`` (window ``ROW_NUMBER``, ties broken by id) and
       count them (window ``COUNT``) – in plain SQL around the ORM's query
       (``lib.window_median``), so that an annotation such as ``handling_minutes`` is
       evaluated once per row, not again in every window and filter.
    2. Keep the middle row (odd size) or the two middle rows (even size) – the database
       returns at most two rows per group.
    3. The median is the mean of what is kept.
    """
    names = sorted({name for partition in partitions for name in partition})
    aliases = {name: f"median_group{index}" for index, name in enumerate(names)}
    columns: dict[str, str] = {"median_value": value}
    columns.update({alias: name for name, alias in aliases.items()})
    found = middle_values_by(
        rows,
        columns=columns,
        value=column("median_value"),
        groupings=[[column(aliases[name]) for name in partition] for partition in partitions],
    )
    return [
        {
            key: (middle.size, sum(float(v) for v in middle.values) / len(middle.values))
            for key, middle in groups.items()
        }
        for groups in found
    ]


def people_counts(
    entries: QuerySet[Any], *, fine: Sequence[str], coarse: Sequence[str] = ()
) -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    """Distinct people who booked ``entries``, per ``fine`` group and per ``coarse`` group.

    ``fine`` and ``coarse`` name fields or annotations of the time ``entries``; every
    ``coarse`` name is also in ``fine`` (a coarse group is a union of fine ones, e.g.
    cluster and quarter → quarter). The keys are tuples of the values, as in ``medians``.
    One query instead of a ``COUNT(DISTINCT …)`` per grouping, so that the filter of
    ``entries`` (a subquery, say) runs once:

    1. The ORM selects the distinct (fine group, person) pairs.
    2. Each fine group's pairs are counted (window ``COUNT``); per coarse group, the first
       pair of each person (``ROW_NUMBER`` = 1) is counted (window ``SUM``).
    3. One row per fine group comes back with both counts.
    """
    if not set(coarse) <= set(fine):
        raise ValueError("every coarse name must be a fine one")
    aliases = {name: f"people_group{index}" for index, name in enumerate(fine)}
    pairs = (
        entries.order_by()
        .values(**{alias: F(name) for name, alias in aliases.items()}, people_person=F("person_id"))
        .distinct()
    )
    connection = connections[pairs.db]
    sql, params = pairs.query.get_compiler(connection=connection).as_sql()
    fine_part = "PARTITION BY " + ", ".join(aliases[name] for name in fine)
    coarse_part = ", ".join([*(aliases[name] for name in coarse), "people_person"])
    coarse_total = "PARTITION BY " + ", ".join(aliases[name] for name in coarse) if coarse else ""
    keys = ", ".join(aliases[name] for name in fine)
    # Only the ORM's compiled SQL (with its parameters) and fixed names.
    query = (
        f"SELECT DISTINCT {keys}, n_fine, n_coarse FROM (SELECT {keys}, "  # noqa: S608
        f"COUNT(*) OVER ({fine_part}) AS n_fine, "
        f"SUM(CASE WHEN first_pair = 1 THEN 1 ELSE 0 END) OVER ({coarse_total}) AS n_coarse "
        f"FROM (SELECT {keys}, ROW_NUMBER() OVER (PARTITION BY {coarse_part}) AS first_pair "
        f"FROM ({sql} {optimisation_fence(connection)}) pairs) numbered) counted"
    )
    per_fine: dict[tuple[Any, ...], int] = {}
    per_coarse: dict[tuple[Any, ...], int] = {}
    positions = [fine.index(name) for name in coarse]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            key = tuple(row[: len(fine)])
            per_fine[key] = int(row[-2])
            per_coarse[tuple(key[index] for index in positions)] = int(row[-1])
    return per_fine, per_coarse
