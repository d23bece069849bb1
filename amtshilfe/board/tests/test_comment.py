"""Comments: Markdown made safe, @mentions, internal comments never reach the administration."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import Comment, RequestEvent, Watcher
from amtshilfe.board.services import add_comment
from amtshilfe.board.services.conversation import parse_mentions
from amtshilfe.board.tests.requests import add_dora_to_cluster, file_in_cluster
from amtshilfe.notifications.models import Notification


def test_it_renders_markdown_without_scripts(personas):
    request = file_in_cluster(personas)
    comment = add_comment(
        actor=personas.bob,
        request=request,
        body="**Wichtig:** <script>alert(1)</script> [klick](javascript:alert(1))",
    )
    assert "<strong>Wichtig:</strong>" in comment.body_html
    assert "<script" not in comment.body_html
    assert "href" not in comment.body_html  # the javascript: link stays text


def test_it_finds_mentions():
    assert parse_mentions("Hallo @it.riesa, siehe @alice. Mail: a@b.de @alice") == [
        "it.riesa",
        "alice",
    ]


def test_it_never_shows_internal_comments_to_the_administration(personas):
    request = file_in_cluster(personas)
    add_comment(actor=personas.bob, request=request, body="Es ist dringend.")
    add_comment(actor=personas.alice, request=request, body="Treiber ist Murks.", internal=True)
    bodies = lambda user: list(  # noqa: E731
        Comment.objects.visible_to(user, request).values_list("body", flat=True)
    )
    assert bodies(personas.bob) == ["Es ist dringend."]
    assert bodies(personas.auditor) == ["Es ist dringend."]  # staff in A, too
    assert bodies(personas.coordinator) == ["Es ist dringend.", "Treiber ist Murks."]
    assert bodies(personas.alice) == ["Es ist dringend.", "Treiber ist Murks."]
    assert bodies(personas.charlie) == []
    internal_events = RequestEvent.objects.filter(request=request, kind="comment", internal=True)
    assert internal_events.count() == 1
    assert RequestEvent.objects.filter(request=request).public().filter(internal=True).count() == 0


def test_it_refuses_internal_comments_from_the_administration(personas):
    request = file_in_cluster(personas)
    with pytest.raises(PermissionDenied):
        add_comment(actor=personas.bob, request=request, body="geheim", internal=True)
    with pytest.raises(PermissionDenied):
        add_comment(actor=personas.charlie, request=request, body="Ich auch!")
    with pytest.raises(ValidationError):
        add_comment(actor=personas.bob, request=request, body="   ")


def test_it_sends_internal_comments_only_to_the_it_side(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)  # bob watches it
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(
            actor=personas.alice,
            request=request,
            body="@bob @dora @charlie bitte Treiber prüfen",
            internal=True,
        )
    # bob (staff) and charlie (cannot see) are neither linked, nor watchers, nor notified.
    assert list(comment.mentions.values_list("username", flat=True)) == ["dora"]
    assert set(Notification.objects.values_list("user__username", "kind")) == {("dora", "mention")}
    assert [message.to for message in mailoutbox] == [["dora@example.org"]]
    assert "Treiber" in mailoutbox[0].body
    assert not Watcher.objects.filter(request=request, user=personas.charlie).exists()


def test_it_notifies_watchers_and_mentioned_of_public_comments(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    add_dora_to_cluster(personas)
    request = file_in_cluster(personas)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(actor=personas.alice, request=request, body="Ich schaue es mir an, @dora.")
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        ("bob", "request_comment"),
        ("dora", "mention"),
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["bob@example.org", "dora@example.org"]
    assert Watcher.objects.filter(request=request, user=personas.dora).exists()
    assert Watcher.objects.filter(request=request, user=personas.alice).exists()
