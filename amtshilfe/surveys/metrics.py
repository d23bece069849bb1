"""Figures for the indicators dashboard, computed in the database, small groups suppressed.

- satisfaction from request ratings: mean and distribution 1–5, the trend per week, month
  or quarter, and per topic cluster;
- hours saved as answered in surveys (questions with ``metric = hours_saved``) per quarter.

Every figure comes with the number of answers it rests on; a figure resting on fewer than
``AMTSHILFE_MIN_GROUP_SIZE`` answers is ``None`` (``suppressed=True``), never the number.
Periods are half-open: ``start <= day < end``.

Speed (50,000 requests): ratings are selected by comparing ``rated_at`` with local midnights
(``_day_start``), and the trend numbers its buckets with a ``CASE`` over the bucket boundaries –
``rated_at__date`` and ``Trunc*`` would call a Python function per row on SQLite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from amtshilfe.board.models import ServiceRequest
from amtshilfe.surveys.models import Answer, Question
from amtshilfe.surveys.results import min_group_size
from amtshilfe.surveys.services.building import HOURS_SAVED_OPTIONS
from amtshilfe.tenancy.models import Network

Bucket = Literal["week", "month", "quarter"]
RATINGS = range(1, 6)


@dataclass(frozen=True)
class Satisfaction:
    count: int
    mean: float | None
    distribution: dict[int, int] | None  # rating 1–5 → count

    @property
    def suppressed(self) -> bool:
        return self.mean is None


@dataclass(frozen=True)
class Period:
    start: dt.date
    count: int
    value: float | None  # mean rating, or hours saved

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class ClusterSatisfaction:
    cluster_id: int | None
    cluster_name: str
    count: int
    mean: float | None


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _ratings(network: Network, start: dt.date, end: dt.date) -> QuerySet[ServiceRequest]:
    """Ratings whose local day lies in ``start <= day < end``."""
    return ServiceRequest.objects.filter(
        network=network,
        rating__isnull=False,
        rated_at__gte=_day_start(start),
        rated_at__lt=_day_start(end),
    )


def _natural_starts(start: dt.date, end: dt.date, bucket: Bucket) -> list[dt.date]:
    """First days of the calendar weeks (Monday), months or quarters touching the period,
    followed by the first day after the last of them."""
    if bucket == "week":
        cursor = start - dt.timedelta(days=start.weekday())
    elif bucket == "month":
        cursor = start.replace(day=1)
    else:
        cursor = dt.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    starts = [cursor]
    while cursor < end:
        if bucket == "week":
            cursor += dt.timedelta(days=7)
        else:
            index = cursor.year * 12 + cursor.month - 1 + (1 if bucket == "month" else 3)
            cursor = dt.date(index // 12, index % 12 + 1, 1)
        starts.append(cursor)
    return starts


def satisfaction(network: Network, *, start: dt.date, end: dt.date) -> Satisfaction:
    """Mean and distribution of request ratings in the period (suppressed under k)."""
    totals = _ratings(network, start, end).aggregate(
        n=Count("id"),
        mean=Avg("rating"),
        **{f"rated_{value}": Count("id", filter=Q(rating=value)) for value in RATINGS},
    )
    count = int(totals["n"])
    if count < min_group_size():
        return Satisfaction(count=count, mean=None, distribution=None)
    return Satisfaction(
        count=count,
        mean=float(totals["mean"]),
        distribution={value: int(totals[f"rated_{value}"]) for value in RATINGS},
    )


def satisfaction_trend(
    network: Network, *, start: dt.date, end: dt.date, bucket: Bucket = "month"
) -> list[Period]:
    """Mean rating per calendar week (from Monday), month or quarter of the rating day.

    Only buckets with ratings are returned; those with fewer than k ratings are suppressed.
    ``Period.start`` is the bucket's natural first day (it may lie before ``start``).
    """
    k = min_group_size()
    starts = _natural_starts(start, end, bucket)
    # Bucket i holds the ratings before the start of bucket i + 1 (the filter cuts the rest).
    index = Case(
        *[
            When(rated_at__lt=_day_start(following), then=Value(position))
            for position, following in enumerate(starts[1:])
        ],
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        _ratings(network, start, end)
        .annotate(bucket=index)
        .order_by()
        .values("bucket")
        .annotate(n=Count("id"), mean=Avg("rating"))
        .order_by("bucket")
    )
    return [
        Period(
            start=starts[row["bucket"]],
            count=int(row["n"]),
            value=float(row["mean"]) if row["n"] >= k else None,
        )
        for row in rows
    ]


def satisfaction_by_cluster(
    network: Network, *, start: dt.date, end: dt.date
) -> list[ClusterSatisfaction]:
    """Mean rating per topic cluster; clusters with fewer than k ratings suppressed."""
    k = min_group_size()
    rows = (
        _ratings(network, start, end)
        .order_by()
        .values("cluster_id", "cluster__name")
        .annotate(n=Count("id"), mean=Avg("rating"))
        .order_by(F("cluster__name").asc(nulls_last=True))
    )
    return [
        ClusterSatisfaction(
            cluster_id=row["cluster_id"],
            cluster_name=row["cluster__name"] or "ohne Themencluster",
            count=int(row["n"]),
            mean=float(row["mean"]) if row["n"] >= k else None,
        )
        for row in rows
    ]


def hours_saved_per_quarter(network: Network, *, start: dt.date, end: dt.date) -> list[Period]:
    """Hours saved by the network as people answered, summed per quarter of the answer day.

    Each answer counts the hours of its option (``HOURS_SAVED_OPTIONS``, e.g. "2 bis 5
    Stunden" = 3.5); quarters with fewer than k answers are suppressed.
    """
    k = min_group_size()
    hours = Case(
        *[
            When(number=index, then=Value(h))
            for index, (_label, h) in enumerate(HOURS_SAVED_OPTIONS)
        ],
        default=Value(0.0),
        output_field=FloatField(),
    )
    rows = (
        Answer.objects.filter(
            question__metric=Question.Metric.HOURS_SAVED,
            question__survey__network=network,
            response__submitted_on__gte=start,
            response__submitted_on__lt=end,
            number__isnull=False,
        )
        .annotate(quarter=TruncQuarter("response__submitted_on"))
        .order_by()
        .values("quarter")
        .annotate(n=Count("id"), hours=Sum(hours))
        .order_by("quarter")
    )
    return [
        Period(
            start=_as_date(row["quarter"]),
            count=int(row["n"]),
            value=float(row["hours"]) if row["n"] >= k else None,
        )
        for row in rows
    ]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
