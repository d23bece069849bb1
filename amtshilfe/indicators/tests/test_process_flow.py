"""Cumulative flow and ageing work in progress, against the hand-computed story.

Cards per column kind at the end of each September day (see ``process_history``); before
September r12 is in triage and r8 is done:

======  ======  =======  =========  ========
day     Triage  Eingang  In Arbeit  Erledigt
======  ======  =======  =========  ========
1.      1       1 (r1)   1 (r2)     1
2.      1       2        2          1
3.      1       2        1          3
4.      2 (r6)  1        2          4 (r7)
5.      1       1        2          5
6.–7.   1       1        1          6
8.–9.   1       1        0          7
10.–11. 1       0        2 (r8)     6
12.     1       0        1          7
13.–14. 1       0        0          8
15.–24. 1       1 (r9)   0          8
25.–28. 1       2 (r10)  0          8
29.–30. 1       1        1          8
======  ======  =======  =========  ========

Nothing ever waits ("Wartet auf Rückmeldung" stays 0).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from amtshilfe.indicators.process.flow import cards_per_kind_at, read_backwards
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.process_history import BERLIN, SEPTEMBER, Story, at, period

ROWS = [
    # (days, triage, inbox, in progress, done)
    (1, 1, 1, 1, 1),
    (1, 1, 2, 2, 1),
    (1, 1, 2, 1, 3),
    (1, 2, 1, 2, 4),
    (1, 1, 1, 2, 5),
    (2, 1, 1, 1, 6),
    (2, 1, 1, 0, 7),
    (2, 1, 0, 2, 6),
    (1, 1, 0, 1, 7),
    (2, 1, 0, 0, 8),
    (10, 1, 1, 0, 8),
    (4, 1, 2, 0, 8),
    (2, 1, 1, 1, 8),
]


def expected_series() -> dict[str, list[int]]:
    series: dict[str, list[int]] = {
        "done": [],
        "waiting": [],
        "in_progress": [],
        "triage": [],
        "inbox": [],
    }
    for days, triage, inbox, in_progress, done in ROWS:
        for _day in range(days):
            series["done"].append(done)
            series["waiting"].append(0)
            series["in_progress"].append(in_progress)
            series["triage"].append(triage)
            series["inbox"].append(inbox)
    return series


@pytest.fixture
def story(personas, monkeypatch):
    return Story(personas, monkeypatch).play()


def values(figure):
    return {s.key: s.values for s in figure.series}


def test_it_counts_the_cards_per_column_kind_at_the_end_of_each_day(personas, story):
    figure = REGISTRY["cumulative_flow"].figure(personas.network, SEPTEMBER)

    assert figure.chart == "stacked_area"
    assert len(figure.categories) == 30
    assert figure.categories[0] == "1. September 2026"
    assert figure.category_keys[0] == "2026-09-01"
    assert figure.category_keys[-1] == "2026-09-30"
    assert [s.label for s in figure.series] == [
        "Erledigt",
        "Wartet auf Rückmeldung",
        "In Arbeit",
        "Triage",
        "Eingang",
    ]
    assert values(figure) == expected_series()
    assert [(k.label, k.value) for k in figure.key_numbers] == [("offen am Ende des Zeitraums", 3)]


@pytest.mark.parametrize("backwards", [False, True])
def test_it_counts_alike_forward_from_the_first_event_and_backward_from_now(
    personas, story, backwards
):
    days = [dt.date(2026, 9, 1) + dt.timedelta(days=n) for n in range(30)]
    levels = cards_per_kind_at(personas.network, SEPTEMBER, days, backwards=backwards)

    expected = expected_series()
    for kind, values_by_day in expected.items():
        assert [levels[day][kind] for day in sorted(levels)] == values_by_day, kind
    # The story's September is read forward: fewer events before it than after its start.
    assert read_backwards(personas.network, dt.datetime(2026, 9, 1, tzinfo=BERLIN)) is False
    assert read_backwards(personas.network, dt.datetime(2026, 9, 30, tzinfo=BERLIN)) is True


def test_it_samples_long_periods_at_the_end_of_each_bucket(personas, story):
    four_months = period(dt.date(2026, 7, 1), dt.date(2026, 10, 31))
    figure = REGISTRY["cumulative_flow"].figure(personas.network, four_months)

    assert figure.category_keys == ["2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"]
    assert figure.categories == ["Jul 2026", "Aug 2026", "Sep 2026", "Okt 2026"]
    # End of October: r10 was solved on 2 October.
    assert values(figure) == {
        "done": [0, 1, 8, 9],
        "waiting": [0, 0, 0, 0],
        "in_progress": [0, 0, 1, 0],
        "triage": [0, 1, 1, 1],
        "inbox": [0, 0, 1, 1],
    }


def test_it_ignores_other_networks(personas, story):
    figure = REGISTRY["cumulative_flow"].figure(personas.other_network, SEPTEMBER)

    # Olga's request: in triage on 1 September, done from 2 September on.
    assert values(figure)["triage"][:3] == [1, 0, 0]
    assert values(figure)["done"][:3] == [0, 1, 1]


def test_it_ages_the_open_requests_at_the_end_of_a_past_period(personas, story):
    figure = REGISTRY["ageing_wip"].figure(personas.network, SEPTEMBER)

    # At 1 October 00:00: r10 (filed 25 Sept, 5 days, in progress), r9 (15 Sept, 15 days,
    # inbox), r12 (10 Aug, 51 days, triage).
    assert figure.chart == "stacked_bar"
    assert figure.categories == [
        "0–2 Tage",
        "3–7 Tage",
        "8–14 Tage",
        "15–30 Tage",
        "mehr als 30 Tage",
    ]
    assert values(figure) == {
        "inbox": [0, 0, 0, 1, 0],
        "triage": [0, 0, 0, 0, 1],
        "in_progress": [0, 1, 0, 0, 0],
        "waiting": [0, 0, 0, 0, 0],
    }
    assert [(k.label, k.value) for k in figure.key_numbers] == [
        ("offene Anfragen", 3),
        ("davon älter als 30 Tage", 1),
    ]
    assert figure.notes[0] == "Stand: 01.10.2026 00:00."


def test_it_ages_the_open_requests_on_the_board_as_it_is_now(personas, story):
    until_now = period(dt.date(2026, 9, 4), dt.date(2026, 10, 3))
    with time_machine.travel(at(10, 3, 12), tick=False):
        now = REGISTRY["ageing_wip"].figure(personas.network, until_now)
    with time_machine.travel(at(10, 5, 12), tick=False):
        afterwards = REGISTRY["ageing_wip"].figure(personas.network, until_now)

    # 3 October 12:00: r9 is 18 days old (inbox), r12 54 days (triage); r10 is done.
    expected = {
        "inbox": [0, 0, 0, 1, 0],
        "triage": [0, 0, 0, 0, 1],
        "in_progress": [0, 0, 0, 0, 0],
        "waiting": [0, 0, 0, 0, 0],
    }
    assert values(now) == expected
    assert now.notes[0] == "Stand: 03.10.2026 12:00."
    # Two days later the same period is read back from the history, at its end.
    assert values(afterwards) == expected
    assert afterwards.notes[0] == "Stand: 04.10.2026 00:00."
