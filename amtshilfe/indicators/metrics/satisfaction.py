"""Satisfaction of administration staff with the help they got: the request ratings (1–5 stars).

The numbers come from ``amtshilfe.surveys.metrics`` (one place for the rating queries); this
module only turns them into ``Figure``s:

- ``satisfaction`` (public): distribution of the ratings 1–5 in the period, mean and count;
- ``satisfaction_trend``: mean rating per bucket of the period (week, month or quarter);
- ``satisfaction_by_cluster``: mean rating per topic cluster.

Staff council: a mean or distribution resting on fewer than ``AMTSHILFE_MIN_GROUP_SIZE``
ratings is ``None`` (suppressed; the pages add the "–" note). The trend and the clusters show
means only, never the number of ratings per bucket or cluster, so a suppressed mean cannot be
recomputed from the overall mean and count of ``satisfaction``.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, Value
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.registry import indicator
from amtshilfe.surveys import metrics
from amtshilfe.tenancy.models import Network


def _shown(value: Value, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _mean(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@indicator(
    "satisfaction",
    section="satisfaction",
    title=gettext_lazy("Zufriedenheit mit der Hilfe"),
    explanation=gettext_lazy(
        "Nach jeder erledigten Anfrage können die Verwaltungsmitarbeitenden 1 bis 5 Sterne "
        "vergeben. Das Diagramm zeigt, wie oft jede Bewertung im Zeitraum vergeben wurde."
    ),
    order=10,
    public=True,
)
def satisfaction(network: Network, period: Period) -> Figure:
    found = metrics.satisfaction(network, start=period.start, end=period.end)
    distribution = found.distribution
    values: list[Value] = [
        None if distribution is None else distribution[stars] for stars in range(1, 6)
    ]
    mean = _mean(found.mean)
    return Figure(
        key="satisfaction",
        title="",
        explanation="",
        unit=_("Bewertungen"),
        chart="bar",
        category_label=_("Bewertung"),
        categories=[
            ngettext("%(n)s Stern", "%(n)s Sterne", stars) % {"n": stars} for stars in range(1, 6)
        ],
        category_keys=[str(stars) for stars in range(1, 6)],
        series=[Series(key="ratings", label=_("Anzahl Bewertungen"), values=values)],
        key_numbers=[
            KeyNumber(label=_("Mittelwert (1 bis 5)"), value=mean, display=_shown(mean, 1)),
            KeyNumber(label=_("Bewertungen"), value=found.count, display=_shown(found.count)),
        ],
    )


@indicator(
    "satisfaction_trend",
    section="satisfaction",
    title=gettext_lazy("Zufriedenheit im Verlauf"),
    explanation=gettext_lazy(
        "Die durchschnittliche Bewertung (1 bis 5 Sterne) je Woche, Monat oder Quartal. "
        "Abschnitte mit zu wenigen Bewertungen bleiben aus Datenschutzgründen leer."
    ),
    order=20,
)
def satisfaction_trend(network: Network, period: Period) -> Figure:
    chart_buckets = buckets(period)
    starts = {start: index for index, (start, _end, _label) in enumerate(chart_buckets)}
    means: list[Value] = [None] * len(chart_buckets)
    for row in metrics.satisfaction_trend(
        network, start=period.start, end=period.end, bucket=period.bucket
    ):
        # The database truncates to natural week/month/quarter starts, but the first
        # bucket is cut to the period: its natural start lies before ``period.start``.
        index = starts.get(max(row.start, period.start))
        if index is not None:
            means[index] = _mean(row.value)
    return Figure(
        key="satisfaction_trend",
        title="",
        explanation="",
        unit=_("Sterne"),
        chart="line",
        category_label=_bucket_label(period),
        categories=[label for _start, _end, label in chart_buckets],
        category_keys=[start.isoformat() for start, _end, _label in chart_buckets],
        series=[Series(key="mean", label=_("Mittelwert (1 bis 5)"), values=means)],
    )


@indicator(
    "satisfaction_by_cluster",
    section="satisfaction",
    title=gettext_lazy("Zufriedenheit je Themencluster"),
    explanation=gettext_lazy(
        "Die durchschnittliche Bewertung der Anfragen je Themencluster im Zeitraum. "
        "Themencluster mit zu wenigen Bewertungen werden nicht gezeigt."
    ),
    order=30,
)
def satisfaction_by_cluster(network: Network, period: Period) -> Figure:
    rows = metrics.satisfaction_by_cluster(network, start=period.start, end=period.end)
    means: list[Value] = [_mean(row.mean) for row in rows]
    return Figure(
        key="satisfaction_by_cluster",
        title="",
        explanation="",
        unit=_("Sterne"),
        chart="hbar",
        category_label=_("Themencluster"),
        categories=[
            row.cluster_name if row.cluster_id is not None else _("ohne Themencluster")
            for row in rows
        ],
        category_keys=[str(row.cluster_id) if row.cluster_id is not None else "" for row in rows],
        series=[Series(key="mean", label=_("Mittelwert (1 bis 5)"), values=means)],
    )


def _bucket_label(period: Period) -> str:
    return {"week": _("Woche"), "month": _("Monat"), "quarter": _("Quartal")}[period.bucket]
