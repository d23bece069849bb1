"""The request history: an event for every change, and nobody can rewrite it."""

from __future__ import annotations

import io

import pytest
from django.db import DatabaseError, connection, transaction

from amtshilfe.board.models import Column, RequestEvent, RequestEventIsAppendOnly
from amtshilfe.board.services import (
    add_comment,
    add_request_attachment,
    assign_request,
    close_request,
    create_article_from_request,
    move_request,
    rate_request,
    reopen_request,
    set_request_cluster,
    set_request_urgency,
    take_request,
    unwatch_request,
    watch_request,
)
from amtshilfe.board.tests.requests import add_dora_to_cluster, column, file
from amtshilfe.wiki.tests.articles import use_tmp_media


def test_it_records_an_event_for_every_change(personas, settings, tmp_path):
    use_tmp_media(settings, tmp_path)
    add_dora_to_cluster(personas)
    alice, bob = personas.alice, personas.bob
    r = file(personas)
    r = set_request_cluster(actor=alice, request=r, cluster=personas.cluster)
    r = set_request_urgency(actor=alice, request=r, urgency="high")
    r = assign_request(actor=alice, request=r, assignee=personas.dora)
    r = assign_request(actor=personas.dora, request=r, assignee=None)
    r = take_request(actor=alice, request=r)
    r = move_request(
        actor=alice,
        request=r,
        column=column(personas, Column.Kind.WAITING),
        position=0,
        expected_version=r.version,
    )
    add_comment(actor=bob, request=r, body="Hier die Fehlermeldung.")
    add_request_attachment(
        actor=bob, request=r, file=io.BytesIO(b"Fehler 0x1\n"), name="fehler.txt", size=11
    )
    watch_request(actor=personas.coordinator, request=r)
    unwatch_request(actor=personas.coordinator, request=r)
    r = close_request(actor=alice, request=r)
    r = rate_request(actor=bob, request=r, rating=5)
    create_article_from_request(actor=alice, request=r)
    r = reopen_request(actor=bob, request=r)
    kinds = list(RequestEvent.objects.filter(request=r).values_list("kind", flat=True))
    assert kinds == [
        "created",
        "column", "status", "cluster",  # triage -> inbox
        "urgency",
        "assignee",
        "assignee",
        "column", "status", "assignee",  # take: to "In Arbeit"
        "column", "status",  # to "Wartet auf Rückmeldung"
        "comment",
        "attachment",
        "watch",
        "unwatch",
        "column", "status",  # close
        "rating", "status",  # done -> closed
        "article",
        "column", "status",  # reopen
    ]  # fmt: skip
    assert all(event.network_id == personas.network.pk for event in RequestEvent.objects.all())


def test_it_refuses_changes_through_the_orm(personas):
    file(personas)
    event = RequestEvent.objects.get()
    event.kind = "status"
    with pytest.raises(RequestEventIsAppendOnly):
        event.save()
    with pytest.raises(RequestEventIsAppendOnly):
        event.delete()
    with pytest.raises(RequestEventIsAppendOnly):
        RequestEvent.objects.all().update(kind="status")
    with pytest.raises(RequestEventIsAppendOnly):
        RequestEvent.objects.all().delete()


def test_it_refuses_changes_in_the_database_itself(personas):
    file(personas)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE board_requestevent SET kind = 'status'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM board_requestevent")
    assert list(RequestEvent.objects.values_list("kind", flat=True)) == ["created"]
