"""Self-help: how often people solved a problem themselves, and the hours that saved.

- ``self_help_rate`` = self-help successes ÷ (successes + requests filed), per bucket and for
  the period (``SelfHelpSuccess.created_at``, ``ServiceRequest.created_at``). A bucket (or the
  period) with a denominator under k is suppressed.
- ``hours_saved``, two parts that are never added up (they may describe the same hours):

  1. *Estimated from self-help*: Σ over topic clusters (successes whose article is in the
     cluster × median handling time of the cluster) + successes without a cluster × the
     network-wide median. The handling time of a request is the hours booked on it
     (``TimeEntry``, reversals negative) – requests solved (done or closed) in the twelve
     months before the period's end that have bookings (net minutes > 0). A cluster median
     is used only when it rests on at least k such requests *and* k people who booked on
     them (a median of fewer is one person's work); otherwise the network median stands in,
     which needs the same. Without a usable network median nothing is estimated.
  2. *Per surveys*: ``surveys.metrics.hours_saved_per_quarter`` (answers to questions with
     ``metric = hours_saved``; quarters with fewer than k answers suppressed there).

  Both per calendar quarter (cut to the period). A quarter's estimate resting on fewer than
  k successes is suppressed, with the complementary rule of ``metrics.requests``; in the
  formula, cluster lines of fewer than k successes are merged into "weitere Themen" (and
  while that line has 1 … k − 1 successes the smallest other line joins it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.board.models import SelfHelpSuccess, ServiceRequest
from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, min_group_size
from amtshilfe.indicators.metrics.requests import display_number, hide_small
from amtshilfe.indicators.metrics.sql import (
    bucket_index,
    day_start,
    handling_minutes,
    medians_by,
    people_counts,
)
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.registry import as_datetime_range, indicator
from amtshilfe.surveys.metrics import hours_saved_per_quarter
from amtshilfe.tenancy.models import Network
from amtshilfe.timeaccounting.models import TimeEntry

HANDLING_WINDOW_MONTHS = 12


def _counts_per_bucket(rows: QuerySet[Any], spans: list[tuple[dt.date, dt.date, str]]) -> list[int]:
    found = {
        row["bucket"]: row["n"]
        for row in rows.annotate(bucket=bucket_index("created_at", spans))
        .order_by()
        .values("bucket")
        .annotate(n=Count("pk"))
    }
    return [found.get(index, 0) for index in range(len(spans))]


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


@indicator(
    "self_help_rate",
    section="self_help",
    title=gettext_lazy("Selbsthilfequote"),
    explanation=gettext_lazy(
        "Anteil der Fälle, die Beschäftigte mit einem Artikel der Wissensdatenbank selbst "
        "lösen konnten („Das hat geholfen“), an allen Fällen – den selbst gelösten und den "
        "gestellten Anfragen."
    ),
    order=10,
    public=True,
)
def self_help_rate(network: Network, period: Period) -> Figure:
    k = min_group_size()
    spans = buckets(period)
    start, end = as_datetime_range(period)
    successes = _counts_per_bucket(
        SelfHelpSuccess.objects.filter(network=network, created_at__gte=start, created_at__lt=end),
        spans,
    )
    requests = _counts_per_bucket(
        ServiceRequest.objects.filter(network=network, created_at__gte=start, created_at__lt=end),
        spans,
    )
    rates: list[int | float | None] = [
        _percent(s, s + r) if s + r >= k else None for s, r in zip(successes, requests, strict=True)
    ]
    total_s, total_r = sum(successes), sum(requests)
    shown = total_s + total_r >= k
    rate = _percent(total_s, total_s + total_r) if shown else None
    if shown:
        formula = _("Selbsthilfequote = %(s)s ÷ (%(s)s + %(r)s) = %(rate)s %%") % {
            "s": display_number(total_s),
            "r": display_number(total_r),
            "rate": display_number(rate, 1),
        }
    else:
        formula = _(
            "Selbsthilfequote = Selbsthilfe-Erfolge ÷ (Selbsthilfe-Erfolge + gestellte "
            "Anfragen); im Zeitraum weniger als %(k)s Fälle, daher keine Angabe."
        ) % {"k": k}
    return Figure(
        key="",
        title="",
        explanation="",
        unit="%",
        chart="line",
        category_label=_("Zeitabschnitt"),
        categories=[label for _s, _e, label in spans],
        category_keys=[s.isoformat() for s, _e, _label in spans],
        series=[Series("rate", _("Selbsthilfequote in %"), rates)],
        key_numbers=[
            KeyNumber(
                _("Selbsthilfequote im Zeitraum"),
                rate,
                f"{display_number(rate, 1)} %" if rate is not None else display_number(None),
            ),
            KeyNumber(
                _("Selbsthilfe-Erfolge"),
                total_s if shown else None,
                display_number(total_s if shown else None),
            ),
            KeyNumber(
                _("gestellte Anfragen"),
                total_r if shown else None,
                display_number(total_r if shown else None),
            ),
        ],
        formula=formula,
        notes=[
            _("– = weniger als %(k)s Fälle im Zeitabschnitt; nicht angezeigt.") % {"k": k},
        ],
    )


def year_before(day: dt.date) -> dt.date:
    """The same day one year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class HandlingTimes:
    """Median hours per solved request: per usable cluster and for the network."""

    clusters: dict[int, float]  # only clusters whose median rests on ≥ k requests and people
    network: float | None  # None: fewer than k requests or people – nothing is estimated
    window_start: dt.date
    window_end: dt.date  # exclusive


