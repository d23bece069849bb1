"""Configuring the board: only the coordination; every kind of column stays available."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import Board, Column
from amtshilfe.board.services import (
    create_column,
    delete_column,
    ensure_default_board,
    move_column,
    update_board,
    update_column,
)
from amtshilfe.board.tests.requests import file
from amtshilfe.core.models import AuditEvent


def layout(board):
    return list(board.columns.order_by("position").values_list("name", "kind", "position"))


def test_it_creates_the_default_board_once(personas):
    board = ensure_default_board(network=personas.network)
    assert ensure_default_board(network=personas.network) == board
    assert Board.objects.filter(network=personas.network).count() == 1
    assert layout(board) == [
        ("Eingang", "inbox", 0),
        ("Triage", "triage", 1),
        ("In Arbeit", "in_progress", 2),
        ("Wartet auf Rückmeldung", "waiting", 3),
        ("Erledigt", "done", 4),
    ]


def test_it_adds_renames_reorders_and_deletes_columns(personas):
    board = ensure_default_board(network=personas.network)
    coordinator = personas.coordinator
    test = create_column(actor=coordinator, board=board, name="Test beim Amt", kind="waiting")
    assert test.position == 4  # before "Erledigt" by default
    update_column(actor=coordinator, column=test, name="Test in der Kommune", wip_limit=3)
    move_column(actor=coordinator, column=test, position=1)
    assert [name for name, _kind, _pos in layout(board)] == [
        "Eingang",
        "Test in der Kommune",
        "Triage",
        "In Arbeit",
        "Wartet auf Rückmeldung",
        "Erledigt",
    ]
    assert [pos for _name, _kind, pos in layout(board)] == list(range(6))
    delete_column(actor=coordinator, column=Column.objects.get(pk=test.pk))
    assert [pos for _name, _kind, pos in layout(board)] == list(range(5))
    assert AuditEvent.objects.filter(action__startswith="column.").count() == 4


def test_it_refuses_to_delete_a_column_with_cards_or_the_last_of_its_kind(personas):
    board = ensure_default_board(network=personas.network)
    file(personas)  # lands in "Triage"
    triage = board.columns.get(kind="triage")
    with pytest.raises(ValidationError, match="enthält noch Karten"):
        delete_column(actor=personas.coordinator, column=triage)
    with pytest.raises(ValidationError, match="letzte Spalte"):
        delete_column(actor=personas.coordinator, column=board.columns.get(kind="done"))
    with pytest.raises(ValidationError, match="mit Karten"):
        update_column(
            actor=personas.coordinator, column=triage, name="Triage", wip_limit=None, kind="done"
        )
    assert board.columns.count() == 5


def test_it_refuses_duplicate_names_and_bad_limits(personas):
    board = ensure_default_board(network=personas.network)
    with pytest.raises(ValidationError) as error:
        create_column(actor=personas.coordinator, board=board, name="eingang", kind="inbox")
    assert "bereits eine Spalte" in error.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        update_column(
            actor=personas.coordinator, column=board.columns.first(), name="Eingang", wip_limit=0
        )
    with pytest.raises(ValidationError):
        update_board(actor=personas.coordinator, board=board, triage_threshold=1.5)


@pytest.mark.parametrize("name", ["alice", "bob", "steering"])
def test_it_lets_only_the_coordination_configure(personas, name):
    board = ensure_default_board(network=personas.network)
    person = getattr(personas, name)
    with pytest.raises(PermissionDenied):
        create_column(actor=person, board=board, name="Neu", kind="inbox")
    with pytest.raises(PermissionDenied):
        move_column(actor=person, column=board.columns.first(), position=3)
    with pytest.raises(PermissionDenied):
        update_board(actor=person, board=board, triage_threshold=0.1)
