"""Moving cards: status follows the column, stale moves are refused, order stays intact."""

from __future__ import annotations

import random
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from amtshilfe.board.models import Column, RequestEvent, ServiceRequest
from amtshilfe.board.services import (
    StaleMove,
    create_cluster_board,
    ensure_default_board,
    move_request,
)
from amtshilfe.board.tests.requests import column, file_in_cluster, refresh
from amtshilfe.notifications.models import Notification


def assert_dense(board):
    """Every column's positions are exactly 0..n-1."""
    for col in board.columns.all():
        positions = list(col.requests.order_by("position").values_list("position", flat=True))
        assert positions == list(range(len(positions))), col.name


def test_it_derives_the_status_from_the_column(personas):
    request = file_in_cluster(personas)
    Notification.objects.all().delete()
    moved = move_request(
        actor=personas.alice,
        request=request,
        column=column(personas, Column.Kind.WAITING),
        position=0,
        expected_version=request.version,
    )
    assert moved.status == ServiceRequest.Status.WAITING
    assert moved.version == request.version + 1
    events = list(RequestEvent.objects.filter(request=request).order_by("-id")[:2])
    assert {e.kind for e in events} == {"column", "status"}
    status = next(e for e in events if e.kind == "status")
    assert status.data == {
        "from": {"value": "new", "label": "Neu"},
        "to": {"value": "waiting", "label": "Wartet auf Rückmeldung"},
    }
    column_event = next(e for e in events if e.kind == "column")
    assert (column_event.data["from"]["kind"], column_event.data["to"]["kind"]) == (
        "inbox",
        "waiting",
    )
    # The requester hears that IT waits for him; the mover does not notify herself.
    assert list(Notification.objects.values_list("user__username", "kind")) == [
        ("bob", "request_status")
    ]


def test_it_stamps_and_clears_solved_at(personas):
    request = file_in_cluster(personas)
    done = move_request(
        actor=personas.alice,
        request=request,
        column=column(personas, Column.Kind.DONE),
        position=None,
        expected_version=request.version,
    )
    assert done.status == "done" and done.solved_at is not None
    back = move_request(
        actor=personas.alice,
        request=done,
        column=column(personas, Column.Kind.IN_PROGRESS),
        position=None,
        expected_version=done.version,
    )
    assert back.status == "in_progress" and back.solved_at is None


def test_it_refuses_a_stale_move_and_names_who_moved(personas):
    request = file_in_cluster(personas)
    seen_version = request.version
    move_request(
        actor=personas.alice,
        request=request,
        column=column(personas, Column.Kind.IN_PROGRESS),
        position=0,
        expected_version=seen_version,
    )
    with pytest.raises(StaleMove) as error:
        move_request(
            actor=personas.coordinator,
            request=request,
            column=column(personas, Column.Kind.DONE),
            position=0,
            expected_version=seen_version,
        )
    assert error.value.messages == [
        "Die Karte wurde inzwischen von Alice Test verschoben. Die Ansicht wurde aktualisiert."
    ]
    assert isinstance(error.value, ValidationError)
    assert error.value.request.status == "in_progress"
    assert refresh(request).column.kind == Column.Kind.IN_PROGRESS


def test_it_lets_only_the_it_side_move(personas):
    request = file_in_cluster(personas)
    for person in (personas.bob, personas.dora):
        with pytest.raises(PermissionDenied):
            move_request(
                actor=person,
                request=request,
                column=column(personas, Column.Kind.DONE),
                position=0,
                expected_version=request.version,
            )


def test_it_keeps_cards_on_their_board(personas):
    request = file_in_cluster(personas)
    cluster_board = create_cluster_board(actor=personas.coordinator, cluster=personas.cluster)
    request = refresh(request)
    assert request.column.board == cluster_board
    with pytest.raises(ValidationError, match="anderen Board"):
        move_request(
            actor=personas.alice,
            request=request,
            column=column(personas, Column.Kind.DONE),  # the network board's
            position=0,
            expected_version=request.version,
        )


def test_it_keeps_positions_unique_and_contiguous_after_many_moves(personas):
    board = ensure_default_board(network=personas.network)
    cards = [file_in_cluster(personas, title=f"Anfrage {n}") for n in range(8)]
    columns = list(board.columns.all())
    rng = random.Random(4)
    for _step in range(60):
        card = refresh(rng.choice(cards))
        target = rng.choice(columns)
        wanted = rng.randint(-1, 9)
        moved = move_request(
            actor=personas.alice,
            request=card,
            column=target,
            position=wanted,
            expected_version=card.version,
        )
        count = target.requests.count()
        assert moved.column == target
        assert moved.position == min(max(wanted, 0), count - 1)
        assert moved.status in (ServiceRequest.STATUS_FOR_KIND[target.kind], "closed")
    assert_dense(board)
    assert ServiceRequest.objects.count() == 8


def test_it_reorders_within_a_column(personas):
    a, _b, c = (file_in_cluster(personas, title=t) for t in "ABC")
    move_request(
        actor=personas.alice,
        request=refresh(c),
        column=refresh(c).column,
        position=0,
        expected_version=refresh(c).version,
    )
    order = list(refresh(a).column.requests.order_by("position").values_list("title", flat=True))
    assert order == ["C", "A", "B"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_it_serialises_concurrent_moves(personas):
    """Two people drag the same card at the same moment: one wins, the other is told."""
    from django.db import connections

    request = file_in_cluster(personas)
    others = [file_in_cluster(personas, title=f"Karte {n}") for n in range(3)]
    targets = [column(personas, Column.Kind.IN_PROGRESS), column(personas, Column.Kind.DONE)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def drag(actor, target):
        try:
            barrier.wait()
            move_request(
                actor=actor,
                request=request,
                column=target,
                position=0,
                expected_version=request.version,
            )
            results.append("moved")
        except StaleMove:
            results.append("stale")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=drag, args=(personas.alice, targets[0])),
        threading.Thread(target=drag, args=(personas.coordinator, targets[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["moved", "stale"]
    assert_dense(ensure_default_board(network=personas.network))
    assert len(others) + 1 == ServiceRequest.objects.count()


def test_it_moves_a_clusters_cards_to_its_new_board_and_closes_ranks(personas):
    from amtshilfe.board.services import set_request_cluster
    from amtshilfe.experts.services import create_cluster

    network_cluster = create_cluster(actor=None, network=personas.network, name="Netzwerk")
    mixed = []
    for n in range(6):
        request = file_in_cluster(personas, title=f"Karte {n}")
        if n % 2:
            request = set_request_cluster(
                actor=personas.coordinator, request=request, cluster=network_cluster
            )
        mixed.append(request)
    main = ensure_default_board(network=personas.network)
    own = create_cluster_board(actor=personas.coordinator, cluster=personas.cluster)
    assert_dense(main)
    assert_dense(own)
    titles = list(ServiceRequest.objects.on_board(own).values_list("title", flat=True))
    assert titles == ["Karte 0", "Karte 2", "Karte 4"]
    assert ServiceRequest.objects.on_board(main).count() == 3
