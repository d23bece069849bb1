"""What a Kanban board shows: its columns with the visible cards, ready for the template.

A board page costs the same few queries however many cards it has (it is benchmarked with
2,000 open cards):

1. the columns with the number of cards in each (one aggregate query, for the WIP limits);
2. how many cards the person sees per column (one aggregate query);
3. the cards the person may see, filtered, the first ``CARDS_PER_COLUMN`` per column (window
   function), with municipality, cluster and assignee joined and ``can_work`` annotated in
   SQL (``ServiceRequest.objects.with_can_work``);
4. the ages and the targets of the move buttons are computed here in Python, so that the
   template does no lookups per card.

Done columns show only the cards solved in the last ``DONE_RECENT_DAYS`` days, and every
column at most ``CARDS_PER_COLUMN`` cards unless the person asks for all (``?alle=1``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from amtshilfe.board.forms_kanban import NO_CLUSTER, NOBODY
from amtshilfe.board.models import Board, Column, ServiceRequest
from amtshilfe.tenancy.models import Network

DONE_RECENT_DAYS = 14
# More cards than this in one column nobody reads on a board; the rest is one click away
# ("alle anzeigen") and the filters narrow it down. Keeps a board of 2,000 cards fast.
CARDS_PER_COLUMN = 100

# The fields a card shows or needs for moving (the description can be long: not loaded).
CARD_FIELDS = [
    "id",
    "number",
    "title",
    "urgency",
    "status",
    "created_at",
    "solved_at",
    "column_id",
    "position",
    "version",
    "municipality__name",
    "cluster__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__display_name",
]


@dataclass(frozen=True)
class Target:
    """Where a move button sends a card: the form value "<column id>:<position>"."""

    column: Column
    position: int | None

    @property
    def value(self) -> str:
        return f"{self.column.pk}:{'' if self.position is None else self.position}"


@dataclass
class CardView:
    request: ServiceRequest
    age_days: int
    can_move: bool
    left: Target | None = None
    right: Target | None = None
    up: Target | None = None
    down: Target | None = None


@dataclass
class ColumnView:
    column: Column
    total: int  # every card in the column, also those the person does not see (WIP)
    cards: list[CardView] = field(default_factory=list)
    hidden: int = 0  # cards the person could see, beyond ``CARDS_PER_COLUMN``
    cards_html: str = ""  # filled by ``kanban_cards.render_cards``

    @property
    def is_done(self) -> bool:
        return self.column.kind == Column.Kind.DONE

    @property
    def over_limit(self) -> bool:
        limit = self.column.wip_limit
        return limit is not None and not self.is_done and self.total > limit

    @property
    def at_limit(self) -> bool:
        limit = self.column.wip_limit
        return limit is not None and not self.is_done and self.total == limit


def board_columns(board: Board) -> list[tuple[Column, int]]:
    """The columns in order with their number of cards (one query)."""
    columns = board.columns.annotate(total=Count("requests")).order_by("position")
    return [(column, column.total) for column in columns]


def filter_condition(filters: dict[str, Any], now: dt.datetime) -> Q:
    """The board filters (cleaned data of ``BoardFilterForm``) as one condition."""
    condition = Q()
    if filters.get("kommune"):
        condition &= Q(municipality__slug=filters["kommune"])
    if filters.get("cluster") == NO_CLUSTER:
        condition &= Q(cluster__isnull=True)
    elif filters.get("cluster"):
        condition &= Q(cluster__slug=filters["cluster"])
    if filters.get("zustaendig") == NOBODY:
        condition &= Q(assignee__isnull=True)
    elif filters.get("zustaendig"):
        condition &= Q(assignee__username=filters["zustaendig"])
    if filters.get("dringlichkeit"):
        condition &= Q(urgency=filters["dringlichkeit"])
    if filters.get("aelter_als") is not None:
        condition &= Q(created_at__lte=now - dt.timedelta(days=filters["aelter_als"]))
    return condition


def visible_cards(
    board: Board,
    *,
    user: Any,
    network: Network,
    filters: dict[str, Any],
    mine: bool,
    now: dt.datetime,
    per_column: int | None = CARDS_PER_COLUMN,
) -> tuple[list[ServiceRequest], dict[int, int]]:
    """The board's cards ``user`` may see, filtered, in board order, at most ``per_column``
    in each column (two queries: the cards, and how many there are per column)."""
    cards = (
        ServiceRequest.objects.visible_to(user, network)
        .filter(column__board=board)
        .filter(filter_condition(filters, now))
        .exclude(
            column__kind=Column.Kind.DONE,
            solved_at__lt=now - dt.timedelta(days=DONE_RECENT_DAYS),
        )
    )
    if mine:
        cards = cards.work_of(user)
    counts = dict(
        cards.order_by().values("column_id").annotate(n=Count("pk")).values_list("column_id", "n")
    )
    shown = cards.with_can_work(user, network)
    if per_column is not None:
        shown = shown.annotate(
            row=Window(RowNumber(), partition_by=[F("column_id")], order_by=[F("position").asc()])
        ).filter(row__lte=per_column)
    rows = list(
        shown.select_related("municipality", "cluster", "assignee")
        .only(*CARD_FIELDS)
        .order_by("column_id", "position")
    )
    return rows, counts


def build_board(
    board: Board,
    *,
    user: Any,
    network: Network,
    filters: dict[str, Any],
    mine: bool = False,
    now: dt.datetime | None = None,
    per_column: int | None = CARDS_PER_COLUMN,
) -> list[ColumnView]:
    """The columns of ``board`` with the cards ``user`` sees and the targets of their moves.

    The move buttons work on what the person sees: "up" puts the card before the visible
    card above it, "down" after the one below, "left"/"right" into the neighbouring column at
    the same visible height (at the end if that column is shorter).
    """
    now = now or timezone.now()
    columns = [ColumnView(column=column, total=total) for column, total in board_columns(board)]
    by_id = {view.column.pk: view for view in columns}
    requests, counts = visible_cards(
        board,
        user=user,
        network=network,
        filters=filters,
        mine=mine,
        now=now,
        per_column=per_column,
    )
    for request in requests:
        view = by_id.get(request.column_id)
        if view is not None:
            age = max((now - request.created_at).days, 0)
            can_move = bool(getattr(request, "can_work", False))
            view.cards.append(CardView(request=request, age_days=age, can_move=can_move))
    for index, view in enumerate(columns):
        view.hidden = counts.get(view.column.pk, 0) - len(view.cards)
        left = columns[index - 1] if index > 0 else None
        right = columns[index + 1] if index + 1 < len(columns) else None
        for row, card in enumerate(view.cards):
            if not card.can_move:
                continue
            if row > 0:
                card.up = Target(view.column, view.cards[row - 1].request.position)
            if row + 1 < len(view.cards):
                card.down = Target(view.column, view.cards[row + 1].request.position)
            card.left = _beside(left, row)
            card.right = _beside(right, row)
    return columns


def _beside(neighbour: ColumnView | None, row: int) -> Target | None:
    if neighbour is None:
        return None
    cards = neighbour.cards
    position = cards[row].request.position if row < len(cards) else None
    return Target(neighbour.column, position)
