"""Internal comments never reach the administration side – through any notifying service.

The board's services decide who hears about what (``notifications.services`` only
delivers). This test drives every service in ``board/services`` that notifies, with
administration staff watching and even @mentioned in internal comments, and then looks at
what staff got. A second check makes sure no service calls ``notify`` past
``history.notify_about``, which filters the recipients by who may see the request.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from amtshilfe.board import classification
from amtshilfe.board.models import Column
from amtshilfe.board.services import (
    add_comment,
    assign_request,
    close_request,
    file_request,
    move_request,
    rate_request,
    reopen_request,
    set_request_cluster,
    take_request,
    watch_request,
)
from amtshilfe.board.tests.requests import add_dora_to_cluster, column
from amtshilfe.notifications.models import Notification

SECRET = "Kollege-ist-ueberfordert"
BOARD_SERVICES = Path(__file__).resolve().parents[2] / "board" / "services"


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def test_it_never_notifies_staff_of_internal_comments(personas):
    add_dora_to_cluster(personas)
    request = file_request(
        actor=personas.bob,
        network=personas.network,
        municipality=personas.a,
        title="Drucker druckt nicht",
        description="Seit heute.",
    )
    watch_request(actor=personas.auditor, request=request)  # staff of Riesa, watching
    request = set_request_cluster(
        actor=personas.coordinator, request=request, cluster=personas.cluster
    )
    request = assign_request(actor=personas.alice, request=request, assignee=personas.dora)
    add_comment(
        actor=personas.dora,
        request=request,
        body=f"@bob @auditor @alice {SECRET} (intern)",
        internal=True,
    )
    add_comment(actor=personas.alice, request=request, body=f"{SECRET} nochmal", internal=True)
    add_comment(actor=personas.dora, request=request, body="Wir kümmern uns. @bob")
    add_comment(actor=personas.alice, request=request, body="Neuer Toner ist bestellt.")
    request = move_request(
        actor=personas.dora,
        request=request,
        column=column(personas, Column.Kind.WAITING),
        position=0,
        expected_version=request.version,
    )
    request = take_request(actor=personas.dora, request=request)
    request = close_request(actor=personas.dora, request=request)
    request = reopen_request(actor=personas.bob, request=request, reason="Doch nicht.")
    request = close_request(actor=personas.alice, request=request)
    rate_request(actor=personas.bob, request=request, rating=5, comment="Danke")

    staff = [personas.bob, personas.auditor]
    for person in staff:
        received = Notification.objects.filter(user=person)
        assert received.exists(), person  # they were notified – just never of internals
        for notification in received:
            assert SECRET not in notification.title + notification.body, notification
            assert "interner Kommentar" not in notification.title + notification.body
    # The IT side did hear about it: the test would notice a mute board.
    it_side = Notification.objects.filter(user__in=[personas.alice, personas.dora])
    assert any(SECRET in n.body for n in it_side)
    assert Notification.objects.filter(user=personas.alice, kind="mention").exists()
    kinds = set(Notification.objects.filter(user=personas.bob).values_list("kind", flat=True))
    assert {"request_status", "request_comment", "mention"} <= kinds


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)
    ]


def test_it_notifies_from_the_board_only_through_the_visibility_filter():
    for path in sorted(BOARD_SERVICES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        direct = _calls(tree, "notify")
        if path.name == "history.py":
            assert len(direct) == 1  # inside notify_about, after filtering by users_who_see
            continue
        assert direct == [], f"{path.name} calls notify() directly"
        for call in _calls(tree, "notify_about"):
            keywords = {k.arg for k in call.keywords}
            assert "recipients" in keywords, f"{path.name}:{call.lineno}"
    conversation = ast.parse((BOARD_SERVICES / "conversation.py").read_text(encoding="utf-8"))
    comment_calls = _calls(conversation, "notify_about")
    assert comment_calls and all(
        any(k.arg == "internal" for k in call.keywords) for call in comment_calls
    ), "every notification about a comment must say whether the comment is internal"
