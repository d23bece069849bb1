"""Requests per cluster, per municipality and over time; small counts and their complements.

Period: January to March 2026 (one bucket per month). Counts below five are suppressed, and
while the suppressed values of a series add up to 1 … 4 the smallest shown value is too.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from amtshilfe.indicators.metrics.requests import (
    hide_small,
    requests_by_cluster,
    requests_by_municipality,
    requests_over_time,
)
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.factories_a import cluster, key_numbers, period, request, values
from amtshilfe.tenancy.models import Municipality

Q1 = period(dt.date(2026, 1, 1), dt.date(2026, 4, 1))
BEFORE = dt.date(2025, 12, 10)


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([7, 6, 3, 2], [False, False, True, True]),  # hidden 3 + 2 = 5: enough
        ([7, 6, 3, 1], [False, True, True, True]),  # hidden 4: the smallest shown (6) too
        ([5, 0, 4], [True, False, True]),  # 0 is shown and never chosen as complement
        ([4], [True]),  # nothing left to hide with; the total (4) is suppressed itself
        ([0, 0, 5], [False, False, False]),
        ([9, 5, 1, 1], [False, True, True, True]),  # 1 + 1 < 5 → 5 joins → 7
    ],
)
def test_it_hides_small_counts_and_a_complement(counts, hidden):
    assert hide_small(counts, 5) == hidden


def test_it_hides_small_counts_with_the_configured_size(settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 3
    assert hide_small([3, 2, 2]) == [False, True, True]


def many(personas, count, **fields):
    for _index in range(count):
        request(personas, **fields)


@pytest.fixture
def clusters(personas):
    """Filed in Q1: Drucker 7, E-Mail 6, Fachverfahren 3, without cluster 2.
    Solved in Q1: Drucker 6 (of those filed), E-Mail 5 (3 of them filed in December)."""
    email = cluster(personas, "E-Mail")
    special = cluster(personas, "Fachverfahren")
    cluster(personas, "Telefonie", active=False)  # inactive and without requests: not listed
    drucker = personas.cluster
    many(personas, 6, created=dt.date(2026, 1, 5), solved=dt.date(2026, 2, 1), cluster=drucker)
    many(personas, 1, created=dt.date(2026, 3, 5), cluster=drucker)
    many(personas, 2, created=dt.date(2026, 1, 5), solved=dt.date(2026, 1, 20), cluster=email)
    many(personas, 4, created=dt.date(2026, 2, 5), cluster=email)
    many(personas, 3, created=BEFORE, solved=dt.date(2026, 3, 1), cluster=email)
    many(personas, 3, created=dt.date(2026, 2, 5), cluster=special)
    many(personas, 2, created=dt.date(2026, 3, 30), municipality=personas.b)
    # Outside: filed and solved before, filed after the period.
    many(personas, 2, created=BEFORE, solved=dt.date(2025, 12, 20), cluster=drucker)
    many(personas, 1, created=dt.date(2026, 4, 1), cluster=drucker)


def test_it_counts_requests_per_cluster_with_complementary_suppression(
    personas, clusters, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        figure = requests_by_cluster(personas.network, Q1)
    assert figure.categories == ["Drucker", "E-Mail", "Fachverfahren", "ohne Themencluster"]
    assert figure.category_keys == ["drucker", "email", "fachverfahren", ""]
    # filed 7, 6, 3, 2: 3 + 2 = 5 hidden – enough, E-Mail stays
    assert values(figure, "filed") == [7, 6, None, None]
    assert values(figure, "solved") == [6, 5, 0, 0]
    assert key_numbers(figure) == [18, 11]
    assert figure.chart == "hbar" and figure.suppressed == 2


def test_it_hides_a_second_cluster_when_one_small_one_could_be_recomputed(personas, clusters):
    # One request fewer without cluster: 3 + 1 = 4 hidden → E-Mail (6) is hidden as well.
    from amtshilfe.board.models import ServiceRequest

    last = ServiceRequest.objects.filter(cluster__isnull=True).order_by("pk").last()
    ServiceRequest.objects.filter(pk=last.pk).update(
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    figure = requests_by_cluster(personas.network, Q1)
    assert values(figure, "filed") == [7, None, None, None]
    assert key_numbers(figure) == [17, 11]


def test_it_shows_five_and_hides_four(personas):
    email = cluster(personas, "E-Mail")
    many(personas, 5, created=dt.date(2026, 1, 5), cluster=personas.cluster)
    many(personas, 4, created=dt.date(2026, 1, 5), cluster=email)
    many(personas, 1, created=dt.date(2026, 1, 5), municipality=personas.b)
    figure = requests_by_cluster(personas.network, Q1)
    # 4 + 1 = 5 hidden: no complement needed, the five are shown
    assert values(figure, "filed") == [5, None, None]
    assert key_numbers(figure) == [10, 0]


def test_it_counts_requests_per_municipality(personas, django_assert_max_num_queries):
    Municipality.objects.create(
        network=personas.network, slug="coswig", name="Coswig", joined_on=dt.date(2026, 1, 1)
    )
    Municipality.objects.create(
        network=personas.network,
        slug="glaubitz",
        name="Glaubitz",
        joined_on=dt.date(2024, 1, 1),
        status="left",
        left_on=dt.date(2025, 6, 1),
    )
    many(personas, 5, created=dt.date(2026, 1, 5), solved=dt.date(2026, 2, 1))  # Riesa
    many(personas, 5, created=dt.date(2026, 2, 5))  # Riesa
    many(personas, 4, created=dt.date(2026, 2, 5), municipality=personas.b)  # Meißen
    with django_assert_max_num_queries(2):
        figure = requests_by_municipality(personas.network, Q1)
    # Glaubitz had left before the period; Coswig is a member without requests.
    assert figure.categories == ["Coswig", "Meißen", "Riesa"]
    # filed 0, 4, 10: Meißen's 4 could be recomputed from the total 14 → Riesa hidden too
    assert values(figure, "filed") == [0, None, None]
    assert values(figure, "solved") == [0, 0, 5]
    assert key_numbers(figure) == [14, 5]


def test_it_counts_requests_over_time(personas, django_assert_max_num_queries):
    many(personas, 6, created=dt.date(2026, 1, 5), solved=dt.date(2026, 2, 10))
    many(personas, 5, created=dt.date(2026, 2, 5), solved=dt.date(2026, 3, 10))
    many(personas, 2, created=dt.date(2026, 3, 5))
    many(personas, 1, created=BEFORE, solved=dt.date(2026, 3, 11))
    many(personas, 3, created=BEFORE)
    with django_assert_max_num_queries(2):
        figure = requests_over_time(personas.network, Q1)
    assert figure.category_keys == ["2026-01-01", "2026-02-01", "2026-03-01"]
    # filed 6, 5, 2 → 2 hidden alone could be recomputed → 5 hidden as well
    assert values(figure, "filed") == [6, None, None]
    assert values(figure, "solved") == [0, 6, 6]
    assert key_numbers(figure) == [13, 12]
    other = requests_over_time(personas.other_network, Q1)
    assert values(other, "filed") == [0, 0, 0] and key_numbers(other) == [0, 0]


def test_it_suppresses_a_total_under_five(personas):
    many(personas, 3, created=dt.date(2026, 1, 5))
    figure = requests_over_time(personas.network, Q1)
    assert values(figure, "filed") == [None, 0, 0]
    assert key_numbers(figure) == [None, 0]
    assert figure.key_numbers[0].display == "–"


def test_it_registers_the_request_figures():
    assert REGISTRY["requests_by_cluster"].public and REGISTRY["requests_over_time"].public
    assert not REGISTRY["requests_by_municipality"].public
    assert {REGISTRY[k].section for k in ("requests_by_cluster", "requests_over_time")} == {
        "requests"
    }
