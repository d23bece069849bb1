"""The process-analysis figures ("Ablauf der Anfragen"): how requests flow through the board.

Six figures in section ``process``: lead time and cycle time percentiles per topic cluster
and urgency, time per column, the column where requests wait longest, the cumulative flow
diagram and the ageing work in progress. Definitions are in ``durations`` and ``flow``
(and, in German, in each figure's explanation); everything is counted in the database.

Staff council: no figure is about a person – requests are grouped by cluster, urgency or
column, never by who worked on them. Durations of a group with fewer than
``min_group_size()`` requests (or stays) are suppressed (``None``), because a few durations
can describe the work of one person. The per-group sizes of the percentile figures are not
shown (only the network-wide count), so a suppressed group's size cannot be worked out from
a total. The cumulative flow and the ageing figure count requests in columns of the whole
network – no durations and nothing about anyone's work – and are shown unsuppressed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series, min_group_size
from amtshilfe.indicators.periods import buckets
from amtshilfe.indicators.process.durations import (
    PERCENTILES,
    Groups,
    Spread,
    StayGroups,
    cycle_times,
    lead_times,
    stay_spreads,
)
from amtshilfe.indicators.process.flow import (
    AGE_BANDS,
    COLUMN_KINDS,
    OPEN_KINDS,
    ageing_wip,
    cards_per_kind_at,
)
from amtshilfe.indicators.registry import indicator
from amtshilfe.tenancy.models import Network

DAILY_UP_TO = 92  # days; longer periods sample the cumulative flow at the end of each bucket
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _number(value: float | int | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def _in(span: dt.timedelta, unit: dt.timedelta) -> float:
    return round(span / unit, 1)


def _suppression_note(k: int, what: str) -> str:
    return _("– = weniger als %(k)s %(what)s; aus Datenschutzgründen nicht angezeigt.") % {
        "k": k,
        "what": what,
    }


# --- lead time and cycle time -------------------------------------------------------------

TimesBy = Callable[[Network, Period, Groups], dict[str, dict[Any, Spread]]]


def _percentile_figure(network: Network, period: Period, times_by: TimesBy, what: str) -> Figure:
    """Percentiles in days per cluster, then per urgency; the network's in the key numbers."""
    k = min_group_size()
    spreads = times_by(
        network,
        period,
        {"cluster": F("cluster_id"), "urgency": F("urgency"), "all": F("network_id")},
    )
    by_cluster, by_urgency = spreads["cluster"], spreads["urgency"]
    overall = spreads["all"].get(network.pk)
    names = dict(
        TopicCluster.objects.filter(pk__in=[pk for pk in by_cluster if pk is not None]).values_list(
            "pk", "name"
        )
    )
    groups: list[tuple[str, str, Spread]] = []
    for pk in sorted((pk for pk in by_cluster if pk is not None), key=lambda pk: names[pk]):
        label = _("Themencluster: %(cluster)s") % {"cluster": names[pk]}
        groups.append((f"cluster-{pk}", label, by_cluster[pk]))
    if None in by_cluster:
        groups.append(("cluster-none", _("ohne Themencluster"), by_cluster[None]))
    for urgency in ServiceRequest.Urgency:
        if urgency.value in by_urgency:
            label = _("Dringlichkeit: %(urgency)s") % {"urgency": urgency.label}
            groups.append((f"urgency-{urgency.value}", label, by_urgency[urgency.value]))

    def days(spread: Spread | None, p: int) -> float | None:
        if spread is None or spread.count < k:
            return None
        return _in(spread.percentiles[p], DAY)

    series = [
        Series(
            key=f"p{p}",
            label=_("Median (p50)") if p == 50 else _("p%(p)s") % {"p": p},
            values=[days(spread, p) for _key, _label, spread in groups],
        )
        for p in PERCENTILES
    ]
    key_numbers = [
        KeyNumber(label=_("Anfragen"), value=overall.count if overall else 0, display="")
    ]
    for p in PERCENTILES:
        value = days(overall, p)
        label = _("Median (p50), alle") if p == 50 else _("p%(p)s, alle") % {"p": p}
        display = "–" if value is None else _("%(days)s Tage") % {"days": _number(value)}
        key_numbers.append(KeyNumber(label=label, value=value, display=display))
    key_numbers[0].display = _number(key_numbers[0].value, 0)
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Tage"),
        chart="hbar",
        category_label=_("Gruppe"),
        categories=[label for _key, label, _spread in groups],
        category_keys=[key for key, _label, _spread in groups],
        series=series,
        key_numbers=key_numbers,
        formula=_(
            "%(what)s; das p-Perzentil ist der Wert an Rangstelle ⌈p × n ÷ 100⌉ der aufsteigend "
            "sortierten Zeiten von n Anfragen (p50 = Median: die Hälfte der Anfragen war "
            "schneller)."
        )
        % {"what": what},
        notes=[_suppression_note(k, _("Anfragen in der Gruppe"))],
    )


