"""Portable SQL building blocks of the indicator figures (SQLite and PostgreSQL alike).

- ``bucket_index``: a ``CASE`` expression numbering the chart bucket a date or time falls in,
  so one ``GROUP BY`` answers every bucket at once (no query per bucket).
- ``day_start``: a bucket boundary as an aware datetime in the current time zone.
- ``handling_minutes``: minutes booked on a request (reversals count negative), as a
  correlated subquery – the "handling time" of the learning curve and the hours saved.
- ``medians``: the median of a value per group by window functions, the pattern of
  ``onboarding.metrics`` generalised to any value and any grouping (neither database needs
  ``percentile_cont``): number each group's rows by the value (``ROW_NUMBER``), count them
  (``COUNT`` over the group), let the database return only the one or two middle rows, and
  average those.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

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

    ``value`` and every name in ``partition`` must be fields or annotations of ``rows``; the
    group key is the tuple of the partition values (``()`` for one group over all rows).

    1. Number each group's rows by ``value`` (window ``ROW_NUMBER``, ties broken by id) and
       count them (window ``COUNT``).
    2. Keep the middle row (odd size) or the two middle rows (even size) – the database
       returns at most two rows per group.
    3. The median is the mean of what is kept.
    """
    groups = [F(name) for name in partition] or None
    ranked = rows.order_by().annotate(
        median_rank=Window(
            RowNumber(), partition_by=groups, order_by=[F(value).asc(), F("pk").asc()]
        ),
        median_size=Window(Count("pk"), partition_by=groups),
    )
    middle = ranked.filter(
        median_rank__gte=(F("median_size") + 1) / 2, median_rank__lte=F("median_size") / 2 + 1
    )
    found: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    sizes: dict[tuple[Any, ...], int] = {}
    for row in middle.values(*partition, value, "median_size"):
        key = tuple(row[name] for name in partition)
        found[key].append(float(row[value]))
        sizes[key] = int(row["median_size"])
    return {key: (sizes[key], sum(values) / len(values)) for key, values in found.items()}
