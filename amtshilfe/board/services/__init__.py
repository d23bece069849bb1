"""Writes on the board (CONVENTIONS #2): one module per area, re-exported here.

- ``boards``: boards and columns (coordination only)
- ``requests``: filing, moving, assignment, cluster, urgency
- ``closing``: closing, rating, reopening
- ``cards``: locking and placing a card, ``StaleMove``, notifications about status
- ``conversation``: comments with @mentions, watching, attachments
- ``knowledge``: self-help successes, articles from solved requests
- ``placement`` and ``history``: building blocks (positions, status, events, notifications)
"""

from amtshilfe.board.services.boards import (
    create_cluster_board,
    create_column,
    delete_column,
    ensure_default_board,
    move_column,
    update_board,
    update_column,
)
from amtshilfe.board.services.closing import close_request, rate_request, reopen_request
from amtshilfe.board.services.conversation import (
    add_comment,
    add_request_attachment,
    unwatch_request,
    watch_request,
)
from amtshilfe.board.services.knowledge import create_article_from_request, record_self_help
from amtshilfe.board.services.requests import (
    StaleMove,
    assign_request,
    file_request,
    move_request,
    set_request_cluster,
    set_request_urgency,
    take_request,
)

__all__ = [
    "StaleMove",
    "add_comment",
    "add_request_attachment",
    "assign_request",
    "close_request",
    "create_article_from_request",
    "create_cluster_board",
    "create_column",
    "delete_column",
    "ensure_default_board",
    "file_request",
    "move_column",
    "move_request",
    "rate_request",
    "record_self_help",
    "reopen_request",
    "set_request_cluster",
    "set_request_urgency",
    "take_request",
    "unwatch_request",
    "update_board",
    "update_column",
    "watch_request",
]
