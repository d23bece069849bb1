"""The stopwatch: one per person, stopping books the rounded minutes (at least one)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.board.tests.requests import file_in_cluster
from amtshilfe.timeaccounting.models import RunningTimer, TimeEntry
from amtshilfe.timeaccounting.services import discard_timer, start_timer, stop_timer
from amtshilfe.timeaccounting.tests.times import TODAY, request_of_b

pytestmark = pytest.mark.django_db


def test_it_books_the_rounded_minutes_on_stop(personas, clock):
    request = request_of_b(personas)
    start_timer(actor=personas.alice, network=personas.network, request=request)
    clock.shift(dt.timedelta(minutes=12, seconds=31))
    entry = stop_timer(actor=personas.alice)
    assert (entry.minutes, entry.source, entry.date) == (13, "timer", TODAY)
    assert entry.request == request and entry.receiving_municipality == personas.b
    assert not RunningTimer.objects.exists()


def test_it_books_at_least_one_minute(personas, clock):
    start_timer(actor=personas.alice, network=personas.network)
    clock.shift(dt.timedelta(seconds=5))
    assert stop_timer(actor=personas.alice).minutes == 1


def test_it_runs_one_timer_per_person(personas):
    start_timer(actor=personas.alice, network=personas.network)
    with pytest.raises(ValidationError, match="läuft bereits"):
        start_timer(actor=personas.alice, network=personas.network)
    assert RunningTimer.objects.count() == 1


def test_it_discards_without_booking(personas):
    start_timer(actor=personas.alice, network=personas.network)
    discard_timer(actor=personas.alice)
    assert not RunningTimer.objects.exists() and not TimeEntry.objects.exists()
    with pytest.raises(ValidationError, match="keine Stoppuhr"):
        stop_timer(actor=personas.alice)


def test_it_refuses_timers_longer_than_a_day(personas, clock):
    start_timer(actor=personas.alice, network=personas.network)
    clock.shift(dt.timedelta(hours=25))
    with pytest.raises(ValidationError, match="24 Stunden"):
        stop_timer(actor=personas.alice)
    assert RunningTimer.objects.count() == 1


def test_it_requires_rw_access(personas):
    request = file_in_cluster(personas)
    with pytest.raises(PermissionDenied):
        start_timer(actor=personas.bob, network=personas.network, request=request)


def test_it_still_books_when_the_request_went_to_somebody_else_meanwhile(personas, clock):
    from amtshilfe.experts.models import ClusterMembership

    request = request_of_b(personas)
    client = personas.client(personas.alice)
    data = {"activity": "support", "request": request.pk, "panel": "request"}
    assert client.post("/zeit/stoppuhr/starten/", data).status_code == 302
    ClusterMembership.objects.filter(user=personas.alice).delete()
    clock.shift(dt.timedelta(minutes=4))
    response = client.post("/zeit/stoppuhr/anhalten/", {"request": request.pk, "panel": "request"})
    assert response.status_code == 302 and response["Location"] == "/zeit/"
    assert TimeEntry.objects.get().request == request
