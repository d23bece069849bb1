"""Where a card sits: columns of a board, dense positions, status from the column.

Ordering scheme: positions in a column are dense (0, 1, 2, …) and unique per column
(database constraint). Every service that changes positions first locks the ``Column`` rows
involved with ``select_for_update`` (in id order, so two moves never deadlock), then the
request row. Shifting a range is done in two UPDATEs through a far-away range
(``+ SHIFT`` then ``- SHIFT ± 1``) so that the unique constraint never sees two cards on
one position, whatever order the database updates rows in (PostgreSQL and SQLite both
check uniqueness row by row). The moving card is parked at ``PARKED`` meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.board.models import Board, Column, ServiceRequest
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Network

SHIFT = 1_000_000_000
PARKED = 2_000_000_000


def lock_columns(columns: Iterable[Column]) -> dict[int, Column]:
    """Lock the given columns (id order) and return fresh copies by id."""
    ids = sorted({column.pk for column in columns})
    locked = Column.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {column.pk: column for column in locked}


def shift(column_id: int, start: int, delta: int) -> None:
    """Add ``delta`` (+1/-1) to every position >= ``start`` in the column (column locked)."""
    cards = ServiceRequest.objects.filter(column_id=column_id)
    moved = cards.filter(position__gte=start, position__lt=SHIFT).update(
        position=F("position") + SHIFT
    )
    if moved:
        cards.filter(position__gte=SHIFT, position__lt=PARKED).update(
            position=F("position") - SHIFT + delta
        )


def card_count(column: Column) -> int:
    return ServiceRequest.objects.filter(column=column, position__lt=SHIFT).count()


def take_out(request: ServiceRequest) -> None:
    """Park the card and close the gap it leaves (its column locked)."""
    ServiceRequest.objects.filter(pk=request.pk).update(position=PARKED)
    shift(request.column_id, request.position + 1, -1)
    request.position = PARKED


def put_in(request: ServiceRequest, column: Column, position: int | None) -> None:
    """Open a gap at ``position`` (clamped; None = at the end) and set the card there.

    The card must be parked or new; the caller saves it.
    """
    count = card_count(column)
    position = count if position is None else min(max(position, 0), count)
    shift(column.pk, position, +1)
    request.column, request.position = column, position


def apply_column_status(request: ServiceRequest, column: Column) -> None:
    """Set status and timestamps from the column's kind (the one place that does it).

    A done column holds ``done`` cards (waiting for the rating) and ``closed`` ones.
    """
    if column.kind == Column.Kind.DONE:
        now = timezone.now()
        request.solved_at = request.solved_at or now
        if request.rating is not None:  # rated before it was reopened: one rating only
            request.status = ServiceRequest.Status.CLOSED
            request.closed_at = request.closed_at or now
        elif request.status != ServiceRequest.Status.CLOSED:
            request.status = ServiceRequest.Status.DONE
    else:
        request.status = ServiceRequest.STATUS_FOR_KIND[column.kind]
        request.solved_at = None
        request.closed_at = None


def network_board(network: Network) -> Board:
    board = Board.objects.filter(network=network, cluster__isnull=True).first()
    if board is None:
        from amtshilfe.board.services.boards import ensure_default_board

        board = ensure_default_board(network=network)
    return board


def board_for(network: Network, cluster: TopicCluster | None) -> Board:
    """The board a request of ``cluster`` lives on: the cluster's own one, else the network's."""
    if cluster is not None:
        own = Board.objects.filter(network=network, cluster=cluster).first()
        if own is not None:
            return own
    return network_board(network)


def first_column(board: Board, kind: str) -> Column:
    column = board.columns.filter(kind=kind).order_by("position").first()
    if column is None:  # services keep one column of every kind; this is a broken board
        raise ValidationError(
            _("Das Board „%(board)s“ hat keine Spalte „%(kind)s“.")
            % {"board": board.name, "kind": Column.Kind(kind).label}
        )
    return column
