"""The Kanban boards: the network board, a cluster's own board, "Meine Arbeit".

Who sees a board: IT specialists, topic owners and the coordination of the network
(``can_use_boards``); everybody else gets the German 403 page. Each card on it is one the
person may open (``ServiceRequest.objects.visible_to``); only cards they work on
(``with_can_work``) can be moved. Moving is in ``kanban_moves``, the column settings in
``kanban_columns``; what a board shows is built in ``kanban_layout``.

An htmx request (the filter form, the refresh after a move) gets only the board itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board.access import can_configure_board
from amtshilfe.board.forms_kanban import BoardFilterForm, network_filter_choices
from amtshilfe.board.models import Board, ServiceRequest
from amtshilfe.board.services import create_cluster_board, ensure_default_board
from amtshilfe.board.views.kanban_cards import CardPage, render_cards
from amtshilfe.board.views.kanban_layout import CARDS_PER_COLUMN, DONE_RECENT_DAYS, build_board
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.lib.service_errors import flash_service_error
from amtshilfe.tenancy.access import is_coordinator, is_it_specialist, require_network
from amtshilfe.tenancy.models import Network


def can_use_boards(user: Any, network: Network) -> bool:
    """IT specialists, topic owners and the coordination work with the boards."""
    return (
        is_coordinator(user, network)
        or is_it_specialist(user, network)
        or ClusterMembership.objects.filter(
            user=user, cluster__network=network, role=ClusterMembership.Role.OWNER
        ).exists()
    )


def require_board_user(request: AuthenticatedRequest) -> Network:
    network = require_network(request)
    if not can_use_boards(request.user, network):
        raise PermissionDenied
    return network


def network_board(network: Network) -> Board:
    board = Board.objects.filter(network=network, cluster__isnull=True).first()
    return board if board is not None else ensure_default_board(network=network)


def get_cluster_board(network: Network, cluster_slug: str) -> tuple[TopicCluster, Board | None]:
    cluster = get_object_or_404(TopicCluster.objects.in_network(network), slug=cluster_slug)
    return cluster, Board.objects.filter(network=network, cluster=cluster).first()


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    network = require_board_user(request)
    return _render_board(request, network, network_board(network), mine=False)


@login_required
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    network = require_board_user(request)
    return _render_board(request, network, network_board(network), mine=True)


@login_required
def cluster_board(request: AuthenticatedRequest, cluster_slug: str) -> HttpResponse:
    network = require_board_user(request)
    cluster, own = get_cluster_board(network, cluster_slug)
    if own is None:
        # Only the coordination can give the cluster a board; for the others it does not exist.
        can_create = can_configure_board(request.user, network)
        return render(
            request,
            "board/kanban_no_board.html",
            {"cluster": cluster, "can_create": can_create, "boards": other_boards(network)},
            status=200 if can_create else 404,
        )
    return _render_board(request, network, own, mine=False)


@login_required
@require_POST
def create_board(request: AuthenticatedRequest, cluster_slug: str) -> HttpResponse:
    network = require_board_user(request)
    if not can_configure_board(request.user, network):
        raise PermissionDenied
    cluster, _own = get_cluster_board(network, cluster_slug)
    try:
        create_cluster_board(actor=request.user, cluster=cluster)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request,
            _("Das Themencluster „%(cluster)s“ hat jetzt ein eigenes Board.")
            % {"cluster": cluster},
        )
    return redirect("board:cluster_board", cluster_slug=cluster.slug)


def other_boards(network: Network) -> list[Board]:
    """Every board of the network (network board first) for the board switcher."""
    return list(
        Board.objects.filter(network=network)
        .select_related("cluster")
        .order_by("cluster__name", "name")
    )


def board_url(board: Board, *, mine: bool = False) -> str:
    if board.cluster_id is not None:
        return reverse("board:cluster_board", kwargs={"cluster_slug": board.cluster.slug})  # type: ignore[union-attr]
    return reverse("board:my_work" if mine else "board:board")


def _render_board(
    request: AuthenticatedRequest, network: Network, board: Board, *, mine: bool
) -> HttpResponse:
    user = request.user
    form = BoardFilterForm(request.GET or None, **network_filter_choices(network))
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # a bad value is explained at its field; the valid filters still apply
        filters = form.cleaned_data
    now = timezone.now()
    show_all = request.GET.get("alle") == "1"
    columns = build_board(
        board,
        user=user,
        network=network,
        filters=filters,
        mine=mine,
        now=now,
        per_column=None if show_all else CARDS_PER_COLUMN,
    )
    render_cards(
        columns, CardPage.for_page(csrf_token=get_token(request), next_url=request.get_full_path())
    )
    context = {
        "board": board,
        "columns": columns,
        "form": form,
        "filtered": bool(filters and any(v not in (None, "") for v in filters.values())),
        "mine": mine,
        "shown": sum(len(column.cards) for column in columns),
        "hidden": sum(column.hidden for column in columns),
        "show_all": show_all,
        "show_all_query": _with_param(request, "alle", "1"),
        "per_column": CARDS_PER_COLUMN,
        "done_days": DONE_RECENT_DAYS,
        "next": request.get_full_path(),
        "board_url": board_url(board, mine=mine),
        "can_configure": can_configure_board(user, network),
        "elsewhere": _my_work_elsewhere(user, network, board) if mine else [],
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "board/includes/kanban_board.html", context)
    context["boards"] = other_boards(network)
    return render(request, "board/kanban.html", context)


def _with_param(request: AuthenticatedRequest, name: str, value: str) -> str:
    query = request.GET.copy()
    query[name] = value
    return query.urlencode()


def _my_work_elsewhere(user: Any, network: Network, shown: Board) -> list[dict[str, Any]]:
    """Cluster boards that hold more of the person's work (one query)."""
    rows = (
        ServiceRequest.objects.visible_to(user, network)
        .open()
        .work_of(user)
        .exclude(column__board=shown)
        .values("column__board__cluster__slug", "column__board__name")
        .annotate(count=Count("pk"))
        .order_by("column__board__name")
    )
    return [
        {
            "url": reverse(
                "board:cluster_board", kwargs={"cluster_slug": row["column__board__cluster__slug"]}
            ),
            "name": row["column__board__name"],
            "count": row["count"],
        }
        for row in rows
        if row["column__board__cluster__slug"]
    ]
