"""Where requests are: the cumulative flow (per day) and the ageing work in progress.

Both read the request history (``RequestEvent``), so they answer for any past moment, not
only for today.

**Cumulative flow.** The number of cards in a column kind at a moment is the number of times
a card entered a column of that kind before it, minus the number of times one left such a
column: a ``created`` event enters its first column, a ``column`` event leaves its ``from``
column and enters its ``to`` column (a reorder inside one column enters and leaves the same
kind and cancels out). So the database only counts events – per kind before the period, and
per kind before the end of each day shown (one conditional ``COUNT`` per day, midnight in
the site's time zone) inside it. The level before the
period is counted forward from the first event, or backward from the board as it is when
that reads fewer events (see ``cards_per_kind_by_day``). Columns are folded by
kind, cluster boards included.

**Ageing work in progress.** Requests filed before the end of the period and not in a done
column at that moment, by age (days since filing, whole days) and column kind. For a period
that ends now or later this is the board as it is; for an earlier end the column of every
request at that moment is its last entry before it (a correlated subquery on the
``request_id`` index).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from amtshilfe.board.models import Column, RequestEvent, ServiceRequest
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.process.durations import json_text
from amtshilfe.indicators.registry import as_datetime_range
from amtshilfe.tenancy.models import Network

Kind = RequestEvent.Kind
COLUMN_KINDS: list[str] = [str(k) for k in Column.Kind.values]
OPEN_KINDS: list[str] = [k for k in COLUMN_KINDS if k != Column.Kind.DONE]

# Age bands of the ageing figure: (key, first day, last day or None = open-ended).
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-2", 0, 2),
    ("3-7", 3, 7),
    ("8-14", 8, 14),
    ("15-30", 15, 30),
    ("31+", 31, None),
]


def _entry_kind() -> Coalesce:
    """The column kind a ``created``/``column`` event puts the card into."""
    return Coalesce(json_text("data__to__kind"), json_text("data__column__kind"))


ENTERING: list[str] = [Kind.CREATED, Kind.COLUMN]
LEAVING: list[str] = [Kind.COLUMN]


def _net_by_kind(
    network: Network, *, since: dt.datetime | None = None, before: dt.datetime | None = None
) -> dict[str, int]:
    """Entries minus exits per column kind of the events in ``[since, before)``."""
    level: dict[str, int] = defaultdict(int)
    bounds: dict[str, dt.datetime] = {}
    if since is not None:
        bounds["created_at__gte"] = since
    if before is not None:
        bounds["created_at__lt"] = before
    for kinds, column_kind, sign in (
        (ENTERING, _entry_kind(), +1),
        (LEAVING, json_text("data__from__kind"), -1),
    ):
        rows = (
            RequestEvent.objects.filter(network=network, kind__in=kinds, **bounds)
            .annotate(column_kind=column_kind)
            .values("column_kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            level[row["column_kind"]] += sign * row["n"]
    return level


def _net_before(
    network: Network, start: dt.datetime, points: list[dt.datetime]
) -> dict[str, list[int]]:
    """Per column kind, entries minus exits of the events in ``[start, point)`` per point.

    One conditional count per point (plain comparisons, no date functions), two queries.
    """
    net: dict[str, list[int]] = defaultdict(lambda: [0] * len(points))
    counts = {
        f"p{index}": Count("pk", filter=Q(created_at__lt=point))
        for index, point in enumerate(points)
    }
    for kinds, column_kind, sign in (
        (ENTERING, _entry_kind(), +1),
        (LEAVING, json_text("data__from__kind"), -1),
    ):
        rows = (
            RequestEvent.objects.filter(
                network=network, kind__in=kinds, created_at__gte=start, created_at__lt=points[-1]
            )
            .annotate(column_kind=column_kind)
            .values("column_kind")
            .annotate(**counts)
            .order_by()
        )
        for row in rows:
            line = net[row["column_kind"]]
            for index in range(len(points)):
                line[index] += sign * row[f"p{index}"]
    return net


def read_backwards(network: Network, start: dt.datetime) -> bool:
    """Fewer entry events since ``start`` than before it: start from the board as it is."""
    events = RequestEvent.objects.filter(network=network, kind__in=ENTERING)
    return (
        events.filter(created_at__gte=start).count() < events.filter(created_at__lt=start).count()
    )


def cards_per_kind_at(
    network: Network, period: Period, days: list[dt.date], *, backwards: bool | None = None
) -> dict[dt.date, dict[str, int]]:
    """``{day: {column kind: cards at the end of that day}}`` for ``days`` of ``period``.

    The level at the start of the period is counted forward from the first event or – when
    fewer events lie after the start (the usual recent period) – backward from the board
    as it is now (cards per column kind minus what changed since the start). Both give
    the same numbers because every move of a card is an event.
    """
    start, end = as_datetime_range(period)
    points = [
        timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
        for day in days
    ]
    net = _net_before(network, start, [*points, end])
    if backwards is None:
        backwards = read_backwards(network, start)
    level: dict[str, int] = defaultdict(int)
    if backwards:
        now = (
            ServiceRequest.objects.filter(network=network)
            .values("column__kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in now:
            level[row["column__kind"]] += row["n"]
        for kind, line in net.items():
            level[kind] -= line[-1]
        for kind, n in _net_by_kind(network, since=end).items():
            level[kind] -= n
    else:
        for kind, n in _net_by_kind(network, before=start).items():
            level[kind] += n
    return {
        day: {kind: level[kind] + net[kind][index] for kind in COLUMN_KINDS}
        for index, day in enumerate(days)
    }


@dataclass(frozen=True)
class Ageing:
    """Open requests at ``moment`` by age band and column kind."""

    moment: dt.datetime
    counts: dict[tuple[str, str], int]  # (band key, column kind) → requests

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _age_band(moment: dt.datetime) -> Case:
    """The band of ``created_at``: a request is ``d`` whole days old if it was filed after
    ``moment - (d + 1) days``; comparisons against constants, so any index on time helps."""
    whens = [
        When(created_at__gt=moment - dt.timedelta(days=last + 1), then=Value(key))
        for key, _first, last in AGE_BANDS
        if last is not None
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def ageing_wip(network: Network, period: Period) -> Ageing:
    """Open requests at the end of ``period`` (or now, if that is earlier) by age and kind."""
    _start, end = as_datetime_range(period)
    now = timezone.now()
    moment = min(end, now)
    requests = ServiceRequest.objects.filter(network=network, created_at__lt=moment)
    if end >= now:
        # The board as it is: the request's column says where it is.
        located = requests.exclude(column__kind=Column.Kind.DONE).annotate(
            column_kind=F("column__kind")
        )
    else:
        last_entry = (
            RequestEvent.objects.filter(
                request_id=OuterRef("pk"),
                kind__in=[Kind.CREATED, Kind.COLUMN],
                created_at__lt=moment,
            )
            .annotate(entered_kind=_entry_kind())
            .order_by("-created_at", "-id")
            .values("entered_kind")
        )
        located = (
            requests.annotate(column_kind=Subquery(last_entry[:1]))
            .filter(column_kind__isnull=False)
            .filter(~Q(column_kind=Column.Kind.DONE))
        )
    rows = (
        located.annotate(band=_age_band(moment))
        .values("band", "column_kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Ageing(
        moment=moment, counts={(row["band"], row["column_kind"]): row["n"] for row in rows}
    )
