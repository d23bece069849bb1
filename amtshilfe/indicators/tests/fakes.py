"""Fake indicators for the page, export and API tests (registered by the ``fakes`` fixture).

Their numbers are fixed by hand, so the tests can assert exact tables, CSV cells and JSON
without depending on the real figure computations (written and tested elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core.cache import caches

from amtshilfe.indicators import registry
from amtshilfe.indicators.figures import Figure, KeyNumber, Period, Series
from amtshilfe.tenancy.models import Network

# A key number with a *wrong* display string next to a suppressed value: pages must show "–".
LEAKY_DISPLAY = "3 Fälle"


@dataclass
class Calls:
    periods: list[Period] = field(default_factory=list)
    count: int = 0
    real: dict[str, registry.Indicator] = field(default_factory=dict)  # the real registry


def monthly(network: Network, period: Period, calls: Calls) -> Figure:
    calls.periods.append(period)
    calls.count += 1
    return Figure(
        key="",
        title="",
        explanation="",
        unit="Anfragen",
        chart="bar",
        category_label="Monat",
        categories=["Jan 2026", "Feb 2026", "Mär 2026"],
        category_keys=["2026-01", "2026-02", "2026-03"],
        series=[
            Series("filed", "Gestellt", [12, None, 7.5]),
            Series("solved", "Gelöst", [10, 4, 0]),
        ],
        key_numbers=[
            KeyNumber(f"Anfragen in {network.name}", 1234, "1.234"),
            KeyNumber("Kleine Gruppe", None, LEAKY_DISPLAY),
        ],
        formula="Gestellt = alle neuen Anfragen",
        notes=["Nur Anfragen des Netzwerks."],
    )


def searches(network: Network, period: Period) -> Figure:
    return Figure(
        key="",
        title="",
        explanation="",
        columns=["Suchanfrage", "Anzahl"],
        rows=[['=HYPERLINK("x")', 7], ["drucker <b>geht nicht</b>", None]],
    )


def flow(network: Network, period: Period) -> Figure:
    return Figure(
        key="",
        title="",
        explanation="",
        chart="stacked_area",
        category_label="Tag",
        categories=["1.11.", "2.11."],
        series=[Series("inbox", "Eingang", [5, 6]), Series("done", "Erledigt", [1, 2])],
    )


def broken(network: Network, period: Period) -> Figure:
    raise RuntimeError("kaputt")


@pytest.fixture(name="fakes")
def fakes_fixture() -> Iterator[Calls]:
    """Registers four fake indicators (one public) and removes them afterwards."""
    saved = dict(registry.REGISTRY)
    calls = Calls(real=saved)
    registry.REGISTRY.clear()
    registry.indicator(
        "test_monthly",
        section="requests",
        title="Anfragen je Monat (Test)",
        explanation="Neue und gelöste Anfragen je Monat.",
        order=1,
        public=True,
    )(lambda network, period: monthly(network, period, calls))
    registry.indicator(
        "test_searches",
        section="knowledge",
        title="Erfolglose Suchen (Test)",
        explanation="Suchen ohne Treffer.",
    )(searches)
    registry.indicator(
        "test_flow",
        section="process",
        title="Fluss (Test)",
        explanation="Anfragen je Spalte.",
    )(flow)
    registry.indicator(
        "test_broken",
        section="satisfaction",
        title="Kaputt (Test)",
        explanation="Wirft einen Fehler.",
    )(broken)
    caches["indicators"].clear()
    try:
        yield calls
    finally:
        registry.REGISTRY.clear()
        registry.REGISTRY.update(saved)
        caches["indicators"].clear()
