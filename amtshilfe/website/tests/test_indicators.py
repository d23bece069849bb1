"""Public indicators: a registry of figures, small groups suppressed."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from amtshilfe.board.models import SelfHelpSuccess, ServiceRequest
from amtshilfe.board.services.requests import file_request
from amtshilfe.tenancy.services import create_municipality, record_municipality_leaving
from amtshilfe.website import indicators
from amtshilfe.website.tests.helpers import article

TODAY = dt.date(2026, 5, 20)


def requests(personas, count, *, solved=True):
    for number in range(count):
        filed = file_request(
            actor=personas.bob,
            network=personas.network,
            municipality=personas.a,
            title=f"Drucker Nummer {number} druckt nicht",
        )
        if solved:
            ServiceRequest.objects.filter(pk=filed.pk).update(
                status="done", solved_at=timezone.now()
            )


def figure(personas, key):
    return indicators.REGISTRY[key].compute(personas.network, timezone.localdate())


@time_machine.travel(dt.datetime(2026, 5, 20, 10, tzinfo=dt.UTC), tick=False)
def test_it_counts_members_per_quarter(personas):
    create_municipality(
        actor=None, network=personas.network, name="Strehla", joined_on=dt.date(2026, 4, 2)
    )
    record_municipality_leaving(actor=personas.coordinator, municipality=personas.b)
    rows = figure(personas, "members_over_time").rows
    assert [(row.label, row.value) for row in rows] == [
        ("1. Quartal 2026", 2),
        ("2. Quartal 2026", 2),  # Strehla joined, Meißen left
    ]


def test_it_computes_quarter_ends():
    assert indicators.quarter_ends(TODAY, 3) == [
        dt.date(2025, 12, 31),
        dt.date(2026, 3, 31),
        TODAY,
    ]


@override_settings(AMTSHILFE_MIN_GROUP_SIZE=5)
def test_it_suppresses_small_groups(personas):
    requests(personas, 4)
    solved = figure(personas, "requests_solved").rows[0]
    assert solved.value is None and solved.display == "weniger als 5"
    rate = figure(personas, "self_help_rate").rows[0]
    assert rate.value is None and "zu wenige" in rate.display
    requests(personas, 1)
    assert figure(personas, "requests_solved").rows[0].value == 5


@override_settings(AMTSHILFE_MIN_GROUP_SIZE=2)
def test_it_computes_the_self_help_rate(personas):
    requests(personas, 1, solved=False)
    for _number in range(3):
        SelfHelpSuccess.objects.create(
            network=personas.network, municipality=personas.a, user=personas.bob
        )
    rate = figure(personas, "self_help_rate").rows[0]
    assert rate.value == 75 and rate.display == "75 %"


def test_it_counts_public_articles_and_clusters(personas):
    article(personas, "Öffentlich", "Text", visibility="public")
    article(personas, "Intern", "Text", visibility="network")
    assert figure(personas, "public_articles").rows[0].value == 1
    assert figure(personas, "clusters").rows[0].value == 1


def test_it_lets_other_code_register_indicators(personas):
    @indicators.register("test_answer", title="Antwort", explanation="Immer 42.")
    def answer(network, today):
        return indicators.Figure(rows=[indicators.Row("Antwort", 42, "42")])

    try:
        shown = indicators.shown_indicators(personas.network, TODAY, keys=["test_answer"])
        assert shown[0].title == "Antwort" and shown[0].figure.rows[0].display == "42"
    finally:
        del indicators.REGISTRY["test_answer"]


def test_it_shows_the_indicator_page_with_table_and_chart(personas):
    page = Client().get("/kennzahlen/").content.decode()
    for indicator in indicators.PUBLIC_INDICATORS:
        assert f'id="kennzahl-{indicator}"' in page
        assert str(indicators.REGISTRY[indicator].title) in page
    assert "<table" in page and '<svg class="bar-chart"' in page
    assert 'width="300.0"' in page  # the longest bar; no locale comma in SVG numbers
    assert "Anderswo" not in page
