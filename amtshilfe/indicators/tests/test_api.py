"""`/api/v1/indicators`: shape, access and German 422s (fake indicators)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.indicators.tests.fakes import fakes_fixture  # noqa: F401

NOW = dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("fakes")


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(NOW, tick=False):
        yield


def api_get(user, path):
    _token, raw = create_api_token(user=user, name="test")
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_lists_the_figures_with_their_numbers(personas):
    response = api_get(personas.coordinator, "/api/v1/indicators")
    assert response.status_code == 200
    figures = response.json()
    # The dashboard's order; the failing figure is left out.
    assert [f["key"] for f in figures] == ["test_monthly", "test_searches", "test_flow"]
    monthly = figures[0]
    assert monthly == {
        "key": "test_monthly",
        "section": "requests",
        "title": "Anfragen je Monat (Test)",
        "explanation": "Neue und gelöste Anfragen je Monat.",
        "unit": "Anfragen",
        "chart": "bar",
        "formula": "Gestellt = alle neuen Anfragen",
        "category_label": "Monat",
        "categories": ["Jan 2026", "Feb 2026", "Mär 2026"],
        "category_keys": ["2026-01", "2026-02", "2026-03"],
        "series": [
            {"key": "filed", "label": "Gestellt", "values": [12, None, 7.5]},
            {"key": "solved", "label": "Gelöst", "values": [10, 4, 0]},
        ],
        "key_numbers": [
            {"label": "Anfragen in Testkreis", "value": 1234, "display": "1.234"},
            # The wrong display string of the fake never leaves the server.
            {"label": "Kleine Gruppe", "value": None, "display": "–"},
        ],
        "notes": ["Nur Anfragen des Netzwerks."],
        "columns": [],
        "rows": [],
        "suppressed": 2,
        "period": {
            "key": "3m",
            "label": "letzte 3 Monate",
            "start": "2026-02-21",
            "end": "2026-05-20",
            "bucket": "month",
        },
    }
    assert figures[1]["rows"] == [['=HYPERLINK("x")', 7], ["drucker <b>geht nicht</b>", None]]


def test_it_filters_by_section_and_period(personas):
    response = api_get(
        personas.auditor,
        "/api/v1/indicators?bereich=process&zeitraum=frei&von=2026-01-01&bis=2026-01-31",
    )
    figures = response.json()
    assert [f["key"] for f in figures] == ["test_flow"]
    assert figures[0]["period"] == {
        "key": "frei",
        "label": "1. Januar 2026 bis 31. Januar 2026",
        "start": "2026-01-01",
        "end": "2026-01-31",
        "bucket": "week",
    }


def test_it_returns_one_figure(personas):
    response = api_get(personas.steering, "/api/v1/indicators/test_flow?zeitraum=12m")
    assert response.status_code == 200
    data = response.json()
    assert data["series"] == [
        {"key": "inbox", "label": "Eingang", "values": [5, 6]},
        {"key": "done", "label": "Erledigt", "values": [1, 2]},
    ]
    assert data["period"]["start"] == "2025-05-21"


def test_it_answers_404_for_an_unknown_figure_and_503_for_a_failing_one(personas):
    assert api_get(personas.coordinator, "/api/v1/indicators/nichts").status_code == 404
    failing = api_get(personas.coordinator, "/api/v1/indicators/test_broken")
    assert failing.status_code == 503
    assert failing.json() == {"detail": "Diese Kennzahl konnte gerade nicht berechnet werden."}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "zeitraum=frei&von=2026-05-10&bis=2026-05-01",
            "zeitraum",
            "Das Ende des Zeitraums (1. Mai 2026) liegt vor seinem Anfang (10. Mai 2026).",
        ),
        (
            "zeitraum=bald",
            "zeitraum",
            "Unbekannter Zeitraum „bald“. Bitte wählen Sie einen aus der Liste.",
        ),
        (
            "bereich=geld",
            "bereich",
            "Unbekannter Bereich „geld“; erlaubt sind: participation, requests, self_help, "
            "learning, satisfaction, exchange, knowledge, process.",
        ),
    ],
)
def test_it_explains_bad_input_in_german(personas, query, field, message):
    response = api_get(personas.coordinator, f"/api/v1/indicators?{query}")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["query", field], "msg": message, "type": "value_error"}]
    }
    single = api_get(personas.coordinator, "/api/v1/indicators/test_flow?zeitraum=bald")
    assert single.status_code == 422


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_it_requires_an_indicator_reader(personas, persona):
    user = getattr(personas, persona)
    assert api_get(user, "/api/v1/indicators").status_code == 403
    assert api_get(user, "/api/v1/indicators/test_flow").status_code == 403


def test_it_hides_from_other_network(personas):
    figures = api_get(personas.olga, "/api/v1/indicators?bereich=requests").json()
    labels = [k["label"] for k in figures[0]["key_numbers"]]
    assert labels[0] == "Anfragen in Anderswo"


def test_it_requires_a_token(personas):
    assert Client().get("/api/v1/indicators").status_code == 401
