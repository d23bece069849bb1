"""Public indicators: the registry's public figures, last 3 months, small groups as "–".

The figures themselves are tested in ``amtshilfe/indicators/tests``; here fake indicators
(``indicators.tests.fakes``) show what the public page selects and how it shows it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from amtshilfe.indicators import registry
from amtshilfe.indicators.tests.fakes import LEAKY_DISPLAY, fakes_fixture  # noqa: F401
from amtshilfe.website import indicators

NOW = dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def selection(monkeypatch, fakes):
    # test_flow is registered but not public; "gibt_es_nicht" is not registered at all.
    monkeypatch.setattr(
        indicators, "PUBLIC_INDICATORS", ["test_flow", "test_monthly", "gibt_es_nicht"]
    )
    return fakes


def test_it_selects_only_registered_public_indicators(selection):
    assert [i.key for i in indicators.public_indicators()] == ["test_monthly"]
    assert [i.key for i in indicators.public_indicators(["test_searches"])] == []


def test_it_shows_only_public_figures_on_the_page(personas, selection):
    page = Client().get("/kennzahlen/").content.decode()
    assert 'id="kennzahl-test_monthly"' in page
    assert "Anfragen je Monat (Test)" in page and "Neue und gelöste Anfragen je Monat." in page
    assert "Fluss (Test)" not in page and "Erfolglose Suchen (Test)" not in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and "<table>" in page
    assert "Anderswo" not in page


def test_it_shows_the_last_three_months(personas, selection):
    page = Client().get("/kennzahlen/").content.decode()
    assert selection.periods[-1].start == dt.date(2026, 2, 21)
    assert selection.periods[-1].end == dt.date(2026, 5, 21)
    assert selection.periods[-1].bucket == "month"
    assert "Zeitraum: letzte 3 Monate (21. Februar 2026 bis 20. Mai 2026)." in page


def test_it_never_shows_a_suppressed_number(personas, selection):
    page = Client().get("/kennzahlen/").content.decode()
    assert LEAKY_DISPLAY not in page
    assert "<dt>Kleine Gruppe</dt><dd>–</dd>" in page
    assert "– = weniger als 5 Fälle, aus Datenschutzgründen nicht angezeigt" in page
    assert page.count('<span class="visually-hidden">nicht angezeigt</span>') == 1


def test_it_says_so_when_nothing_is_published(personas, selection, monkeypatch):
    monkeypatch.setattr(indicators, "PUBLIC_INDICATORS", [])
    page = Client().get("/kennzahlen/").content.decode()
    assert "Zurzeit werden keine Kennzahlen veröffentlicht." in page


def test_it_shows_the_real_public_figures(personas):
    response = Client().get("/kennzahlen/")
    assert response.status_code == 200
    page = response.content.decode()
    for indicator in indicators.public_indicators():
        assert indicator.public and indicator.key in indicators.PUBLIC_INDICATORS
        assert f'id="kennzahl-{indicator.key}"' in page
    for key in indicators.PUBLIC_INDICATORS:
        if key in registry.REGISTRY and not registry.REGISTRY[key].public:
            assert f'id="kennzahl-{key}"' not in page
