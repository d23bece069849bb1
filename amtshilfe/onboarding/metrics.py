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
returns only the one or two middle rows, and their mean is the median. The windows are plain
SQL around the ORM's query (``lib.window_median``), so that ``first_solved`` – a correlated
subquery – is evaluated once per plan, not again in every window and filter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.conf import settings
from django.db import connections
from django.db.models import (
    DateField,
    Exists,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate

from amtshilfe.board.models import RequestEvent, ServiceRequest
from amtshilfe.lib.window_median import column, middle_values
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


class _DayBefore(Func):
    """The day before a date, in the database's own date arithmetic (no Python function)."""

    template = "(%(expressions)s - 1)"  # PostgreSQL: date − integer
    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = "DATE(%(expressions)s, '-1 day')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _medians(plans: QuerySet[Any], *, day: str) -> dict[Key, tuple[int, float]]:
    """``{(cluster, year, quarter): (count, median days)}`` from ``started_on`` to ``day``.

    ``day`` is a date field or annotation of ``plans`` (``NULL``: the plan does not count).

    1. The ORM selects cluster, ``day`` and ``started_on`` of each plan – ``day`` once,
       however costly (``first_solved`` is a correlated subquery).
    2. Around it (``lib.window_median``), rows are grouped by cluster and the year and
       quarter of ``day``, numbered by the days from start to ``day`` (window
       ``ROW_NUMBER``) and counted (window ``COUNT``).
    3. Only the middle row (odd count) or the two middle rows (even count) come back.
    4. The median is the mean of what is kept.
    """
    ops = connections[plans.db].ops
    year = ops.date_extract_sql("year", "event_day", ())
    quarter = ops.date_extract_sql("quarter", "event_day", ())
    span = ops.subtract_temporals("DateField", ("event_day", ()), ("start_day", ()))
    found = middle_values(
        plans,
        columns={"group_cluster": "cluster_id", "event_day": day, "start_day": "started_on"},
        value=span,
        partition=[column("group_cluster"), year, quarter],
    )
    result: dict[Key, tuple[int, float]] = {}
    for (cluster, group_year, group_quarter), middle in found.items():
        days = sum(_as_timedelta(value).total_seconds() for value in middle.values) / 86400
        key = (int(cluster), int(group_year), int(group_quarter))
        result[key] = (middle.size, round(days / len(middle.values), 1))
    return result


def _as_timedelta(value: Any) -> dt.timedelta:
    # A difference of dates is an interval on PostgreSQL, microseconds on SQLite.
    if isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=int(value))


def first_solved_on(plans: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate ``first_solved``: the day the newcomer first solved a request of the cluster.

    The conditions are written cheapest first, the order in which SQLite tests them: a
    request solved before the day before the start is ruled out by a plain comparison,
    before the local day of ``solved_at`` is worked out and before the assignee history
    is searched.
    """
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
            cluster_id=OuterRef("cluster_id"), status__in=ServiceRequest.FINISHED
        )
        # Necessary, not sufficient (local midnight is less than a day before UTC's)
        .filter(solved_at__gte=_DayBefore(OuterRef("started_on")))
        .filter(solved_at__date__gte=OuterRef("started_on"))
        .filter(Q(assignee_id=OuterRef("newcomer_id")) | Exists(assigned_ever))
        .order_by()
        .values("cluster_id")
        .annotate(first=Min("solved_at"))
        .values("first")
    )
    return plans.annotate(first_solved=TruncDate(Subquery(solved[:1]), output_field=DateField()))


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
    completion = _medians(plans.filter(status=OnboardingPlan.Status.COMPLETED), day="completed_on")
    with_first = first_solved_on(plans.exclude(status=OnboardingPlan.Status.CANCELLED))
    first_solved = _medians(with_first, day="first_solved")
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
