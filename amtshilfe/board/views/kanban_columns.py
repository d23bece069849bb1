"""Column settings of a board, for the coordination (``can_configure_board``).

One page per board (``/kanban/spalten/``, ``/kanban/cluster/<slug>/spalten/``) lists the
columns with a form each (name, WIP limit), buttons to reorder and delete, a form for a new
column and the board's settings. Every action posts to its own URL, calls one service from
``board/services/boards.py`` and redirects back; a refused input re-renders the page with
the German error at the form that caused it (nothing typed is lost).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board.access import can_configure_board
from amtshilfe.board.forms_kanban import BoardSettingsForm, ColumnForm, NewColumnForm
from amtshilfe.board.models import Board, Column
from amtshilfe.board.services import (
    create_column,
    delete_column,
    move_column,
    update_board,
    update_column,
)
from amtshilfe.board.views.kanban import board_url, get_cluster_board, network_board
from amtshilfe.lib.service_errors import add_service_errors, flash_service_error
from amtshilfe.tenancy.access import require_network
from amtshilfe.tenancy.models import Network


def require_configurator(request: AuthenticatedRequest) -> Network:
    network = require_network(request)
    if not can_configure_board(request.user, network):
        raise PermissionDenied
    return network


def settings_url(board: Board) -> str:
    if board.cluster_id is not None:
        return reverse("board:cluster_columns", kwargs={"cluster_slug": board.cluster.slug})  # type: ignore[union-attr]
    return reverse("board:columns")


def _board_of(network: Network, board_pk: int) -> Board:
    return get_object_or_404(Board.objects.select_related("cluster"), pk=board_pk, network=network)


def _column_of(network: Network, pk: int) -> Column:
    return get_object_or_404(
        Column.objects.select_related("board__cluster", "board__network"),
        pk=pk,
        board__network=network,
    )


def _column_forms(
    columns: Sequence[Column], bound: ColumnForm | None = None
) -> list[dict[str, Any]]:
    rows = []
    for column in columns:
        prefix = f"spalte-{column.pk}"
        form = bound if bound is not None and bound.prefix == prefix else None
        if form is None:
            form = ColumnForm(
                prefix=prefix, initial={"name": column.name, "wip_limit": column.wip_limit}
            )
        rows.append({"column": column, "form": form, "count": column.total})  # type: ignore[attr-defined]
    return rows


def _render(
    request: AuthenticatedRequest,
    board: Board,
    *,
    column_form: ColumnForm | None = None,
    new_form: NewColumnForm | None = None,
    board_form: BoardSettingsForm | None = None,
) -> HttpResponse:
    with_threshold = board.cluster_id is None
    columns = list(board.columns.annotate(total=Count("requests")).order_by("position"))
    context = {
        "board": board,
        "board_url": board_url(board),
        "rows": _column_forms(columns, column_form),
        "last_position": len(columns) - 1,
        "new_form": new_form or NewColumnForm(prefix="neu"),
        "board_form": board_form
        or BoardSettingsForm(
            prefix="board",
            with_threshold=with_threshold,
            initial={"name": board.name, "triage_threshold": board.triage_threshold},
        ),
        "with_threshold": with_threshold,
    }
    return render(request, "board/kanban_columns.html", context)


@login_required
def columns(request: AuthenticatedRequest) -> HttpResponse:
    network = require_configurator(request)
    return _render(request, network_board(network))


@login_required
def cluster_columns(request: AuthenticatedRequest, cluster_slug: str) -> HttpResponse:
    network = require_configurator(request)
    _cluster, board = get_cluster_board(network, cluster_slug)
    if board is None:
        raise Http404
    return _render(request, board)


@login_required
@require_POST
def update_board_settings(request: AuthenticatedRequest, board_pk: int) -> HttpResponse:
    network = require_configurator(request)
    board = _board_of(network, board_pk)
    form = BoardSettingsForm(request.POST, prefix="board", with_threshold=board.cluster_id is None)
    if form.is_valid():
        try:
            update_board(
                actor=request.user,
                board=board,
                name=form.cleaned_data["name"],
                triage_threshold=form.cleaned_data.get("triage_threshold"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Einstellungen des Boards sind gespeichert."))
            return redirect(settings_url(board))
    return _render(request, board, board_form=form)


@login_required
@require_POST
def add_column(request: AuthenticatedRequest, board_pk: int) -> HttpResponse:
    network = require_configurator(request)
    board = _board_of(network, board_pk)
    form = NewColumnForm(request.POST, prefix="neu")
    if form.is_valid():
        try:
            column = create_column(
                actor=request.user,
                board=board,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                wip_limit=form.cleaned_data["wip_limit"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Die Spalte „%(name)s“ ist angelegt.") % {"name": column.name}
            )
            return redirect(settings_url(board))
    return _render(request, board, new_form=form)


@login_required
@require_POST
def change_column(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_configurator(request)
    column = _column_of(network, pk)
    form = ColumnForm(request.POST, prefix=f"spalte-{column.pk}")
    if form.is_valid():
        try:
            changed = update_column(
                actor=request.user,
                column=column,
                name=form.cleaned_data["name"],
                wip_limit=form.cleaned_data["wip_limit"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Die Spalte „%(name)s“ ist gespeichert.") % {"name": changed.name}
            )
            return redirect(settings_url(column.board))
    return _render(request, column.board, column_form=form)


@login_required
@require_POST
def reorder_column(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_configurator(request)
    column = _column_of(network, pk)
    direction = request.POST.get("richtung")
    if direction not in ("hoch", "runter"):
        messages.error(request, _("Unbekannte Richtung."))
        return redirect(settings_url(column.board))
    target = column.position + (-1 if direction == "hoch" else 1)
    moved = move_column(actor=request.user, column=column, position=target)
    messages.success(
        request,
        _("Die Spalte „%(name)s“ steht jetzt an Stelle %(position)s.")
        % {"name": moved.name, "position": moved.position + 1},
    )
    return redirect(settings_url(column.board) + f"#spalte-{column.pk}")


@login_required
@require_POST
def remove_column(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_configurator(request)
    column = _column_of(network, pk)
    cards = column.requests.count()
    if cards:
        messages.error(
            request,
            ngettext(
                "Die Spalte „%(name)s“ enthält noch %(count)s Karte. "
                "Verschieben Sie sie zuerst in eine andere Spalte.",
                "Die Spalte „%(name)s“ enthält noch %(count)s Karten. "
                "Verschieben Sie diese zuerst in andere Spalten.",
                cards,
            )
            % {"name": column.name, "count": cards},
        )
        return redirect(settings_url(column.board))
    try:
        delete_column(actor=request.user, column=column)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Spalte „%(name)s“ ist gelöscht.") % {"name": column.name})
    return redirect(settings_url(column.board))