@indicator(
    "lead_time",
    section="process",
    title=gettext_lazy("Durchlaufzeit je Themencluster und Dringlichkeit"),
    explanation=gettext_lazy(
        "Wie viele Tage vergehen vom Eingang einer Anfrage bis zu ihrer ersten Erledigung? "
        "Gezählt werden die Anfragen, die im Zeitraum zum ersten Mal erledigt wurden – nach "
        "ihrem heutigen Themencluster und ihrer heutigen Dringlichkeit. Wird eine Anfrage "
        "wieder geöffnet, zählt trotzdem die erste Erledigung."
    ),
    order=10,
)
def lead_time(network: Network, period: Period) -> Figure:
    return _percentile_figure(
        network,
        period,
        lead_times,
        _("Durchlaufzeit = erste Erledigung − Eingang der Anfrage"),
    )


@indicator(
    "cycle_time",
    section="process",
    title=gettext_lazy("Bearbeitungszeit je Themencluster und Dringlichkeit"),
    explanation=gettext_lazy(
        "Wie viele Tage vergehen vom Beginn der Arbeit (die Anfrage kommt zum ersten Mal in "
        "eine Spalte „In Arbeit“) bis zur ersten Erledigung? Gezählt werden die Anfragen, die "
        "im Zeitraum zum ersten Mal erledigt wurden; Anfragen, die nie in Arbeit waren, "
        "fehlen hier."
    ),
    order=20,
)
def cycle_time(network: Network, period: Period) -> Figure:
    return _percentile_figure(
        network,
        period,
        cycle_times,
        _("Bearbeitungszeit = erste Erledigung − erster Beginn der Arbeit"),
    )


# --- time per column and the waiting column -----------------------------------------------


def _network_columns(network: Network) -> list[Column]:
    return list(
        Column.objects.filter(board__network=network, board__cluster__isnull=True)
        .exclude(kind=Column.Kind.DONE)
        .order_by("position")
    )


def _folded_columns(columns: list[Column]) -> StayGroups:
    """The network board's column a stay counts for: its own, or for a column of a cluster
    board (or one deleted since) the network board's first column of the same kind."""
    first_of_kind: dict[str, int] = {}
    for column in columns:
        first_of_kind.setdefault(column.kind, column.pk)
    return StayGroups(columns={column.pk: column.pk for column in columns}, kinds=first_of_kind)


Stays = tuple[list[Column], dict[str, dict[Any, Spread]]]
_shared_stays: ContextVar[dict[tuple[int, Period], Stays] | None] = ContextVar(
    "process_shared_stays", default=None
)


@contextmanager
def sharing_stays() -> Iterator[None]:
    """Inside, ``time_per_column`` and ``waiting_column`` of the same network and period
    share one computation of the stays (one query answers both). Only for one compute
    run: outside nothing is kept, so new events always count."""
    token = _shared_stays.set({})
    try:
        yield
    finally:
        _shared_stays.reset(token)


def _stays(network: Network, period: Period) -> Stays:
    """The network board's open columns and the stays by column and by kind (one query)."""
    shared = _shared_stays.get()
    if shared is not None and (network.pk, period) in shared:
        return shared[(network.pk, period)]
    columns = _network_columns(network)
    spreads = stay_spreads(
        network, period, _folded_columns(columns), exclude_kinds=[Column.Kind.DONE]
    )
    if shared is not None:
        shared[(network.pk, period)] = (columns, spreads)
    return columns, spreads


