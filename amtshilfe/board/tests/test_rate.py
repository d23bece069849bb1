"""Closing, rating (once, by the requesting municipality's staff) and reopening."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.models import Comment, RequestEvent
from amtshilfe.board.services import (
    close_request,
    rate_request,
    reopen_request,
    take_request,
)
from amtshilfe.board.tests.requests import file_in_cluster
from amtshilfe.notifications.models import Notification
from amtshilfe.tenancy.services import add_membership


def solved(personas):
    request = take_request(actor=personas.alice, request=file_in_cluster(personas))
    return close_request(actor=personas.alice, request=request)


def test_it_closes_to_the_top_of_done_and_asks_for_a_rating(personas):
    request = solved(personas)
    assert (request.status, request.column.kind, request.position) == ("done", "done", 0)
    assert request.solved_at is not None and request.closed_at is None
    note = Notification.objects.filter(user=personas.bob, kind="request_status").first()
    assert "Erledigt" in note.title and "zufrieden" in note.body
    with pytest.raises(ValidationError, match="bereits erledigt"):
        close_request(actor=personas.alice, request=request)
    with pytest.raises(PermissionDenied):
        close_request(actor=personas.bob, request=file_in_cluster(personas))


def test_it_takes_one_rating_from_the_requesting_municipality(personas):
    request = solved(personas)
    for person in (personas.alice, personas.charlie, personas.dora):  # IT, other municipality
        with pytest.raises(PermissionDenied):
            rate_request(actor=person, request=request, rating=5)
    rated = rate_request(actor=personas.bob, request=request, rating=4, comment="Schnell, danke!")
    assert (rated.rating, rated.status) == (4, "closed")
    assert rated.closed_at is not None and rated.rated_at is not None
    assert RequestEvent.objects.get(request=request, kind="rating").data == {
        "rating": 4,
        "with_comment": True,
    }
    assert Notification.objects.filter(user=personas.alice, kind="request_rated").exists()
    with pytest.raises(ValidationError, match="bereits bewertet"):
        rate_request(actor=personas.auditor, request=rated, rating=1)  # staff in A, too late


def test_it_refuses_ratings_before_the_request_is_done_or_out_of_range(personas):
    request = file_in_cluster(personas)
    with pytest.raises(ValidationError, match="sobald die Anfrage erledigt ist"):
        rate_request(actor=personas.bob, request=request, rating=3)
    with pytest.raises(ValidationError):
        rate_request(actor=personas.bob, request=solved(personas), rating=6)


def test_it_lets_staff_of_the_municipality_rate_but_not_its_it(personas):
    add_membership(
        actor=personas.coordinator, person=personas.charlie, municipality=personas.a, role="staff"
    )
    assert rate_request(actor=personas.charlie, request=solved(personas), rating=2).rating == 2
    with pytest.raises(PermissionDenied):  # alice works for A, but as IT she helped
        rate_request(actor=personas.alice, request=solved(personas), rating=5)


def test_it_reopens_and_keeps_the_single_rating(personas):
    request = rate_request(actor=personas.bob, request=solved(personas), rating=2)
    reopened = reopen_request(actor=personas.bob, request=request, reason="Geht doch nicht.")
    assert (reopened.status, reopened.column.kind) == ("in_progress", "in_progress")
    assert reopened.solved_at is None and reopened.closed_at is None and reopened.rating == 2
    assert Comment.objects.get(request=request).body == "Geht doch nicht."
    again = close_request(actor=personas.alice, request=reopened)
    assert again.status == "closed"  # rated before: no second rating
    with pytest.raises(PermissionDenied):
        reopen_request(actor=personas.charlie, request=again)
    with pytest.raises(ValidationError, match="nicht abgeschlossen"):
        reopen_request(actor=personas.bob, request=file_in_cluster(personas))
