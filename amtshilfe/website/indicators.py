"""Public indicators ("Kennzahlen"): a small registry of figures the website may show.

Each indicator is a function ``(network, today) -> Figure`` registered under a key with a
German title and explanation. ``PUBLIC_INDICATORS`` selects and orders what ``/kennzahlen/``
shows; the later indicators app can register more and change the selection.

Figures that count people's activity (requests, self-help) are suppressed when the group is
smaller than ``AMTSHILFE_MIN_GROUP_SIZE``: a visitor must not be able to infer what a single
municipality or person did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from amtshilfe.board.models import SelfHelpSuccess, ServiceRequest
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.website.public import active_clusters, public_articles

RECENT_DAYS = 91  # "the last 3 months"
HISTORY_QUARTERS = 8
CACHE_TIMEOUT = 300


@dataclass
class Row:
    label: str
    value: float | None  # None = suppressed (group too small)
    display: str


@dataclass
class Figure:
    rows: list[Row]
    unit: str = ""
    note: str = ""
    chart: bool = False  # draw a bar per row

    @property
    def suppressed(self) -> bool:
        return any(row.value is None for row in self.rows)


@dataclass
class Indicator:
    key: str
    title: str | Promise
    explanation: str | Promise
    compute: Callable[[Network, dt.date], Figure]


@dataclass
class ShownIndicator:
    key: str
    title: str
    explanation: str
    figure: Figure
    bars: list[Bar] = field(default_factory=list)
    chart_height: int = 0


@dataclass
class Bar:
    """One bar of the SVG chart; coordinates as strings so no locale turns 12.5 into 12,5."""

    label: str
    display: str
    y: str
    width: str
    value_x: str


REGISTRY: dict[str, Indicator] = {}


def register(
    key: str, *, title: str | Promise, explanation: str | Promise
) -> Callable[[Callable[[Network, dt.date], Figure]], Callable[[Network, dt.date], Figure]]:
    def decorate(
        compute: Callable[[Network, dt.date], Figure],
    ) -> Callable[[Network, dt.date], Figure]:
        REGISTRY[key] = Indicator(key=key, title=title, explanation=explanation, compute=compute)
        return compute

    return decorate


def min_group_size() -> int:
    return max(1, int(settings.AMTSHILFE_MIN_GROUP_SIZE))


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def count_row(label: str, value: int, *, suppress: bool) -> Row:
    if suppress and value < min_group_size():
        return Row(label, None, _("weniger als %(n)s") % {"n": min_group_size()})
    return Row(label, value, _number(value))


def quarter_ends(today: dt.date, count: int) -> list[dt.date]:
    """The last day of the current quarter (today at most) and of the ``count - 1`` before."""
    ends: list[dt.date] = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(count):
        month = quarter * 3
        last = dt.date(year, month, 1) + dt.timedelta(days=31)
        end = min(last.replace(day=1) - dt.timedelta(days=1), today)
        ends.append(end)
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(ends))


@register(
    "members_over_time",
    title=gettext_lazy("Teilnehmende Kommunen im Zeitverlauf"),
    explanation=gettext_lazy(
        "Zahl der Kommunen, die am Ende des jeweiligen Quartals Mitglied im Netzwerk waren "
        "(einschließlich ausgetretener Kommunen für die Zeit ihrer Mitgliedschaft)."
    ),
)
def members_over_time(network: Network, today: dt.date) -> Figure:
    spans = list(Municipality.objects.in_network(network).values_list("joined_on", "left_on"))
    rows = []
    for end in quarter_ends(today, HISTORY_QUARTERS):
        value = sum(1 for joined, left in spans if joined <= end and (left is None or left > end))
        quarter = (end.month - 1) // 3 + 1
        label = _("%(quarter)s. Quartal %(year)s") % {"quarter": quarter, "year": end.year}
        rows.append(Row(label, value, _number(value)))
    # Leading quarters before the network existed say nothing.
    while len(rows) > 1 and rows[0].value == 0:
        rows.pop(0)
    return Figure(rows=rows, unit=_("Kommunen"), chart=True)


@register(
    "clusters",
    title=gettext_lazy("Themencluster"),
    explanation=gettext_lazy(
        "Aktive Themencluster, in denen IT-Fachkräfte ihr Wissen zu einem Thema bündeln und "
        "Anfragen dazu beantworten."
    ),
)
def clusters(network: Network, today: dt.date) -> Figure:
    value = active_clusters(network).count()
    return Figure(rows=[Row(_("aktive Themencluster"), value, _number(value))])


@register(
    "public_articles",
    title=gettext_lazy("Öffentliche Artikel der Wissensdatenbank"),
    explanation=gettext_lazy(
        "Veröffentlichte Anleitungen, die alle Interessierten ohne Anmeldung lesen können. "
        "Artikel nur für das Netzwerk oder eine Kommune sind nicht mitgezählt."
    ),
)
def articles(network: Network, today: dt.date) -> Figure:
    value = public_articles(network).count()
    return Figure(rows=[Row(_("öffentliche Artikel"), value, _number(value))])


def _recent_start(today: dt.date) -> dt.datetime:
    start = today - dt.timedelta(days=RECENT_DAYS)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


@register(
    "requests_solved",
    title=gettext_lazy("Gelöste Anfragen in den letzten drei Monaten"),
    explanation=gettext_lazy(
        "Anfragen von Kommunen, die IT-Fachkräfte aus dem Netzwerk in den letzten 91 Tagen "
        "erledigt haben. Kleine Zahlen werden nicht genau angegeben."
    ),
)
def requests_solved(network: Network, today: dt.date) -> Figure:
    value = ServiceRequest.objects.filter(
        network=network, solved_at__gte=_recent_start(today)
    ).count()
    return Figure(rows=[count_row(_("gelöste Anfragen"), value, suppress=True)])


@register(
    "self_help_rate",
    title=gettext_lazy("Selbsthilfequote"),
    explanation=gettext_lazy(
        "Anteil der Fälle in den letzten drei Monaten, die Beschäftigte mit einem Artikel der "
        "Wissensdatenbank selbst lösen konnten: Selbsthilfe-Erfolge geteilt durch "
        "(Selbsthilfe-Erfolge plus gestellte Anfragen)."
    ),
)
def self_help_rate(network: Network, today: dt.date) -> Figure:
    since = _recent_start(today)
    successes = SelfHelpSuccess.objects.filter(network=network, created_at__gte=since).count()
    requests = ServiceRequest.objects.filter(Q(network=network), Q(created_at__gte=since)).count()
    total = successes + requests
    if total < min_group_size():
        row = Row(_("Selbsthilfequote"), None, _("zu wenige Fälle für eine Angabe"))
    else:
        rate = 100 * successes / total
        row = Row(_("Selbsthilfequote"), rate, f"{rate:.0f} %")
    return Figure(
        rows=[row],
        note=_("Grundlage: %(n)s Fälle seit %(date)s")
        % {
            "n": _number(total) if total >= min_group_size() else "–",
            "date": date_format(since.date()),
        },
    )


PUBLIC_INDICATORS = [
    "members_over_time",
    "clusters",
    "public_articles",
    "requests_solved",
    "self_help_rate",
]

BAR_HEIGHT, BAR_GAP, CHART_WIDTH, LABEL_WIDTH = 22, 8, 300.0, 130


def bars(figure: Figure) -> list[Bar]:
    """Bar geometry for the server-rendered SVG (widths in percent of the longest bar)."""
    if not figure.chart:
        return []
    top = max((row.value or 0 for row in figure.rows), default=0) or 1
    result = []
    for index, row in enumerate(figure.rows):
        width = CHART_WIDTH * (row.value or 0) / top
        result.append(
            Bar(
                label=row.label,
                display=row.display,
                y=str(index * (BAR_HEIGHT + BAR_GAP)),
                width=f"{width:.1f}",
                value_x=f"{LABEL_WIDTH + width + 6:.1f}",
            )
        )
    return result


def shown_indicators(
    network: Network, today: dt.date | None = None, keys: list[str] | None = None
) -> list[ShownIndicator]:
    """The selected indicators, computed (cached for a few minutes per network and day)."""
    today = today or timezone.localdate()
    keys = keys if keys is not None else PUBLIC_INDICATORS
    cache_key = (
        f"website:indicators:{network.pk}:{today.isoformat()}:{get_language()}:{','.join(keys)}"
    )
    shown: list[ShownIndicator] | None = cache.get(cache_key)
    if shown is not None:
        return shown
    shown = []
    for key in keys:
        indicator = REGISTRY[key]
        figure = indicator.compute(network, today)
        drawn = bars(figure)
        shown.append(
            ShownIndicator(
                key=key,
                title=str(indicator.title),
                explanation=str(indicator.explanation),
                figure=figure,
                bars=drawn,
                chart_height=len(drawn) * (BAR_HEIGHT + BAR_GAP),
            )
        )
    cache.set(cache_key, shown, CACHE_TIMEOUT)
    return shown
