"""Handling time per cluster and quarter, and the newcomers' learning curve.

Handling times (hours booked per solved request) by quarter of solving, first half of 2026:

- Q1: Drucker 30, 45, 60, 90, 150 − 30 = 120 minutes (p1…p5) → median 60 min = 1 h;
  E-Mail 15 (p2) → one request: suppressed; all topics 15, 30, 45, 60, 90, 120 → median
  (45 + 60) ÷ 2 = 52.5 min = 0.875 h (5 people).
- Q2: E-Mail 15, 20, 20 (p3…p5) → suppressed, and so is "all topics" (3 requests).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from amtshilfe.indicators.metrics import learning
from amtshilfe.indicators.metrics.learning import (
    handling_time_by_quarter,
    newcomer_first_solved,
)
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.factories_a import (
    book,
    cluster,
    it_people,
    key_numbers,
    period,
    request,
    values,
)
from amtshilfe.onboarding.tests.test_metrics import data, no_triage  # noqa: F401 (fixtures)
from amtshilfe.timeaccounting.models import TimeEntry

H1 = period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture
def handled(personas):
    people = it_people(personas, 5)
    drucker, email = personas.cluster, cluster(personas, "E-Mail")
    q1, q2 = dt.date(2026, 2, 10), dt.date(2026, 5, 10)
    for person, minutes in zip(people, [30, 45, 60, 90, 150], strict=True):
        entry = book(request(personas, created=q1, solved=q1, cluster=drucker), person, minutes)
    book(entry.request, people[0], 30, reverses=entry)
    solved_on = [q1, q2, q2, q2]
    for person, minutes, day in zip(people[1:], [15, 15, 20, 20], solved_on, strict=True):
        book(request(personas, created=day, solved=day, cluster=email), person, minutes)
    book(request(personas, created=q1, cluster=drucker), people[0], 600)  # still open
    # Solved in December: before the first quarter of the period.
    book(request(personas, created=dt.date(2025, 12, 1), solved=dt.date(2025, 12, 2)), people[0], 5)
    return people


def test_it_computes_median_handling_time_per_cluster_and_quarter(
    personas, handled, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        figure = handling_time_by_quarter(personas.network, H1)
    assert figure.categories == ["1. Quartal 2026", "2. Quartal 2026"]
    assert [s.label for s in figure.series] == ["alle Themen", "Drucker", "E-Mail"]
    assert values(figure, "network") == [0.88, None]
    assert values(figure, "drucker") == [1.0, None]
    assert values(figure, "email") == [None, None]
    assert key_numbers(figure) == [None]  # the latest quarter is suppressed
    assert figure.chart == "line" and figure.unit == "Stunden"


def test_it_suppresses_a_median_resting_on_four_people(personas, handled):
    # p5's Drucker booking goes to p4: five requests, but only four people booked on them.
    TimeEntry.objects.filter(person=handled[4], request__cluster=personas.cluster).update(
        person=handled[3]
    )
    figure = handling_time_by_quarter(personas.network, H1)
    assert values(figure, "drucker") == [None, None]
    # all topics in Q1: p1…p4 and p2 (E-Mail) = 4 people
    assert values(figure, "network") == [None, None]


def test_it_shows_a_group_of_four_with_a_smaller_group_size(personas, handled, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 3
    figure = handling_time_by_quarter(personas.network, H1)
    # Q2 E-Mail: 15, 20, 20 minutes → 20 min = 0.33 h
    assert values(figure, "email") == [None, 0.33]
    assert key_numbers(figure) == [0.33]
    assert figure.key_numbers[0].display == "0,33 Std."


def test_it_shows_the_learning_curve_of_newcomers(
    personas,
    data,  # noqa: F811
    django_assert_max_num_queries,
):
    # The onboarding app's data set: Q1 6 completed plans (median 35 days), 5 newcomers with
    # a first solved request (median 15 days); Q2 groups of one – suppressed there.
    with django_assert_max_num_queries(6):
        figure = newcomer_first_solved(personas.network, H1)
    assert figure.categories == ["Drucker, 1. Quartal 2026", "Drucker, 2. Quartal 2026"]
    assert figure.category_keys == ["drucker-2026-q1", "drucker-2026-q2"]
    assert values(figure, "first_solved_days") == [15.0, None]
    assert values(figure, "completed_days") == [35.0, None]
    assert key_numbers(figure) == [5, 6]


def test_it_keeps_only_the_quarters_of_the_period(personas, monkeypatch):
    shown = {"count": 5, "median_days": 12.0, "suppressed": False}
    hidden = {"count": None, "median_days": None, "suppressed": True}
    rows = [
        {
            "cluster_id": personas.cluster.pk,
            "cluster": "Drucker",
            "year": 2025,
            "quarter": 4,
            "completed_plans": shown,
            "first_solved_request": shown,
        },
        {
            "cluster_id": personas.cluster.pk,
            "cluster": "Drucker",
            "year": 2026,
            "quarter": 2,
            "completed_plans": hidden,
            "first_solved_request": shown,
        },
    ]
    monkeypatch.setattr(learning, "learning_curve", lambda network: rows)
    figure = newcomer_first_solved(personas.network, H1)
    assert figure.categories == ["Drucker, 2. Quartal 2026"]
    assert values(figure, "first_solved_days") == [12.0]
    assert values(figure, "completed_days") == [None]
    assert key_numbers(figure) == [5, 0]


def test_it_registers_the_learning_figures():
    assert {REGISTRY[k].section for k in ("handling_time_by_quarter", "newcomer_first_solved")} == {
        "learning"
    }
