"""Lead time and cycle time: percentiles per cluster and urgency against the hand-computed story.

Lead times in September (days; first solution − filing), see ``process_history``:
r1 2.0, r2 4.0, r3 6.0, r4 1.5, r5 10.0 (Drucker); r6 2.0, r7 0.25 (no cluster).
r8 (first solved in August, solved again in September) and r10 (solved in October) do not
count, nor the other network's request. Cycle times (first start → first solution):
r1 1.0, r2 3.5, r3 4.0, r4 0.5, r5 3.0, r6 1.0; r7 was never in progress.

Nearest rank ⌈p·n/100⌉: n = 5 → p50 rank 3, p85 and p95 rank 5; n = 7 → ranks 4, 6, 7;
n = 6 → ranks 3, 6, 6; n = 2 → ranks 1, 2, 2.
"""

from __future__ import annotations

import pytest
from django.db.models import F

from amtshilfe.indicators.process.durations import lead_times
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.process_history import SEPTEMBER, Story


@pytest.fixture
def story(personas, monkeypatch):
    return Story(personas, monkeypatch).play()


def values(figure):
    return {s.key: s.values for s in figure.series}


def key_numbers(figure):
    return [(k.label, k.value, k.display) for k in figure.key_numbers]


def test_it_computes_lead_time_percentiles_per_cluster_and_urgency(personas, story):
    figure = REGISTRY["lead_time"].figure(personas.network, SEPTEMBER)

    assert figure.key == "lead_time"
    assert figure.title == "Durchlaufzeit je Themencluster und Dringlichkeit"
    assert figure.chart == "hbar"
    assert figure.unit == "Tage"
    assert figure.categories == [
        "Themencluster: Drucker",
        "ohne Themencluster",
        "Dringlichkeit: normal",
        "Dringlichkeit: hoch",
    ]
    assert figure.category_keys == [
        f"cluster-{personas.cluster.pk}",
        "cluster-none",
        "urgency-normal",
        "urgency-high",
    ]
    # Drucker: 1.5 2 4 6 10 → 4 / 10 / 10; normal (r1 r2 r3 r5 r6): 2 2 4 6 10 → 4 / 10 / 10.
    # Without cluster (2 requests) and high urgency (r4, r7) are below 5: suppressed.
    assert values(figure) == {
        "p50": [4.0, None, 4.0, None],
        "p85": [10.0, None, 10.0, None],
        "p95": [10.0, None, 10.0, None],
    }
    # All 7: 0.25 1.5 2 2 4 6 10 → ranks 4, 6, 7.
    assert key_numbers(figure) == [
        ("Anfragen", 7, "7"),
        ("Median (p50), alle", 2.0, "2,0 Tage"),
        ("p85, alle", 6.0, "6,0 Tage"),
        ("p95, alle", 10.0, "10,0 Tage"),
    ]
    assert figure.suppressed == 6
    assert figure.notes == [
        "– = weniger als 5 Anfragen in der Gruppe; aus Datenschutzgründen nicht angezeigt."
    ]


def test_it_computes_cycle_time_from_the_first_start_of_work(personas, story):
    figure = REGISTRY["cycle_time"].figure(personas.network, SEPTEMBER)

    # Drucker: 0.5 1 3 3.5 4 → 3 / 4 / 4; normal (r1 r2 r3 r5 r6): 1 1 3 3.5 4 → 3 / 4 / 4.
    assert figure.categories == [
        "Themencluster: Drucker",
        "ohne Themencluster",
        "Dringlichkeit: normal",
        "Dringlichkeit: hoch",
    ]
    assert values(figure) == {
        "p50": [3.0, None, 3.0, None],
        "p85": [4.0, None, 4.0, None],
        "p95": [4.0, None, 4.0, None],
    }
    # Six requests (r7 never in progress): 0.5 1 1 3 3.5 4 → ranks 3, 6, 6.
    assert key_numbers(figure) == [
        ("Anfragen", 6, "6"),
        ("Median (p50), alle", 1.0, "1,0 Tage"),
        ("p85, alle", 4.0, "4,0 Tage"),
        ("p95, alle", 4.0, "4,0 Tage"),
    ]


def test_it_shows_small_groups_when_the_minimum_group_size_allows(personas, story, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 2
    lead = REGISTRY["lead_time"].figure(personas.network, SEPTEMBER)
    cycle = REGISTRY["cycle_time"].figure(personas.network, SEPTEMBER)

    # Without cluster: r7 0.25, r6 2.0; high: r7 0.25, r4 1.5 (ranks 1, 2, 2).
    assert values(lead) == {
        "p50": [4.0, 0.2, 4.0, 0.2],
        "p85": [10.0, 2.0, 10.0, 1.5],
        "p95": [10.0, 2.0, 10.0, 1.5],
    }
    # Cycle: without cluster only r6, high only r4 – one each, still below 2.
    assert values(cycle) == {
        "p50": [3.0, None, 3.0, None],
        "p85": [4.0, None, 4.0, None],
        "p95": [4.0, None, 4.0, None],
    }


def test_it_counts_each_network_on_its_own(personas, story):
    other = lead_times(personas.other_network, SEPTEMBER, {"all": F("network_id")})["all"]
    ours = lead_times(personas.network, SEPTEMBER, {"all": F("network_id")})["all"]

    assert other[personas.other_network.pk].count == 1
    assert ours[personas.network.pk].count == 7
    figure = REGISTRY["lead_time"].figure(personas.other_network, SEPTEMBER)
    assert figure.categories == ["ohne Themencluster", "Dringlichkeit: normal"]
    assert values(figure) == {"p50": [None, None], "p85": [None, None], "p95": [None, None]}


def test_it_is_empty_without_solved_requests(personas):
    figure = REGISTRY["lead_time"].figure(personas.network, SEPTEMBER)

    assert figure.categories == []
    assert key_numbers(figure) == [
        ("Anfragen", 0, "0"),
        ("Median (p50), alle", None, "–"),
        ("p85, alle", None, "–"),
        ("p95, alle", None, "–"),
    ]
