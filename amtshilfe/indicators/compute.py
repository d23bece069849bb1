"""Computing the registered figures for a network and period – cached for a few minutes.

Pages, CSV export, API and the public website all read figures through here, so they show
the same numbers. A computed figure is cached per network, period (start, end, bucket),
figure and language for ``CACHE_TIMEOUT`` seconds; nothing invalidates it – indicators may
be a few minutes old. One failing figure does not take the page down: it is logged and shown
as "could not be computed".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from amtshilfe.indicators import charts, registry
from amtshilfe.indicators.figures import Figure, Period
from amtshilfe.indicators.process.figures import sharing_stays
from amtshilfe.tenancy.models import Network

logger = logging.getLogger(__name__)

CACHE_TIMEOUT = 300
CACHE_VERSION = 1


@dataclass
class Computed:
    """One figure ready to show: the numbers and its chart (``failed``: compute raised)."""

    key: str
    section: str
    figure: Figure
    svg: SafeString
    failed: bool = False


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
    network: Network, period: Period, indicators: list[registry.Indicator]
) -> list[Computed]:
    """``indicators`` computed (from the cache where possible), in the given order."""
    keys = {indicator.key: _cache_key(network, period, indicator.key) for indicator in indicators}
    found: dict[str, Computed] = cache.get_many(list(keys.values()))
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
        cache.set_many(missing, CACHE_TIMEOUT)
    return result


def section_figures(network: Network, period: Period, section: str) -> list[Computed]:
    """The figures of one dashboard section, in their registered order."""
    return computed(network, period, registry.in_section(section))


def figure(network: Network, period: Period, key: str) -> Computed | None:
    """One figure by key; ``None`` if no such indicator is registered."""
    indicator = registry.REGISTRY.get(key)
    if indicator is None:
        return None
    return computed(network, period, [indicator])[0]
