"""The indicators benchmark's corpus generator, at tiny sizes: exact counts, consistent rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count

from amtshilfe.board.models import (
    Comment,
    RequestEvent,
    SelfHelpSuccess,
    ServiceRequest,
)
from amtshilfe.conftest import Personas
from amtshilfe.indicators.bench_corpus import grow_corpus
from amtshilfe.timeaccounting.models import TimeEntry
from amtshilfe.wiki.models import SearchQueryLog

NOW = dt.datetime(2026, 6, 15, 14, 0, tzinfo=dt.UTC)


def test_it_grows_the_network_to_exact_totals(personas: Personas) -> None:
    added = grow_corpus(personas.network, requests=12, events=100, seed=3, now=NOW)

    requests = ServiceRequest.objects.in_network(personas.network)
    assert requests.count() == 12
    assert RequestEvent.objects.in_network(personas.network).count() == 100
    solved = requests.filter(solved_at__isnull=False)
    assert added["requests"] == 12 and added["events"] == 100
    # one time entry per solved request (alice, the only IT specialist in the cluster)
    assert TimeEntry.objects.filter(network=personas.network).count() == solved.count()
    assert added["time_entries"] == solved.count()
    assert SelfHelpSuccess.objects.filter(network=personas.network).count() == 6
    assert SearchQueryLog.objects.filter(network=personas.network).count() == 12
    comment_events = RequestEvent.objects.filter(kind="comment").count()
    assert Comment.objects.count() == comment_events == added["comments"]
    assert all(
        TimeEntry.objects.filter(request=request, person=personas.alice).count() == 1
        for request in solved
    )


def test_it_keeps_the_totals_exact_with_every_kind_of_flow(personas: Personas) -> None:
    grow_corpus(personas.network, requests=1000, events=10_000, seed=7, now=NOW)

    assert RequestEvent.objects.count() == 10_000
    states = set(ServiceRequest.objects.values_list("status", flat=True))
    assert states == {"triage", "new", "in_progress", "waiting", "done", "closed"}


def test_it_adds_only_what_is_missing(personas: Personas) -> None:
    grow_corpus(personas.network, requests=5, events=50, seed=3, now=NOW)
    added = grow_corpus(personas.network, requests=8, events=90, seed=4, now=NOW)

    assert added["requests"] == 3 and added["events"] == 40
    assert ServiceRequest.objects.in_network(personas.network).count() == 8
    assert RequestEvent.objects.count() == 90
    numbers = sorted(ServiceRequest.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


def test_it_writes_flows_that_agree_with_the_requests(personas: Personas) -> None:
    grow_corpus(personas.network, requests=20, events=200, seed=5, now=NOW)

    for request in ServiceRequest.objects.in_network(personas.network):
        events = list(request.events.order_by("created_at", "id"))
        assert events[0].kind == "created"
        assert all(e.created_at < NOW for e in events)
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        statuses = [e.data["to"]["value"] for e in events if e.kind == "status"]
        first = events[0].data["status"]["value"]
        assert ([first, *statuses])[-1] == request.status
        columns = [e.data["to"]["kind"] for e in events if e.kind == "column"]
        assert ([events[0].data["column"]["kind"], *columns])[-1] == request.column.kind
        if request.status == "closed":
            assert request.rating is not None and request.rated_at == events[-1].created_at
        else:
            assert request.rating is None
        assert (request.solved_at is not None) == (request.status in ("done", "closed"))
    # positions stay dense per column (the board's rule)
    for column_id, count in (
        ServiceRequest.objects.values_list("column_id")
        .annotate(n=Count("pk"))
        .values_list("column_id", "n")
    ):
        positions = ServiceRequest.objects.filter(column_id=column_id).values_list(
            "position", flat=True
        )
        assert sorted(positions) == list(range(count))


class Undo(Exception):
    pass


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        ServiceRequest.objects.order_by("number").values_list(
            "number", "status", "urgency", "created_at", "solved_at", "rating", "assignee_id"
        )
    ) + list(RequestEvent.objects.order_by("id").values_list("kind", "created_at"))


def test_it_is_reproducible(personas: Personas) -> None:
    snapshots = []
    for _run in range(2):
        with pytest.raises(Undo), transaction.atomic():
            grow_corpus(personas.network, requests=10, events=120, seed=9, now=NOW)
            snapshots.append(_snapshot())
            raise Undo
    assert not ServiceRequest.objects.exists()
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) == 10 + 120


def test_it_refuses_fewer_events_than_the_flows_need(personas: Personas) -> None:
    with pytest.raises(ValueError, match="need at least"):
        grow_corpus(personas.network, requests=10, events=10, seed=3, now=NOW)
    assert not ServiceRequest.objects.exists()
