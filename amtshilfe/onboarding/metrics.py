"""The learning-curve feed: how fast newcomers get going, per cluster and quarter – aggregated.

Two figures per topic cluster and calendar quarter, both computed by the database:

- completed plans in the quarter (by ``completed_on``) and the median days from start to
  completion;
- newcomers whose first solved request fell in the quarter and the median days from the start
  of their plan to that request. "Solved" is a request of the plan's cluster that the newcomer
  worked on – assignee now, or assigned at some point (an ``assignee`` event of the board's
  history) – that is done or closed, solved on or after the plan's start.

No figure is about one person (staff-council rule): a group smaller than
``settings.AMTSHILFE_MIN_GROUP_SIZE`` is suppressed – its count and median are ``None`` and
``suppressed`` is true. The indicators app displays this feed.

The median is portable SQL (SQLite and PostgreSQL alike, neither needs ``percentile_cont``):
window functions number the rows of each group by duration and count them, the database
returns only the one or two middle rows, and their mean is the median.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TypedDict

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.expressions import BaseExpression
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, ExtractQuarter, ExtractYear, RowNumber, TruncDate

from amtshilfe.board.models import RequestEvent, ServiceRequest
from amtshilfe.onboarding.models import OnboardingPlan
from amtshilfe.tenancy.models import Network


class GroupFigure(TypedDict):
    count: int | None
    median_days: float | None
    suppressed: bool


class LearningCurveRow(TypedDict):
    cluster_id: int
    cluster: str
    year: int
    quarter: int
    completed_plans: GroupFigure
    first_solved_request: GroupFigure


Key = tuple[int, int, int]  # cluster id, year, quarter


def _medians(plans: object, *, day: str, span: ExpressionWrapper) -> dict[Key, tuple[int, float]]:
    """``{(cluster, year, quarter): (count, median days)}`` of ``span`` over ``plans``.

    1. Group rows by cluster and the year and quarter of the date ``day``.
    2. Number each group's rows by ``span`` (window ``ROW_NUMBER``) and count them
       (window ``COUNT``).
    3. Keep the middle row (odd count) or the two middle rows (even count).
    4. The median is the mean of what is kept.
    """
    partition: list[BaseExpression | F] = [F("cluster_id"), ExtractYear(day), ExtractQuarter(day)]
    ranked = plans.annotate(  # type: ignore[attr-defined]
        span=span,
        group_year=ExtractYear(day),
        group_quarter=ExtractQuarter(day),
        rank=Window(RowNumber(), partition_by=partition, order_by=[span.asc(), F("pk").asc()]),
        size=Window(Count("pk"), partition_by=partition),
    )
    middle = ranked.filter(rank__gte=(F("size") + 1) / 2, rank__lte=F("size") / 2 + 1)
    spans: dict[Key, list[dt.timedelta]] = defaultdict(list)
    sizes: dict[Key, int] = {}
    for row in middle.values("cluster_id", "group_year", "group_quarter", "span", "size"):
        key = (row["cluster_id"], row["group_year"], row["group_quarter"])
        spans[key].append(row["span"])
        sizes[key] = row["size"]
    return {
        key: (sizes[key], round(sum(s.total_seconds() for s in values) / len(values) / 86400, 1))
        for key, values in spans.items()
    }


def first_solved_on(plans: object) -> object:
    """Annotate ``first_solved``: the day the newcomer first solved a request of the cluster."""
    # The JSON value is cast to a number so that PostgreSQL compares it with the user id.
    assigned_ever = RequestEvent.objects.annotate(
        to_id=Cast(KT("data__to__id"), output_field=IntegerField())
    ).filter(
        request=OuterRef("pk"),
        kind=RequestEvent.Kind.ASSIGNEE,
        to_id=OuterRef(OuterRef("newcomer_id")),
    )
    solved = (
        ServiceRequest.objects.filter(
            cluster_id=OuterRef("cluster_id"),
            status__in=ServiceRequest.FINISHED,
            solved_at__isnull=False,
            solved_at__date__gte=OuterRef("started_on"),
        )
        .filter(Q(assignee_id=OuterRef("newcomer_id")) | Exists(assigned_ever))
        .order_by()
        .values("cluster_id")
        .annotate(first=Min("solved_at"))
        .values("first")
    )
    return plans.annotate(  # type: ignore[attr-defined]
        first_solved=TruncDate(Subquery(solved[:1]), output_field=DateField())
    )


def _figure(found: tuple[int, float] | None, minimum: int) -> GroupFigure:
    if found is None:
        return {"count": 0, "median_days": None, "suppressed": False}
    count, median = found
    if count < minimum:
        return {"count": None, "median_days": None, "suppressed": True}
    return {"count": count, "median_days": median, "suppressed": False}


def learning_curve(network: Network) -> list[LearningCurveRow]:
    """Per cluster and quarter: completed plans and time to the first solved request.

    Rows are sorted by quarter, then cluster name; small groups are suppressed (see module).
    """
    minimum = settings.AMTSHILFE_MIN_GROUP_SIZE
    plans = OnboardingPlan.objects.in_network(network)
    completion = _medians(
        plans.filter(status=OnboardingPlan.Status.COMPLETED),
        day="completed_on",
        span=ExpressionWrapper(F("completed_on") - F("started_on"), output_field=DurationField()),
    )
    with_first = first_solved_on(plans.exclude(status=OnboardingPlan.Status.CANCELLED))
    first_solved = _medians(
        with_first.filter(first_solved__isnull=False),  # type: ignore[attr-defined]
        day="first_solved",
        span=ExpressionWrapper(F("first_solved") - F("started_on"), output_field=DurationField()),
    )
    names = dict(network.clusters.values_list("pk", "name"))
    keys = sorted(set(completion) | set(first_solved), key=lambda k: (k[1], k[2], names[k[0]]))
    return [
        {
            "cluster_id": key[0],
            "cluster": names[key[0]],
            "year": key[1],
            "quarter": key[2],
            "completed_plans": _figure(completion.get(key), minimum),
            "first_solved_request": _figure(first_solved.get(key), minimum),
        }
        for key in keys
    ]