@indicator(
    "time_per_column",
    section="process",
    title=gettext_lazy("Liegezeit je Spalte"),
    explanation=gettext_lazy(
        "Wie lange bleibt eine Anfrage in einer Spalte des Boards, bis sie weiterwandert? "
        "Gezählt wird jeder Aufenthalt, der im Zeitraum endete, mit seiner ganzen Dauer; "
        "Spalten der Themencluster-Boards zählen bei der gleichartigen Spalte des "
        "Netzwerk-Boards. Die Spalte „Erledigt“ ist das Ende und fehlt hier."
    ),
    order=30,
)
def time_per_column(network: Network, period: Period) -> Figure:
    k = min_group_size()
    columns, by = _stays(network, period)
    spreads = by["column"]
    medians: list[float | int | None] = []
    totals: list[float | int | None] = []
    for column in columns:
        spread = spreads.get(column.pk)
        shown = spread is not None and spread.count >= k
        medians.append(_in(spread.percentiles[50], HOUR) if shown and spread else None)
        totals.append(_in(spread.total, HOUR) if shown and spread else None)
    stays = sum(s.count for key, s in spreads.items() if key is not None)
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Stunden"),
        chart="hbar",
        category_label=_("Spalte"),
        categories=[column.name for column in columns],
        category_keys=[f"column-{column.pk}" for column in columns],
        series=[
            Series(key="median", label=_("Median je Aufenthalt (Stunden)"), values=medians),
            Series(key="total", label=_("Summe aller Aufenthalte (Stunden)"), values=totals),
        ],
        key_numbers=[
            KeyNumber(label=_("beendete Aufenthalte"), value=stays, display=_number(stays, 0))
        ],
        formula=_(
            "Aufenthalt = Verschieben in eine andere Spalte − Ankunft in der Spalte; Median = "
            "der Wert an Rangstelle ⌈n ÷ 2⌉ der aufsteigend sortierten Aufenthalte."
        ),
        notes=[_suppression_note(k, _("Aufenthalte"))],
    )


@indicator(
    "waiting_column",
    section="process",
    title=gettext_lazy("Wo Anfragen am längsten warten"),
    explanation=gettext_lazy(
        "Die Art von Spalte, in der eine Anfrage im Mittel (Median) am längsten liegt – "
        "ein Hinweis auf den Engpass. Gezählt werden die Aufenthalte, die im Zeitraum "
        "endeten, auf allen Boards des Netzwerks."
    ),
    order=40,
)
def waiting_column(network: Network, period: Period) -> Figure:
    k = min_group_size()
    spreads = _stays(network, period)[1]["kind"]
    shown = {kind: s for kind, s in spreads.items() if kind in OPEN_KINDS and s.count >= k}
    rows: list[list[str | float | int | None]] = []
    for kind in OPEN_KINDS:
        spread = shown.get(kind)
        rows.append(
            [
                str(Column.Kind(kind).label),
                _in(spread.percentiles[50], HOUR) if spread else None,
                _in(spread.total, HOUR) if spread else None,
                spread.count if spread else None,
            ]
        )
    key_numbers: list[KeyNumber] = []
    if shown:
        longest = max(shown, key=lambda kind: (shown[kind].percentiles[50], kind))
        most = max(shown, key=lambda kind: (shown[kind].total, kind))
        median = _in(shown[longest].percentiles[50], HOUR)
        total = _in(shown[most].total, HOUR)
        key_numbers = [
            KeyNumber(
                label=_("Längste Liegezeit (Median): %(kind)s")
                % {"kind": Column.Kind(longest).label},
                value=median,
                display=_("%(hours)s Stunden") % {"hours": _number(median)},
            ),
            KeyNumber(
                label=_("Meiste Zeit insgesamt: %(kind)s") % {"kind": Column.Kind(most).label},
                value=total,
                display=_("%(hours)s Stunden") % {"hours": _number(total)},
            ),
        ]
    else:
        key_numbers = [KeyNumber(label=_("Längste Liegezeit (Median)"), value=None, display="–")]
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Stunden"),
        key_numbers=key_numbers,
        formula=_(
            "Aufenthalt = Verschieben in eine andere Spalte − Ankunft in der Spalte; Spalten "
            "gleicher Art (auch auf den Boards der Themencluster) zählen zusammen."
        ),
        notes=[_suppression_note(k, _("Aufenthalte"))],
        columns=[
            _("Spaltenart"),
            _("Median je Aufenthalt (Stunden)"),
            _("Summe (Stunden)"),
            _("Aufenthalte"),
        ],
        rows=rows,
    )


# --- cumulative flow and ageing -----------------------------------------------------------

