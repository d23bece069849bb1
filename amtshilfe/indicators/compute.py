"""Computing the registered figures for a network and period – cached, shared, warmed.

Pages, CSV export, API and the public website all read figures through here, so they show
the same numbers. A computed figure is cached per network, period (start, end, bucket),
figure and language for ``AMTSHILFE_INDICATORS_CACHE_SECONDS`` (default one hour) in the
``indicators`` cache – Redis when configured, else files in the data directory, so every
server process and ``amtshilfe warm-indicators`` share it. Nothing invalidates it: the pages
say when the figures were computed, and the hourly ``warm-indicators`` run recomputes the
usual periods so that readers seldom wait for a cold computation. One failing figure does
not take the page down: it is logged and shown as "could not be computed".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from amtshilfe.indicators import charts, registry
from amtshilfe.indicators.figures import Figure, Period
from amtshilfe.indicators.process.figures import sharing_stays
from amtshilfe.tenancy.models import Network

logger = logging.getLogger(__name__)

CACHE_VERSION = 2


def _cache() -> BaseCache:
    return caches["indicators"]


def cache_timeout() -> int:
    return max(1, int(settings.AMTSHILFE_INDICATORS_CACHE_SECONDS))


@dataclass
class Computed:
    """One figure ready to show: the numbers and its chart (``failed``: compute raised)."""

    key: str
    section: str
    figure: Figure
    svg: SafeString
    failed: bool = False
    computed_at: dt.datetime = field(default_factory=timezone.now)


def _cache_key(network: Network, period: Period, key: str) -> str:
    return (
        f"indicators:v{CACHE_VERSION}:{network.pk}:{period.start.isoformat()}:"
        f"{period.end.isoformat()}:{period.bucket}:{get_language() or ''}:{key}"
    )


def chart_id(key: str) -> str:
    """Prefix of the ids inside a figure's SVG (unique on a page: one figure appears once)."""
    return f"diagramm-{key}"


def _compute(network: Network, period: Period, indicator: registry.Indicator) -> Computed:
    try:
        figure = indicator.figure(network, period)
        svg = charts.chart_svg(figure, chart_id=chart_id(indicator.key))
    except Exception:
        # A bug in one figure must not hide all others; it is logged with its traceback.
        logger.exception("indicator %s failed for network %s", indicator.key, network.pk)
        figure = Figure(
            key=indicator.key, title=str(indicator.title), explanation=str(indicator.explanation)
        )
        return Computed(indicator.key, indicator.section, figure, SafeString(""), failed=True)
    return Computed(indicator.key, indicator.section, figure, svg)


def computed(
    network: Network,
    period: Period,
    indicators: list[registry.Indicator],
    *,
    refresh: bool = False,
) -> list[Computed]:
    """``indicators`` computed (from the cache where possible), in the given order.

    ``refresh`` computes all of them anew and replaces what the cache holds.
    """
    cache = _cache()
    keys = {indicator.key: _cache_key(network, period, indicator.key) for indicator in indicators}
    found: dict[str, Computed] = {} if refresh else cache.get_many(list(keys.values()))
    missing: dict[str, Computed] = {}
    result = []
    with sharing_stays():  # time per column and waiting column: one stays query per run
        for indicator in indicators:
            item = found.get(keys[indicator.key])
            if item is None:
                item = _compute(network, period, indicator)
                if not item.failed:
                    missing[keys[indicator.key]] = item
            result.append(item)
    if missing:
        cache.set_many(missing, cache_timeout())
    return result


def oldest(items: list[Computed]) -> dt.datetime | None:
    """When the oldest of ``items`` was computed (shown as "Stand" on the pages)."""
    return min((item.computed_at for item in items), default=None)


def warm(network: Network, period: Period) -> int:
    """Compute every registered figure of ``network`` for ``period`` anew; how many."""
    indicators = sorted(registry.REGISTRY.values(), key=lambda i: (i.section, i.order, i.key))
    return len(computed(network, period, indicators, refresh=True))


def section_figures(network: Network, period: Period, section: str) -> list[Computed]:
    """The figures of one dashboard section, in their registered order."""
    return computed(network, period, registry.in_section(section))


def figure(network: Network, period: Period, key: str) -> Computed | None:
    """One figure by key; ``None`` if no such indicator is registered."""
    indicator = registry.REGISTRY.get(key)
    if indicator is None:
        return None
    return computed(network, period, [indicator])[0]
