"""Satisfaction figures from request ratings, checked against hand-computed values."""

from __future__ import annotations

import datetime as dt

import pytest

from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.board.services import ensure_default_board
from amtshilfe.conftest import Personas
from amtshilfe.indicators.figures import Period
from amtshilfe.indicators.registry import REGISTRY

JANUARY = [(5, 5, True), (4, 6, True), (4, 7, True), (2, 8, True), (5, 9, False)]
FEBRUARY = [(3, 3, True), (1, 4, False)]


def rated(personas: Personas, month: int, ratings: list[tuple[int, int, bool]]) -> None:
    """Closed requests rated on the given days of ``month`` 2026 (``True`` = cluster "Drucker")."""
    board = ensure_default_board(network=personas.network)
    done = board.columns.get(kind=Column.Kind.DONE)
    first = ServiceRequest.objects.filter(network=personas.network).count() + 1
    for number, (rating, day, in_cluster) in enumerate(ratings, start=first):
        when = dt.datetime(2026, month, day, 10, tzinfo=dt.UTC)
        ServiceRequest.objects.create(
            network=personas.network,
            number=number,
            municipality=personas.a,
            title=f"Anfrage {number}",
            source="web",
            status="closed",
            column=done,
            position=number,
            cluster=personas.cluster if in_cluster else None,
            solved_at=when,
            closed_at=when,
            rated_at=when,
            rating=rating,
        )


def figure(key: str, personas: Personas, period: Period):
    return REGISTRY[key].figure(personas.network, period)


FIRST_QUARTER = Period(
    start=dt.date(2026, 1, 1), end=dt.date(2026, 4, 1), label="Q1", bucket="month"
)


def test_it_shows_distribution_mean_and_count(personas: Personas) -> None:
    rated(personas, 1, JANUARY)
    rated(personas, 2, FEBRUARY)
    found = figure("satisfaction", personas, FIRST_QUARTER)
    assert found.chart == "bar"
    assert found.categories == ["1 Stern", "2 Sterne", "3 Sterne", "4 Sterne", "5 Sterne"]
    assert [(s.key, s.values) for s in found.series] == [("ratings", [1, 1, 1, 2, 2])]
    # mean = (5 + 4 + 4 + 2 + 5 + 3 + 1) / 7 = 24 / 7 = 3.428…
    assert [(k.value, k.display) for k in found.key_numbers] == [(3.43, "3,4"), (7, "7")]
    assert found.suppressed == 0 and found.notes == []
    assert found.title == "Zufriedenheit mit der Hilfe" and found.explanation
    assert REGISTRY["satisfaction"].public is True


def test_it_suppresses_four_ratings_and_shows_five(personas: Personas) -> None:
    rated(personas, 1, JANUARY[:4])
    four = figure("satisfaction", personas, FIRST_QUARTER)
    assert four.series[0].values == [None] * 5
    assert [(k.value, k.display) for k in four.key_numbers] == [(None, "–"), (4, "4")]
    assert four.suppressed == 6
    rated(personas, 1, JANUARY[4:])
    five = figure("satisfaction", personas, FIRST_QUARTER)
    # 5 + 4 + 4 + 2 + 5 = 20 → mean 4.0
    assert five.series[0].values == [0, 1, 0, 2, 2]
    assert five.key_numbers[0].value == 4.0 and five.suppressed == 0


def test_it_shows_the_mean_per_month(personas: Personas) -> None:
    rated(personas, 1, JANUARY)
    rated(personas, 2, FEBRUARY)
    found = figure("satisfaction_trend", personas, FIRST_QUARTER)
    assert found.chart == "line" and found.category_label == "Monat"
    assert found.category_keys == ["2026-01-01", "2026-02-01", "2026-03-01"]
    # January 20 / 5 = 4.0; February 2 ratings → suppressed; March none → suppressed.
    assert found.series[0].values == [4.0, None, None]


def test_it_shows_the_mean_per_week_with_the_first_week_cut_to_the_period(
    personas: Personas,
) -> None:
    # Wednesday 7 January to Tuesday 20 January: weeks KW 2 (cut), KW 3, KW 4 (cut).
    rated(personas, 1, [(1, 5, False)])  # Monday of KW 2, before the period
    rated(
        personas, 1, [(5, 7, False), (4, 8, False), (3, 9, False), (5, 10, False), (3, 11, False)]
    )
    rated(personas, 1, [(2, 12, False), (2, 13, False), (3, 14, False), (2, 15, False)])
    rated(personas, 1, [(4, 16, False)])
    period = Period(
        start=dt.date(2026, 1, 7), end=dt.date(2026, 1, 21), label="Januar", bucket="week"
    )
    found = figure("satisfaction_trend", personas, period)
    assert found.categories == ["KW 2/2026", "KW 3/2026", "KW 4/2026"]
    assert found.category_keys == ["2026-01-07", "2026-01-12", "2026-01-19"]
    # KW 2 within the period: 5 + 4 + 3 + 5 + 3 = 20 / 5 = 4.0 (the rating of the 5th is out);
    # KW 3: 2 + 2 + 3 + 2 + 4 = 13 / 5 = 2.6; KW 4: none.
    assert found.series[0].values == [4.0, 2.6, None]


def test_it_shows_the_mean_per_quarter(personas: Personas) -> None:
    rated(personas, 1, JANUARY)
    rated(personas, 2, FEBRUARY)
    period = Period(
        start=dt.date(2025, 11, 15), end=dt.date(2026, 4, 1), label="lang", bucket="quarter"
    )
    found = figure("satisfaction_trend", personas, period)
    assert found.category_keys == ["2025-11-15", "2026-01-01"]
    assert found.series[0].values == [None, pytest.approx(3.43)]


def test_it_shows_the_mean_per_cluster_and_hides_small_clusters(personas: Personas) -> None:
    rated(personas, 1, JANUARY)
    rated(personas, 2, FEBRUARY)
    found = figure("satisfaction_by_cluster", personas, FIRST_QUARTER)
    assert found.chart == "hbar"
    assert found.categories == ["Drucker", "ohne Themencluster"]
    assert found.category_keys == [str(personas.cluster.pk), ""]
    # Drucker: 5 + 4 + 4 + 2 + 3 = 18 / 5 = 3.6; without cluster: 2 ratings → suppressed.
    assert found.series[0].values == [3.6, None]
    assert found.suppressed == 1


def test_it_ignores_other_networks_and_other_periods(personas: Personas) -> None:
    rated(personas, 1, JANUARY)
    outside = Period(
        start=dt.date(2026, 2, 1), end=dt.date(2026, 5, 1), label="später", bucket="month"
    )
    assert figure("satisfaction", personas, outside).key_numbers[1].value == 0
    other = REGISTRY["satisfaction"].figure(personas.other_network, FIRST_QUARTER)
    assert other.key_numbers[1].value == 0 and other.series[0].values == [None] * 5


def test_it_computes_in_few_queries(personas: Personas, django_assert_max_num_queries) -> None:
    rated(personas, 1, JANUARY)
    with django_assert_max_num_queries(2):
        figure("satisfaction", personas, FIRST_QUARTER)
    with django_assert_max_num_queries(1):
        figure("satisfaction_trend", personas, FIRST_QUARTER)
    with django_assert_max_num_queries(1):
        figure("satisfaction_by_cluster", personas, FIRST_QUARTER)