def solved_with_bookings(
    network: Network, start: dt.datetime, end: dt.datetime
) -> QuerySet[ServiceRequest]:
    """Requests solved in ``[start, end)`` annotated with ``minutes`` booked (> 0 only)."""
    return (
        ServiceRequest.objects.filter(
            network=network,
            status__in=ServiceRequest.FINISHED,
            solved_at__gte=start,
            solved_at__lt=end,
        )
        .annotate(minutes=handling_minutes())
        .filter(minutes__gt=0)
    )


def handling_times(network: Network, end: dt.date) -> HandlingTimes:
    """The median handling times of requests solved in the 12 months before ``end``."""
    k = min_group_size()
    window_start = year_before(end)
    solved = solved_with_bookings(network, day_start(window_start), day_start(end))
    per_cluster, whole = medians_by(solved, value="minutes", partitions=[["cluster_id"], []])
    overall = whole.get(())
    booked = TimeEntry.objects.filter(request__in=solved.values("pk"))
    per_cluster_people, everyone = people_counts(booked, fine=["request__cluster_id"])
    people = {key[0]: n for key, n in per_cluster_people.items()}
    all_people = everyone.get((), 0)
    clusters = {
        key[0]: minutes / 60
        for key, (size, minutes) in per_cluster.items()
        if key[0] is not None and size >= k and people.get(key[0], 0) >= k
    }
    usable = overall is not None and overall[0] >= k and all_people >= k
    return HandlingTimes(
        clusters=clusters,
        network=overall[1] / 60 if usable and overall is not None else None,
        window_start=window_start,
        window_end=end,
    )


@dataclass
class FormulaLine:
    label: str
    successes: int
    hours: float
    per_success: float | None  # None for the merged line
    network_median: bool = False


def formula_lines(lines: list[FormulaLine], k: int) -> list[FormulaLine]:
    """Lines of at least k successes; the others merged into "weitere Themen" (see module)."""
    shown = sorted((line for line in lines if line.successes >= k), key=lambda x: x.successes)
    rest = [line for line in lines if line.successes < k]
    while shown and 0 < sum(line.successes for line in rest) < k:
        rest.append(shown.pop(0))
    result = sorted(shown, key=lambda line: line.label.casefold())
    if sum(line.successes for line in rest):
        result.append(
            FormulaLine(
                label=_("weitere Themen"),
                successes=sum(line.successes for line in rest),
                hours=sum(line.hours for line in rest),
                per_success=None,
            )
        )
    return result


def _hours(value: float | None) -> str:
    return _("%(hours)s Std.") % {"hours": display_number(value, 1)}


def _line_text(line: FormulaLine) -> str:
    values = {
        "label": line.label,
        "n": display_number(line.successes),
        "per": display_number(line.per_success, 2),
        "hours": display_number(line.hours, 1),
    }
    if line.per_success is None:
        return _("%(label)s: %(n)s Erfolge = %(hours)s Std.") % values
    if line.network_median:
        return _("%(label)s: %(n)s Erfolge × %(per)s Std. (Netzwerk-Median) = %(hours)s Std.") % (
            values
        )
    return _("%(label)s: %(n)s Erfolge × %(per)s Std. = %(hours)s Std.") % values


