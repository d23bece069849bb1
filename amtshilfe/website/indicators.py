"""Public indicators ("Kennzahlen"): the figures of the indicators app the website shows.

The figures come from the indicators registry (``amtshilfe.indicators.registry``), computed
and cached by ``amtshilfe.indicators.compute`` – the same numbers as on the dashboard.
``PUBLIC_INDICATORS`` selects and orders them; a key is shown only if its indicator is
registered with ``public=True`` (aggregates safe for anonymous visitors; small groups are
suppressed by the figure itself and shown as "–"). The period is fixed: the last three
months (monthly buckets), as on the dashboard by default – no selector on the public page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from amtshilfe.indicators import compute, periods, presentation, registry
from amtshilfe.indicators.figures import Period
from amtshilfe.tenancy.models import Network

PUBLIC_INDICATORS = [
    "municipalities_over_time",
    "requests_over_time",
    "requests_by_cluster",
    "self_help_rate",
    "hours_exchanged",
    "satisfaction",
]
PUBLIC_PERIOD = periods.DEFAULT  # "3m"


@dataclass
class PublicFigures:
    """The figures shown on ``/kennzahlen/`` and the period they cover (iterable)."""

    period: Period
    items: list[presentation.Shown] = field(default_factory=list)

    def __iter__(self) -> Iterator[presentation.Shown]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def public_period(today: dt.date) -> Period:
    return periods.parse_period({"zeitraum": PUBLIC_PERIOD}, today=today)


def public_indicators(keys: list[str] | None = None) -> list[registry.Indicator]:
    """The selected indicators that exist and are marked public, in the selection's order."""
    chosen = PUBLIC_INDICATORS if keys is None else keys
    found = [registry.REGISTRY.get(key) for key in chosen]
    return [indicator for indicator in found if indicator is not None and indicator.public]


def shown_indicators(
    network: Network, today: dt.date | None = None, keys: list[str] | None = None
) -> PublicFigures:
    """The public figures of ``network`` over the public period (cached a few minutes)."""
    period = public_period(today or timezone.localdate())
    items = compute.computed(network, period, public_indicators(keys))
    return PublicFigures(
        period=period, items=[shown for shown in presentation.shown_all(items) if not shown.failed]
    )
