"""The shared indicators cache and `amtshilfe warm-indicators`."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from amtshilfe.indicators import compute, periods, registry
from amtshilfe.indicators.figures import Figure, Series

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


@pytest.fixture
def counted():
    """One registered indicator that counts how often it is computed."""
    saved = dict(registry.REGISTRY)
    registry.REGISTRY.clear()

    def compute_figure(network, period):
        CALLS.append(f"{network.slug}:{period.key}:{translation.get_language()}")
        return Figure(
            key="",
            title="",
            explanation="",
            categories=["a"],
            series=[Series(key="n", label="n", values=[len(CALLS)])],
        )

    registry.indicator("counted", section="requests", title="Gezählt", explanation="Zählt.")(
        compute_figure
    )
    caches["indicators"].clear()
    CALLS.clear()
    yield
    registry.REGISTRY.clear()
    registry.REGISTRY.update(saved)
    caches["indicators"].clear()


def test_it_computes_every_usual_period_in_every_language(personas, counted):
    out = StringIO()
    call_command("warm_indicators", network=personas.network.slug, stdout=out)
    expected = {
        f"{personas.network.slug}:{key}:{code}"
        for key in ("3m", "12m", "jahr", "vorjahr")
        for code in ("de", "en")
    }
    assert set(CALLS) == expected
    assert len(CALLS) == 8
    assert out.getvalue().startswith("8 Kennzahlen berechnet")


def test_a_page_then_reads_the_warmed_figure_without_computing(personas, counted):
    call_command("warm_indicators", network=personas.network.slug, stdout=StringIO())
    CALLS.clear()
    with translation.override("de"):
        period = periods.parse_period({"zeitraum": "3m"}, today=timezone.localdate())
        items = compute.computed(personas.network, period, list(registry.REGISTRY.values()))
    assert CALLS == []
    assert items[0].figure.series[0].values != [None]
    assert timezone.now() - items[0].computed_at < dt.timedelta(minutes=5)


def test_warming_again_replaces_what_the_cache_holds(personas, counted):
    period = periods.parse_period({"zeitraum": "3m"}, today=timezone.localdate())
    with translation.override("de"):
        first = compute.computed(personas.network, period, list(registry.REGISTRY.values()))[0]
        compute.warm(personas.network, period)
        again = compute.computed(personas.network, period, list(registry.REGISTRY.values()))[0]
    assert first.figure.series[0].values == [1]
    assert again.figure.series[0].values == [2]


def test_an_unknown_network_is_a_clear_error(personas, counted):
    with pytest.raises(CommandError, match=r"Netzwerk „gibt-es-nicht“ gibt es nicht\."):
        call_command("warm_indicators", network="gibt-es-nicht", stdout=StringIO())
    assert CALLS == []
