"""The catalogue of indicators: key → title, explanation, section and compute function.

A metric module registers its figures with ``@indicator(...)``; ``catalogue.py`` imports all
metric modules (from ``IndicatorsConfig.ready``). The compute function gets the network and
the period and returns a ``Figure`` (title and explanation are filled in from the registration
when the function leaves them empty). Computing happens in the database; a compute function
returns plain data only.

Sections order the dashboard (``SECTIONS``); ``public=True`` marks figures that contain
nothing but aggregates safe for anonymous visitors – the website chooses among those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from amtshilfe.indicators.figures import Figure, Period
from amtshilfe.tenancy.models import Network

Compute = Callable[[Network, Period], Figure]

SECTIONS: list[tuple[str, Promise]] = [
    ("participation", gettext_lazy("Beteiligung")),
    ("requests", gettext_lazy("Anfragen")),
    ("self_help", gettext_lazy("Selbsthilfe und eingesparte Zeit")),
    ("learning", gettext_lazy("Lernkurve")),
    ("satisfaction", gettext_lazy("Zufriedenheit")),
    ("exchange", gettext_lazy("Austausch zwischen Kommunen")),
    ("knowledge", gettext_lazy("Zustand der Wissensdatenbank")),
    ("process", gettext_lazy("Ablauf der Anfragen")),
]


@dataclass(frozen=True)
class Indicator:
    key: str
    section: str
    title: str | Promise
    explanation: str | Promise
    compute: Compute
    order: int = 100
    public: bool = False

    def figure(self, network: Network, period: Period) -> Figure:
        figure = self.compute(network, period)
        figure.key = self.key
        figure.title = figure.title or str(self.title)
        figure.explanation = figure.explanation or str(self.explanation)
        return figure


REGISTRY: dict[str, Indicator] = {}


def indicator(
    key: str,
    *,
    section: str,
    title: str | Promise,
    explanation: str | Promise,
    order: int = 100,
    public: bool = False,
) -> Callable[[Compute], Compute]:
    if section not in dict(SECTIONS):
        raise ValueError(f"unknown section {section!r}")

    def decorate(compute: Compute) -> Compute:
        if key in REGISTRY and REGISTRY[key].compute is not compute:
            raise ValueError(f"indicator {key!r} registered twice")
        REGISTRY[key] = Indicator(
            key=key,
            section=section,
            title=title,
            explanation=explanation,
            compute=compute,
            order=order,
            public=public,
        )
        return compute

    return decorate


def in_section(section: str) -> list[Indicator]:
    return sorted(
        (i for i in REGISTRY.values() if i.section == section), key=lambda i: (i.order, i.key)
    )


def as_datetime_range(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware datetimes in the current time zone, for ``created_at`` filters."""
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end, dt.time.min))
    return start, end
