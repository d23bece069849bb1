"""The learning curve: handling time per cluster and quarter, and how fast newcomers start.

- ``handling_time_by_quarter``: the median handling time (hours booked per solved request,
  reversals negative, requests with net bookings only) per topic cluster and calendar quarter
  of ``solved_at``, plus the whole network. Medians by window functions
  (``metrics.sql.medians_by``). A group is shown only when it rests on at least k requests and
  k distinct people who booked on them – a median of fewer would describe one person's work.
- ``newcomer_first_solved``: ``onboarding.metrics.learning_curve`` (median days from the
  start of an onboarding plan to the newcomer's first solved request, and to the plan's
  completion) for the quarters of the period; what it suppressed stays suppressed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, Value, min_group_size
from amtshilfe.indicators.metrics.requests import display_number
from amtshilfe.indicators.metrics.selfhelp import solved_with_bookings
from amtshilfe.indicators.metrics.sql import (
    bucket_index,
    day_start,
    medians_by,
    people_counts,
)
from amtshilfe.indicators.periods import quarters
from amtshilfe.indicators.registry import indicator
from amtshilfe.onboarding.metrics import learning_curve
from amtshilfe.tenancy.models import Network
from amtshilfe.timeaccounting.models import TimeEntry

NETWORK = "__network__"


@indicator(
    "handling_time_by_quarter",
    section="learning",
    title=gettext_lazy("Bearbeitungszeit je Themencluster und Quartal"),
    explanation=gettext_lazy(
        "Median der gebuchten Stunden je gelöster Anfrage, nach Themencluster und Quartal der "
        "Lösung. Sinkt die Linie, lernt das Netzwerk: Anfragen zum Thema gehen schneller."
    ),
    order=10,
)
def handling_time_by_quarter(network: Network, period: Period) -> Figure:
    k = min_group_size()
    spans = quarters(period)
    quarter_keys = [(start.year, (start.month - 1) // 3 + 1) for start, _end, _l in spans]
    # The quarter as the index of its span: datetime comparisons with the quarters' local
    # midnights (no date function per row), computed once per row by ``medians_by``.
    solved = solved_with_bookings(network, day_start(spans[0][0]), day_start(period.end)).annotate(
        quarter=bucket_index("solved_at", spans)
    )
    per_cluster, overall = medians_by(
        solved, value="minutes", partitions=[["cluster_id", "quarter"], ["quarter"]]
    )
    booked = (
        TimeEntry.objects.filter(request__in=solved.values("pk"))
        .annotate(quarter=bucket_index("request__solved_at", spans))
        .order_by()
    )
    per_group, per_quarter = people_counts(
        booked, fine=["request__cluster_id", "quarter"], coarse=["quarter"]
    )
    people = {(cluster, quarter_keys[index]): n for (cluster, index), n in per_group.items()}
    people.update({(NETWORK, quarter_keys[index]): n for (index,), n in per_quarter.items()})
    found: dict[tuple[Any, tuple[int, int]], tuple[int, float]] = {
        (key[0], quarter_keys[key[1]]): value for key, value in per_cluster.items()
    }
    found.update({(NETWORK, quarter_keys[key[0]]): value for key, value in overall.items()})

    def values(group: Any) -> list[Value]:
        result: list[Value] = []
        for quarter in quarter_keys:
            size, minutes = found.get((group, quarter), (0, 0.0))
            enough = size >= k and people.get((group, quarter), 0) >= k
            result.append(round(minutes / 60, 2) if enough else None)
        return result

    names = dict(network.clusters.values_list("pk", "name"))
    slugs = dict(network.clusters.values_list("pk", "slug"))
    cluster_ids = sorted(
        {group for group, _quarter in found if group != NETWORK},
        key=lambda pk: (pk is None, names.get(pk, "").casefold()),
    )
    series = [Series("network", _("alle Themen"), values(NETWORK))]
    for pk in cluster_ids:
        label = names.get(pk, "") if pk is not None else _("ohne Themencluster")
        key = slugs.get(pk, "") if pk is not None else "ohne-cluster"
        series.append(Series(key, str(label), values(pk)))
    latest = series[0].values[-1] if series[0].values else None
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Stunden"),
        chart="line",
        category_label=_("Quartal"),
        categories=[label for _s, _e, label in spans],
        category_keys=[start.isoformat() for start, _e, _l in spans],
        series=series,
        key_numbers=[
            KeyNumber(
                _("Median im letzten Quartal, alle Themen"),
                latest,
                _("%(hours)s Std.") % {"hours": display_number(latest, 2)},
            )
        ],
        formula=_(
            "Bearbeitungszeit einer Anfrage = Summe der darauf gebuchten Stunden "
            "(Korrekturbuchungen abgezogen); je Gruppe der Median über die im Quartal gelösten "
            "Anfragen."
        ),
        notes=[
            _(
                "– = weniger als %(k)s gelöste Anfragen mit gebuchter Zeit oder weniger als "
                "%(k)s Personen, die darauf gebucht haben; aus Datenschutzgründen nicht "
                "angezeigt."
            )
            % {"k": k}
        ],
    )


@indicator(
    "newcomer_first_solved",
    section="learning",
    title=gettext_lazy("Einarbeitung neuer IT-Fachkräfte"),
    explanation=gettext_lazy(
        "Wie viele Tage es nach dem Start einer Einarbeitung dauert, bis neue IT-Fachkräfte "
        "ihre erste Anfrage im Themencluster gelöst haben, und bis die Einarbeitung "
        "abgeschlossen ist (jeweils Median, nach Quartal des Ereignisses)."
    ),
    order=20,
)
def newcomer_first_solved(network: Network, period: Period) -> Figure:
    k = min_group_size()
    spans = quarters(period)
    wanted = {(start.year, (start.month - 1) // 3 + 1): label for start, _end, label in spans}
    rows = [row for row in learning_curve(network) if (row["year"], row["quarter"]) in wanted]
    slugs = dict(network.clusters.values_list("pk", "slug"))
    first_solved = sum(row["first_solved_request"]["count"] or 0 for row in rows)
    completed = sum(row["completed_plans"]["count"] or 0 for row in rows)
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Tage"),
        chart="hbar",
        category_label=_("Themencluster und Quartal"),
        categories=[
            _("%(cluster)s, %(quarter)s")
            % {"cluster": row["cluster"], "quarter": wanted[(row["year"], row["quarter"])]}
            for row in rows
        ],
        category_keys=[
            f"{slugs.get(row['cluster_id'], '')}-{row['year']}-q{row['quarter']}" for row in rows
        ],
        series=[
            Series(
                "first_solved_days",
                _("Tage bis zur ersten gelösten Anfrage (Median)"),
                [row["first_solved_request"]["median_days"] for row in rows],
            ),
            Series(
                "completed_days",
                _("Tage bis zum Abschluss der Einarbeitung (Median)"),
                [row["completed_plans"]["median_days"] for row in rows],
            ),
        ],
        key_numbers=[
            KeyNumber(
                _("Neue mit erster gelöster Anfrage (in ausgewiesenen Gruppen)"),
                first_solved,
                display_number(first_solved),
            ),
            KeyNumber(
                _("abgeschlossene Einarbeitungen (in ausgewiesenen Gruppen)"),
                completed,
                display_number(completed),
            ),
        ],
        notes=[
            _(
                "– = keine Angabe: weniger als %(k)s Personen in der Gruppe (aus "
                "Datenschutzgründen nicht angezeigt) oder kein solches Ereignis im Quartal."
            )
            % {"k": k}
        ],
    )
