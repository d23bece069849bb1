"""Time per column and the column where requests wait longest, against the hand-computed story.

Stays that ended in September (hours; see ``process_history``):

- Triage: r1–r5, r9, r10 0 each (the cluster is set when they are filed), r6 24, r7 6
  → 9 stays, sorted 0 0 0 0 0 0 0 6 24: median (rank 5) 0, total 30.
- Eingang: r1 24, r2 12, r3 48, r4 24, r5 168, r10 96 → sorted 12 24 24 48 96 168:
  median (rank 3) 24, total 372.
- In Arbeit: r1 24, r2 84, r3 96, r4 12, r5 72, r6 24, r8 48 (after reopening)
  → sorted 12 24 24 48 72 84 96: median (rank 4) 48, total 360.
- Wartet auf Rückmeldung: none. Erledigt (r8 left it on reopening) is not counted.
"""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amtshilfe.board.models import Column
from amtshilfe.board.services import close_request, create_cluster_board, take_request
from amtshilfe.indicators.process.figures import sharing_stays
from amtshilfe.indicators.registry import REGISTRY
from amtshilfe.indicators.tests.process_history import SEPTEMBER, Story, at


@pytest.fixture
def story(personas, monkeypatch):
    return Story(personas, monkeypatch).play()


def values(figure):
    return {s.key: s.values for s in figure.series}


def test_it_measures_the_stays_per_column_of_the_network_board(personas, story):
    figure = REGISTRY["time_per_column"].figure(personas.network, SEPTEMBER)

    assert figure.chart == "hbar"
    assert figure.unit == "Stunden"
    assert figure.categories == ["Eingang", "Triage", "In Arbeit", "Wartet auf Rückmeldung"]
    assert values(figure) == {
        "median": [24.0, 0.0, 48.0, None],
        "total": [372.0, 30.0, 360.0, None],
    }
    assert [(k.label, k.value) for k in figure.key_numbers] == [("beendete Aufenthalte", 22)]


def test_it_suppresses_columns_with_fewer_stays_than_the_minimum(personas, story, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 7
    figure = REGISTRY["time_per_column"].figure(personas.network, SEPTEMBER)

    # Eingang has 6 stays: hidden; Triage 9 and In Arbeit 7 stay visible.
    assert values(figure) == {
        "median": [None, 0.0, 48.0, None],
        "total": [None, 30.0, 360.0, None],
    }


def test_it_names_the_column_kind_where_requests_wait_longest(personas, story):
    figure = REGISTRY["waiting_column"].figure(personas.network, SEPTEMBER)

    assert figure.chart == ""
    assert figure.columns == [
        "Spaltenart",
        "Median je Aufenthalt (Stunden)",
        "Summe (Stunden)",
        "Aufenthalte",
    ]
    assert figure.rows == [
        ["Eingang", 24.0, 372.0, 6],
        ["Triage", 0.0, 30.0, 9],
        ["In Arbeit", 48.0, 360.0, 7],
        ["Wartet auf Rückmeldung", None, None, None],
    ]
    assert [(k.label, k.value, k.display) for k in figure.key_numbers] == [
        ("Längste Liegezeit (Median): In Arbeit", 48.0, "48,0 Stunden"),
        ("Meiste Zeit insgesamt: Eingang", 372.0, "372,0 Stunden"),
    ]
    assert figure.table() == (figure.columns, figure.rows)


def test_it_names_no_column_when_every_kind_is_too_small(personas, story, settings):
    settings.AMTSHILFE_MIN_GROUP_SIZE = 10
    figure = REGISTRY["waiting_column"].figure(personas.network, SEPTEMBER)

    assert [(k.label, k.value, k.display) for k in figure.key_numbers] == [
        ("Längste Liegezeit (Median)", None, "–")
    ]
    assert all(row[1:] == [None, None, None] for row in figure.rows)


def test_it_folds_cluster_board_columns_into_the_network_board(personas, monkeypatch, settings):
    """A cluster board's "Eingang" and "In Arbeit" count for the network board's columns."""
    settings.AMTSHILFE_MIN_GROUP_SIZE = 1
    story = Story(personas, monkeypatch)
    with time_machine.travel(at(9, 1, 8), tick=False):
        create_cluster_board(actor=personas.coordinator, cluster=personas.cluster)
    request = story.file(at(9, 1))  # triage (network board) → Eingang (Drucker's board)
    with time_machine.travel(at(9, 1, 15), tick=False):
        taken = take_request(actor=personas.alice, request=request)
    assert taken.column.board.cluster_id == personas.cluster.pk
    assert taken.column.kind == Column.Kind.IN_PROGRESS
    with time_machine.travel(at(9, 2, 9), tick=False):
        close_request(actor=personas.coordinator, request=taken)

    figure = REGISTRY["time_per_column"].figure(personas.network, SEPTEMBER)

    # Eingang 09:00 → 15:00 = 6 h; In Arbeit 15:00 → 09:00 next day = 18 h; Triage 0 h.
    assert figure.categories == ["Eingang", "Triage", "In Arbeit", "Wartet auf Rückmeldung"]
    assert values(figure) == {
        "median": [6.0, 0.0, 18.0, None],
        "total": [6.0, 0.0, 18.0, None],
    }


def test_it_shares_one_stays_query_between_both_figures_of_a_run(personas, story):
    """Inside ``sharing_stays`` the second figure reuses the stays; outside nothing is kept."""

    def stays_queries(queries):
        return [q for q in queries if "LAG(" in q["sql"]]

    with CaptureQueriesContext(connection) as run, sharing_stays():
        columns = REGISTRY["time_per_column"].figure(personas.network, SEPTEMBER)
        waiting = REGISTRY["waiting_column"].figure(personas.network, SEPTEMBER)
    assert len(stays_queries(run.captured_queries)) == 1
    assert values(columns)["total"] == [372.0, 30.0, 360.0, None]
    assert [row[2] for row in waiting.rows] == [372.0, 30.0, 360.0, None]

    with CaptureQueriesContext(connection) as alone:
        REGISTRY["waiting_column"].figure(personas.network, SEPTEMBER)
    assert len(stays_queries(alone.captured_queries)) == 1
