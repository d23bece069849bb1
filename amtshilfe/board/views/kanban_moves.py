"""Moving a card: one POST endpoint for the move buttons, the keyboard and drag and drop.

Without JavaScript the buttons post the form and the answer is a redirect back to the board
with a message. ``kanban.js`` posts the same form with ``fetch`` (``Accept:
application/json``) and gets ``{"message", "level", "card"}``; it then reloads the board in
place and announces the message in the page's live region.

1. The card must be visible (else 404) and the person on its IT side (else 403).
2. ``move_request`` gets the version the page showed; a card changed since is refused with
   ``StaleMove``, whose message names who moved it (409 for scripts).
3. Over a WIP limit the move still happens (the service allows it) and a warning says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board.access import get_request_for_user_rw
from amtshilfe.board.forms_kanban import MoveForm
from amtshilfe.board.models import Column, ServiceRequest
from amtshilfe.board.services import StaleMove, move_request
from amtshilfe.board.services.placement import card_count
from amtshilfe.board.views.kanban import board_url, require_board_user


def _wants_json(request: AuthenticatedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: AuthenticatedRequest, card: ServiceRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return board_url(card.column.board)


def _answer(
    request: AuthenticatedRequest,
    card: ServiceRequest,
    back: str,
    notes: list[tuple[str, str]],
    status: int = 200,
) -> HttpResponse:
    """JSON for scripts, else the notes as messages and a redirect to the board."""
    if _wants_json(request):
        level = "error" if status >= 400 else ("warning" if len(notes) > 1 else "success")
        text = " ".join(message for _level, message in notes)
        return JsonResponse({"message": text, "level": level, "card": card.pk}, status=status)
    for level, message in notes:
        getattr(messages, level)(request, message)
    return redirect(back)


def moved_message(card: ServiceRequest, column: Column) -> str:
    return _("Karte #%(number)s nach „%(column)s“ verschoben, Position %(position)s.") % {
        "number": card.number,
        "column": column.name,
        "position": card.position + 1,
    }


def wip_warning(column: Column, count: int) -> str:
    return _("Achtung: „%(column)s“ ist über dem WIP-Limit (%(count)s / %(limit)s Karten).") % {
        "column": column.name,
        "count": count,
        "limit": column.wip_limit,
    }


@login_required
@require_POST
def move_card(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_board_user(request)
    card = get_request_for_user_rw(request.user, network, pk)
    form = MoveForm(request.POST)
    back = _back(request, card, request.POST.get("next", ""))
    if not form.is_valid():
        errors = [("error", str(m)) for messages_ in form.errors.values() for m in messages_]
        return _answer(request, card, back, errors, status=400)
    column = Column.objects.filter(
        pk=form.cleaned_data["column_id"], board__network=network
    ).first()
    if column is None:
        return _answer(
            request,
            card,
            back,
            [("error", _("Diese Spalte gibt es nicht mehr. Bitte laden Sie das Board neu."))],
            status=400,
        )
    try:
        moved = move_request(
            actor=request.user,
            request=card,
            column=column,
            position=form.cleaned_data["position"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleMove as stale:
        return _answer(request, card, back, [("error", stale.messages[0])], status=409)
    except ValidationError as error:
        return _answer(request, card, back, [("error", m) for m in error.messages], status=400)
    notes = [("success", moved_message(moved, column))]
    count = card_count(column)
    if (
        column.wip_limit is not None
        and column.kind != Column.Kind.DONE
        and count > column.wip_limit
    ):
        notes.append(("warning", wip_warning(column, count)))
    return _answer(request, moved, back, notes)