# Bottom to top of the stacked areas: what is finished first, what just arrived last.
FLOW_ORDER = [
    Column.Kind.DONE,
    Column.Kind.WAITING,
    Column.Kind.IN_PROGRESS,
    Column.Kind.TRIAGE,
    Column.Kind.INBOX,
]


def _flow_days(period: Period) -> list[tuple[dt.date, str]]:
    """The days the diagram shows: each day, or the last day of each bucket if long."""
    if period.days <= DAILY_UP_TO:
        return [
            (period.start + dt.timedelta(days=n), date_format(period.start + dt.timedelta(days=n)))
            for n in range(period.days)
        ]
    return [(end - dt.timedelta(days=1), label) for _start, end, label in buckets(period)]


@indicator(
    "cumulative_flow",
    section="process",
    title=gettext_lazy("Kumulatives Flussdiagramm"),
    explanation=gettext_lazy(
        "Wie viele Anfragen standen am Ende jedes Tages in welcher Art von Spalte? Die "
        "Flächen liegen übereinander: wächst ein Band, stauen sich dort Anfragen; "
        "„Erledigt“ wächst mit jeder gelösten Anfrage. Bei langen Zeiträumen zeigt das "
        "Diagramm den Stand am Ende jeder Woche, jedes Monats oder Quartals."
    ),
    order=50,
)
def cumulative_flow(network: Network, period: Period) -> Figure:
    days = _flow_days(period)
    levels = cards_per_kind_at(network, period, [*(day for day, _label in days), period.last_day])
    series = [
        Series(
            key=str(kind),
            label=str(Column.Kind(kind).label),
            values=[levels[day][kind] for day, _label in days],
        )
        for kind in FLOW_ORDER
    ]
    last = levels[period.last_day]
    still_open = sum(last[kind] for kind in COLUMN_KINDS if kind != Column.Kind.DONE)
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Anfragen"),
        chart="stacked_area",
        category_label=_("Stand am Ende von"),
        categories=[label for _day, label in days],
        category_keys=[day.isoformat() for day, _label in days],
        series=series,
        key_numbers=[
            KeyNumber(
                label=_("offen am Ende des Zeitraums"),
                value=still_open,
                display=_number(still_open, 0),
            )
        ],
        notes=[
            _("Anzahlen von Anfragen im ganzen Netzwerk, ohne Bezug zu Personen; darum ungekürzt.")
        ],
    )


def _band_label(first: int, last: int | None) -> str:
    if last is None:
        return _("mehr als %(days)s Tage") % {"days": first - 1}
    return _("%(first)s–%(last)s Tage") % {"first": first, "last": last}


@indicator(
    "ageing_wip",
    section="process",
    title=gettext_lazy("Alter der offenen Anfragen"),
    explanation=gettext_lazy(
        "Wie alt sind die Anfragen, die am Ende des Zeitraums noch offen waren, und in "
        "welcher Art von Spalte stehen sie? Das Alter zählt in ganzen Tagen seit dem Eingang. "
        "Alte Anfragen in „Eingang“ oder „Wartet auf Rückmeldung“ brauchen Aufmerksamkeit."
    ),
    order=60,
)
def ageing(network: Network, period: Period) -> Figure:
    found = ageing_wip(network, period)
    series = [
        Series(
            key=str(kind),
            label=str(Column.Kind(kind).label),
            values=[found.counts.get((band, kind), 0) for band, _first, _last in AGE_BANDS],
        )
        for kind in OPEN_KINDS
    ]
    oldest = AGE_BANDS[-1][0]
    older = sum(n for (band, _kind), n in found.counts.items() if band == oldest)
    return Figure(
        key="",
        title="",
        explanation="",
        unit=_("Anfragen"),
        chart="stacked_bar",
        category_label=_("Alter"),
        categories=[_band_label(first, last) for _band, first, last in AGE_BANDS],
        category_keys=[band for band, _first, _last in AGE_BANDS],
        series=series,
        key_numbers=[
            KeyNumber(
                label=_("offene Anfragen"), value=found.total, display=_number(found.total, 0)
            ),
            KeyNumber(label=_("davon älter als 30 Tage"), value=older, display=_number(older, 0)),
        ],
        notes=[
            _("Stand: %(moment)s.")
            % {"moment": date_format(timezone.localtime(found.moment), "SHORT_DATETIME_FORMAT")},
            _("Anzahlen von Anfragen im ganzen Netzwerk, ohne Bezug zu Personen; darum ungekürzt."),
        ],
    )