@indicator(
    "hours_saved",
    section="self_help",
    title=gettext_lazy("Eingesparte Arbeitszeit"),
    explanation=gettext_lazy(
        "Zwei Schätzungen nebeneinander: Jede gelungene Selbsthilfe erspart ungefähr so viel "
        "Zeit, wie eine Anfrage zum selben Thema üblicherweise kostet (Median der gebuchten "
        "Stunden). Dazu die Stunden, die Beschäftigte in Umfragen als eingespart angegeben haben."
    ),
    order=20,
)
def hours_saved(network: Network, period: Period) -> Figure:
    """Per quarter: hours estimated from self-help and hours per surveys (see module)."""
    k = min_group_size()
    spans = buckets(dataclasses.replace(period, bucket="quarter"))
    start, end = as_datetime_range(period)
    times = handling_times(network, period.end)
    rows = (
        SelfHelpSuccess.objects.filter(network=network, created_at__gte=start, created_at__lt=end)
        .annotate(bucket=bucket_index("created_at", spans))
        .order_by()
        .values("bucket", "article__cluster_id")
        .annotate(n=Count("pk"))
    )
    per_quarter = [0] * len(spans)
    per_cluster: dict[int | None, int] = defaultdict(int)
    quarter_hours = [0.0] * len(spans)
    for row in rows:
        cluster, n = row["article__cluster_id"], row["n"]
        per_quarter[row["bucket"]] += n
        per_cluster[cluster] += n
        if times.network is not None:
            rate = times.clusters.get(cluster, times.network) if cluster else times.network
            quarter_hours[row["bucket"]] += n * rate
    total_successes = sum(per_quarter)
    estimable = times.network is not None
    hidden = hide_small(per_quarter, k)
    estimated: list[int | float | None] = [
        round(hours, 1) if estimable and not hide else None
        for hours, hide in zip(quarter_hours, hidden, strict=True)
    ]
    total_estimate = round(sum(quarter_hours), 1) if estimable and total_successes >= k else None
    if total_successes == 0 and estimable:
        total_estimate = 0.0

    survey_rows = hours_saved_per_quarter(network, start=period.start, end=period.end)
    by_quarter = {(row.start.year, (row.start.month - 1) // 3): row for row in survey_rows}
    surveyed: list[int | float | None] = []
    for span_start, _end, _label in spans:
        found = by_quarter.get((span_start.year, (span_start.month - 1) // 3))
        surveyed.append(0.0 if found is None else found.value)
    survey_total = (
        None if any(v is None for v in surveyed) else round(sum(v or 0.0 for v in surveyed), 1)
    )
    answers = sum(row.count for row in survey_rows)

    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Stunden"),
        chart="bar",
        category_label=_("Quartal"),
        categories=[label for _s, _e, label in spans],
        category_keys=[s.isoformat() for s, _e, _label in spans],
        series=[
            Series("self_help", _("aus Selbsthilfe geschätzt"), estimated),
            Series("surveys", _("laut Umfragen"), surveyed),
        ],
        key_numbers=[
            KeyNumber(_("aus Selbsthilfe geschätzt"), total_estimate, _hours(total_estimate)),
            KeyNumber(_("laut Umfragen"), survey_total, _hours(survey_total)),
            KeyNumber(
                _("Umfrageantworten zur eingesparten Zeit"), answers, display_number(answers)
            ),
        ],
        formula=_formula(times, per_cluster, total_successes, survey_total, network, k),
        notes=[
            _(
                "– = weniger als %(k)s Selbsthilfe-Erfolge bzw. Umfrageantworten im Quartal, "
                "oder zu wenige gelöste Anfragen mit gebuchter Zeit für eine Schätzung. "
                "0 bei „laut Umfragen“ = keine Antworten in diesem Quartal. Beide Werte werden "
                "nicht addiert, weil sie dieselbe Zeit beschreiben können."
            )
            % {"k": k}
        ],
    )


def _formula(
    times: HandlingTimes,
    per_cluster: dict[int | None, int],
    total_successes: int,
    survey_total: float | None,
    network: Network,
    k: int,
) -> str:
    window = _(
        "Bearbeitungszeit = gebuchte Stunden je gelöster Anfrage; Median über die Anfragen, "
        "die vom %(von)s bis %(bis)s gelöst wurden (ein Themencluster braucht dafür mindestens "
        "%(k)s Anfragen und %(k)s buchende Personen, sonst gilt der Median des Netzwerks)."
    ) % {
        "von": date_format(times.window_start),
        "bis": date_format(times.window_end - dt.timedelta(days=1)),
        "k": k,
    }
    parts = [
        _(
            "Geschätzte Stunden = Σ je Themencluster (Selbsthilfe-Erfolge × Median der "
            "Bearbeitungszeit des Clusters)."
        )
    ]
    if times.network is None:
        parts.append(_("Zu wenige gelöste Anfragen mit gebuchter Zeit: keine Schätzung möglich."))
    elif total_successes < k:
        parts.append(
            _("Im Zeitraum weniger als %(k)s Selbsthilfe-Erfolge: keine Angabe.") % {"k": k}
            if total_successes
            else _("Im Zeitraum keine Selbsthilfe-Erfolge: 0 Std.")
        )
    else:
        names = dict(network.clusters.values_list("pk", "name"))
        lines = []
        for cluster, successes in per_cluster.items():
            own = times.clusters.get(cluster) if cluster is not None else None
            per = own if own is not None else times.network
            label = names.get(cluster, "") if cluster is not None else _("ohne Themencluster")
            lines.append(
                FormulaLine(
                    label=str(label),
                    successes=successes,
                    hours=successes * per,
                    per_success=per,
                    network_median=own is None,
                )
            )
        shown = formula_lines(lines, k)
        total = sum(line.hours for line in shown)
        parts.append(
            "; ".join(_line_text(line) for line in shown)
            + "; "
            + _("zusammen %(hours)s") % {"hours": _hours(total)}
        )
    parts.append(window)
    parts.append(
        _("Laut Umfragen: %(hours)s (Summe der Antworten, je Antwort die Mitte der Spanne).")
        % {"hours": _hours(survey_total)}
    )
    return " ".join(parts)
