"""The indicators benchmark's corpus: years of request history, written in bulk (no services).

``grow_corpus(network, requests=…, events=…)`` adds requests to ``network`` until it has
``requests`` requests and ``events`` request events in total, plus what the indicators read
next to them: ratings, one time entry per solved request, self-help successes (one per two
added requests) and search log rows (one per added request, about 40 % of them unanswered).

1. Plan every request as a few numbers (no rows yet): its day within the last
   ``SPAN_DAYS`` (more in recent months – the network grew), municipality, cluster,
   urgency, final state (recent ones are often still open, a few old ones are stuck),
   whether it went through triage, how many waiting loops and comments it had.
2. Make the events add up exactly: the core of each flow is fixed by its final state
   (created → [triage: cluster, column, status] → take: assignee, column, status →
   waiting loops: 4 each → done: column, status → rated: rating, status); loops and
   comments are dropped at random while the sum is too high and comments added while it is
   too low. A total below the sum of the cores is refused (``ValueError``).
3. Write the rows chunk by chunk with ``executemany`` (``insert_rows``: requests, comments,
   events, time entries), each chunk's steps at increasing times with working delays, compressed when
   they would pass ``now``. Event ``data`` has the services' shape
   (``board.services.history`` refs), so process figures read them as real history.

Deterministic: one ``random.Random(seed)``. Not written: watchers, notifications, audit
events (no indicator reads them).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Max
from django.utils import timezone

from amtshilfe.board.models import Board, Column, Comment, RequestEvent, SelfHelpSuccess
from amtshilfe.board.models import ServiceRequest as Request
from amtshilfe.board.services import ensure_default_board
from amtshilfe.board.services.history import cluster_ref, column_ref, status_ref, urgency_ref
from amtshilfe.experts.models import ClusterMembership, TopicCluster
from amtshilfe.tenancy.models import Membership, Municipality, Network, NetworkRole
from amtshilfe.timeaccounting.models import ClosedRange, TimeEntry
from amtshilfe.wiki.models import Article, SearchQueryLog

SPAN_DAYS = 730
CHUNK = 2000
BATCH = 2000
Status = Request.Status
TITLES = (
    "Drucker im Bürgerbüro druckt nicht",
    "VPN-Verbindung bricht ab",
    "Konto gesperrt nach Urlaub",
    "Outlook startet nicht",
    "Scan landet nicht in der E-Akte",
    "Softphone ohne Ton",
    "Diensthandy synchronisiert nicht",
    "Meldebescheinigung wird nicht gedruckt",
    "Online-Formular zeigt Fehlerseite",
    "Verdächtige Mail mit Anhang",
)
COMMENTS = (
    "Können Sie bitte einen Screenshot der Fehlermeldung schicken?",
    "Ich habe die Einstellung angepasst, bitte noch einmal testen.",
    "Tritt das Problem auch an einem anderen Arbeitsplatz auf?",
    "Danke, jetzt funktioniert es wieder.",
)
QUESTIONS = (
    ("Drucker druckt nicht", 6),
    ("VPN Verbindung bricht ab", 4),
    ("Passwort vergessen", 5),
    ("Outlook Postfach voll", 3),
    ("XRechnung abgelehnt", 0),
    ("Beamer Ratssaal kein Signal", 0),
    ("Diktiergerät Citrix", 0),
)
URGENCIES = ("low", "normal", "normal", "normal", "high", "critical")
# Core events of each final state (see step 2 of the module docstring), without triage.
CORE = {"triage": 1, "new": 1, "in_progress": 4, "waiting": 6, "done": 6, "closed": 8}


@dataclass
class Planned:
    created: dt.datetime
    municipality: int
    cluster: int  # index into the clusters
    urgency: str
    state: str  # triage, new, in_progress, waiting, done, closed
    triaged: bool  # went through the triage column
    loops: int  # waiting loops (in progress → waiting → in progress)
    comments: int

    @property
    def core(self) -> int:
        if self.state == "triage":
            return 1
        return CORE[self.state] + (3 if self.triaged else 0)

    @property
    def size(self) -> int:
        return self.core + 4 * self.loops + self.comments


@dataclass
class Context:
    network: Network
    columns: dict[str, Column]
    municipalities: list[Municipality]
    clusters: list[TopicCluster]
    helpers: dict[int, list[int]]  # cluster id → IT people
    home: dict[int, int]  # person → municipality of their IT membership
    requesters: dict[int, list[int]]  # municipality id → staff
    coordinator: int | None
    names: dict[int, str]
    user_refs: dict[int, dict[str, Any]]
    refs: dict[str, dict[str, Any]]  # column kind / "status:<kind>" → the services' ref
    closed_ranges: list[tuple[dt.date, dt.date]]
    articles: list[int]
    now: dt.datetime


def grow_corpus(
    network: Network,
    *,
    requests: int,
    events: int,
    seed: int = 50_000,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Add rows until ``network`` has ``requests`` requests and ``events`` events; counts."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (reproducible corpus, not security)
    have_requests = Request.objects.in_network(network).count()
    have_events = RequestEvent.objects.in_network(network).count()
    add = max(requests - have_requests, 0)
    budget = max(events - have_events, 0)
    context = _context(network, now)
    plan = _plan(context, rng, add)
    _fit(plan, rng, budget)
    added = {"requests": 0, "events": 0, "comments": 0, "time_entries": 0}
    number = (Request.objects.in_network(network).aggregate(n=Max("number"))["n"] or 0) + 1
    positions = dict(
        Request.objects.filter(column__in=context.columns.values())
        .values_list("column_id")
        .annotate(n=Count("pk"))
        .values_list("column_id", "n")
    )
    with transaction.atomic():
        for start in range(0, len(plan), CHUNK):
            chunk = plan[start : start + CHUNK]
            counts = _write_chunk(context, rng, chunk, number, positions)
            number += len(chunk)
            for key, value in counts.items():
                added[key] += value
        added["self_help"] = _self_help(context, rng, add // 2)
        added["search_log"] = _search_log(context, rng, add)
    return added


def _context(network: Network, now: dt.datetime) -> Context:
    board = Board.objects.filter(network=network, cluster__isnull=True).first()
    board = board or ensure_default_board(network=network)
    columns: dict[str, Column] = {}
    for column in board.columns.order_by("position"):
        columns.setdefault(column.kind, column)
    clusters = list(TopicCluster.objects.in_network(network).active().order_by("pk"))
    helpers: dict[int, list[int]] = {c.pk: [] for c in clusters}
    for cluster_id, user_id in (
        ClusterMembership.objects.filter(cluster__in=clusters)
        .order_by("cluster_id", "user_id")
        .values_list("cluster_id", "user_id")
    ):
        helpers[cluster_id].append(user_id)
    home: dict[int, int] = {}
    requesters: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for user_id, municipality_id, role, first, last, username in (
        Membership.objects.filter(municipality__network=network, ended_on__isnull=True)
        .order_by("user_id", "municipality__name")
        .values_list(
            "user_id",
            "municipality_id",
            "role",
            "user__first_name",
            "user__last_name",
            "user__username",
        )
    ):
        names[user_id] = f"{first} {last}".strip() or username
        if role == Membership.Role.IT:
            home.setdefault(user_id, municipality_id)
        else:
            requesters.setdefault(municipality_id, []).append(user_id)
    usernames = dict(
        Membership.objects.filter(municipality__network=network).values_list(
            "user_id", "user__username"
        )
    )
    user_refs = {
        pk: {"id": pk, "username": usernames.get(pk, ""), "name": name}
        for pk, name in names.items()
    }
    helpers = {k: [u for u in v if u in home] or sorted(home) for k, v in helpers.items()}
    coordinator = (
        NetworkRole.objects.filter(network=network, role=NetworkRole.Role.COORDINATOR)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    return Context(
        network=network,
        columns=columns,
        municipalities=list(Municipality.objects.in_network(network).order_by("pk")),
        clusters=clusters,
        helpers=helpers,
        home=home,
        requesters=requesters,
        coordinator=coordinator,
        names=names,
        user_refs=user_refs,
        refs={
            **{kind: column_ref(column) for kind, column in columns.items()},
            **{
                f"status:{kind}": status_ref(Request.STATUS_FOR_KIND[kind])
                for kind in columns
                if kind in Request.STATUS_FOR_KIND
            },
        },
        closed_ranges=list(
            # latest first: an entry moved out of one closed month may land in the one before
            ClosedRange.objects.filter(network=network)
            .order_by("-starts_on")
            .values_list("starts_on", "ends_on")
        ),
        articles=list(
            Article.objects.in_network(network)
            .filter(status=Article.Status.PUBLISHED)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        now=now,
    )


def _plan(context: Context, rng: random.Random, count: int) -> list[Planned]:
    """Step 1: the requests as numbers, oldest first."""
    if count and (not context.clusters or not context.municipalities):
        raise ValueError("the network needs topic clusters and municipalities")
    plan = []
    for _ in range(count):
        # more requests in recent months: the density grows linearly over the span
        age_days = SPAN_DAYS * (1 - rng.random() ** 0.5)
        created = context.now - dt.timedelta(days=age_days, minutes=rng.randint(5, 600))
        recent = age_days < 14
        if recent and rng.random() < 0.6:
            state = rng.choice(("triage", "new", "in_progress", "in_progress", "waiting", "done"))
        elif rng.random() < 0.01:  # stuck for a long time: ageing work in progress
            state = rng.choice(("new", "in_progress", "waiting"))
        else:
            state = "closed" if rng.random() < 0.85 else "done"
        plan.append(
            Planned(
                created=created,
                municipality=rng.randrange(len(context.municipalities)),
                cluster=rng.randrange(len(context.clusters)),
                urgency=rng.choice(URGENCIES),
                state=state,
                triaged=state == "triage" or rng.random() < 0.3,
                loops=(1 if rng.random() < 0.25 else 0) if state not in ("triage", "new") else 0,
                comments=rng.randint(0, 2) if state not in ("triage", "new") else 0,
            )
        )
    plan.sort(key=lambda item: item.created)
    return plan


def _fit(plan: list[Planned], rng: random.Random, budget: int) -> None:
    """Step 2: loops and comments so that the events add up to ``budget`` exactly."""
    core = sum(item.core for item in plan)
    if core > budget:
        raise ValueError(
            f"{len(plan)} requests need at least {core} events; {budget} are left to add"
        )
    total = sum(item.size for item in plan)
    looped = [item for item in plan if item.loops]
    rng.shuffle(looped)
    while total > budget and looped:
        item = looped.pop()
        item.loops -= 1
        total -= 4
    commented = [item for item in plan if item.comments]
    rng.shuffle(commented)
    while total > budget and commented:
        item = commented[-1]
        item.comments -= 1
        total -= 1
        if not item.comments:
            commented.pop()
    workable = [item for item in plan if item.state not in ("triage", "new")] or [
        item for item in plan if item.state != "triage"
    ]
    if total < budget and not workable:
        raise ValueError("no request that could take further comments")
    index = 0
    while total < budget:
        workable[index % len(workable)].comments += 1
        total += 1
        index += 1


def _steps(item: Planned, rng: random.Random) -> list[tuple[float, str]]:
    """The flow of one request as (hours after filing, step), in order."""
    hours, steps = 0.0, [(0.0, "created")]

    def add(low: float, high: float, step: str) -> None:
        nonlocal hours
        hours += rng.uniform(low, high)
        steps.append((hours, step))

    if item.state == "triage":
        return steps
    if item.triaged:
        add(0.2, 8, "triage")
    if item.state == "new":
        return steps
    slow = {"low": 3.0, "normal": 1.5, "high": 0.5, "critical": 0.1}[item.urgency]
    add(0.3 * slow, 48 * slow, "take")
    comments = item.comments
    for _loop in range(item.loops):
        if comments:
            add(0.5, 24, "comment")
            comments -= 1
        add(0.1, 2, "wait")
        add(4, 120, "resume")
    if item.state == "waiting":
        add(1, 24, "wait")
    for _comment in range(comments):
        add(0.2, 24, "comment")
    if item.state in ("done", "closed"):
        add(0.5, 72 * slow, "done")
    if item.state == "closed":
        add(1, 96, "rate")
    return steps


def _when(item: Planned, steps: list[tuple[float, str]], now: dt.datetime) -> list[dt.datetime]:
    latest = (now - dt.timedelta(minutes=1) - item.created).total_seconds() / 3600
    scale = min(1.0, latest / steps[-1][0]) if steps[-1][0] > 0 else 1.0
    return [item.created + dt.timedelta(hours=hours * scale) for hours, _step in steps]


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """``INSERT`` ``rows`` (attname → value, missing = the field's default) with executemany.

    Several times faster than ``bulk_create`` for half a million rows: no model instances,
    values converted only for the fields that need it (dates, times, JSON) and as Django's
    backends store them (``_converter``). No ids come back.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    convert = {f.attname: _converter(f) for f in fields}
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    plan = [(f.attname, defaults[f.attname], convert[f.attname]) for f in fields]
    values = [
        tuple(
            value if (value := row.get(name, default)) is None or change is None else change(value)
            for name, default, change in plan
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            cursor.executemany(sql, values[start : start + BATCH])


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes into the database (None: as it is)."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        # what Django's SQLite backend stores: naive UTC text; PostgreSQL takes aware values
        return (lambda v: str(v.astimezone(dt.UTC).replace(tzinfo=None))) if sqlite else None
    if isinstance(field, models.DateField):
        return str if sqlite else None
    if isinstance(field, models.JSONField):
        return lambda v: connection.ops.adapt_json_value(v, field.encoder)
    return None


def _final_column(state: str) -> str:
    return {"triage": "triage", "new": "inbox", "in_progress": "in_progress"}.get(
        state, "waiting" if state == "waiting" else "done"
    )


def _write_chunk(
    context: Context,
    rng: random.Random,
    chunk: list[Planned],
    first_number: int,
    positions: dict[int, int],
) -> dict[str, int]:
    """Step 3 for one chunk: requests, then comments, events and time entries."""
    flows = []
    for offset, item in enumerate(chunk):
        steps = _steps(item, rng)
        times = _when(item, steps, context.now)
        cluster = context.clusters[item.cluster]
        municipality = context.municipalities[item.municipality]
        working = item.state not in ("triage", "new")
        names = [step for _hours, step in steps]
        rated = times[-1] if item.state == "closed" else None
        column = context.columns[_final_column(item.state)]
        row: dict[str, Any] = {
            "network_id": context.network.pk,
            "number": first_number + offset,
            "municipality_id": municipality.pk,
            "requester_id": rng.choice(context.requesters.get(municipality.pk) or [None]),
            "title": rng.choice(TITLES),
            "description": "Automatisch erzeugte Anfrage für den Kennzahlen-Lasttest.",
            "urgency": item.urgency,
            "contact_preference": Request.ContactPreference.APP,
            "source": Request.Source.WEB,
            "cluster_id": None if item.state == "triage" else cluster.pk,
            "status": item.state,
            "column_id": column.pk,
            "position": positions.get(column.pk, 0),
            "assignee_id": rng.choice(context.helpers[cluster.pk]) if working else None,
            "solved_at": times[names.index("done")] if "done" in names else None,
            "closed_at": rated,
            "rating": rng.choice((5, 5, 5, 4, 4, 4, 3, 2, 1)) if rated else None,
            "rated_at": rated,
            "version": len(steps),
            "created_at": item.created,
            "updated_at": times[-1],
        }
        positions[column.pk] = positions.get(column.pk, 0) + 1
        flows.append((item, steps, times, row))
    insert_rows(Request, [row for *_rest, row in flows])
    ids = dict(
        Request.objects.in_network(context.network)
        .filter(number__gte=first_number, number__lt=first_number + len(chunk))
        .values_list("number", "pk")
    )
    comments: list[dict[str, Any]] = []
    for _item, steps, times, row in flows:
        row["id"] = ids[row["number"]]
        for (_hours, step), at in zip(steps, times, strict=True):
            if step == "comment":
                internal = rng.random() < 0.2
                staff = not internal and rng.random() >= 0.6
                body = rng.choice(COMMENTS)
                comments.append(
                    {
                        "request_id": row["id"],
                        "author_id": row["requester_id"] if staff else row["assignee_id"],
                        "body": body,
                        "body_html": f"<p>{body}</p>",
                        "internal": internal,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
    last = Comment.objects.aggregate(n=Max("pk"))["n"] or 0
    insert_rows(Comment, comments)
    comment_ids = list(
        Comment.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
    )
    by_request: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for pk, comment in zip(comment_ids, comments, strict=True):
        by_request.setdefault(comment["request_id"], []).append((pk, comment))
    events: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for item, steps, times, row in flows:
        events += _events(context, item, steps, times, row, by_request.get(row["id"], []))
        if row["solved_at"] is not None and row["assignee_id"] in context.home:
            entries.append(_time_entry(context, rng, row))
    insert_rows(RequestEvent, events)
    insert_rows(TimeEntry, entries)
    return {
        "requests": len(flows),
        "events": len(events),
        "comments": len(comments),
        "time_entries": len(entries),
    }


def _events(
    context: Context,
    item: Planned,
    steps: list[tuple[float, str]],
    times: list[dt.datetime],
    row: dict[str, Any],
    comments: list[tuple[int, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The request's events with the services' ``data`` (``board.services.history``)."""
    refs, cluster = context.refs, context.clusters[item.cluster]
    requester, worker = row["requester_id"], row["assignee_id"]
    municipality = context.municipalities[item.municipality]
    events: list[dict[str, Any]] = []

    def event(at: dt.datetime, actor: int | None, kind: str, data: dict[str, Any]) -> None:
        events.append(
            {
                "request_id": row["id"],
                "network_id": context.network.pk,
                "actor_id": actor,
                "actor_name": context.names.get(actor, "") if actor else "",
                "kind": kind,
                "internal": False,
                "data": data,
                "created_at": at,
            }
        )

    def move(at: dt.datetime, actor: int | None, old: str, new: str) -> None:
        event(
            at,
            actor,
            RequestEvent.Kind.COLUMN,
            {"from": refs[old], "to": refs[new], "from_position": 0, "to_position": 0},
        )
        event(
            at,
            actor,
            RequestEvent.Kind.STATUS,
            {"from": refs[f"status:{old}"], "to": refs[f"status:{new}"]},
        )

    pending = list(comments)
    for (_hours, step), at in zip(steps, times, strict=True):
        if step == "created":
            start = "triage" if item.triaged else "inbox"
            event(
                at,
                requester,
                RequestEvent.Kind.CREATED,
                {
                    "source": "web",
                    "municipality": {
                        "id": municipality.pk,
                        "slug": municipality.slug,
                        "name": municipality.name,
                    },
                    "urgency": urgency_ref(item.urgency),
                    "status": refs[f"status:{start}"],
                    "column": refs[start],
                    "cluster": None if item.triaged else cluster_ref(cluster),
                    "suggested_cluster": cluster_ref(cluster),
                    "confidence": 0.4 if item.triaged else 0.85,
                },
            )
        elif step == "triage":
            event(
                at,
                context.coordinator,
                RequestEvent.Kind.CLUSTER,
                {
                    "from": None,
                    "to": cluster_ref(cluster),
                    "suggested": None,
                    "confidence": None,
                    "by": "human",
                },
            )
            move(at, context.coordinator, "triage", "inbox")
        elif step == "take":
            event(
                at,
                worker,
                RequestEvent.Kind.ASSIGNEE,
                {"from": None, "to": context.user_refs.get(worker)},
            )
            move(at, worker, "inbox", "in_progress")
        elif step == "wait":
            move(at, worker, "in_progress", "waiting")
        elif step == "resume":
            move(at, worker, "waiting", "in_progress")
        elif step == "comment":
            pk, comment = pending.pop(0)
            event(
                at,
                comment["author_id"],
                RequestEvent.Kind.COMMENT,
                {"comment": pk, "internal": comment["internal"], "mentions": []},
            )
            events[-1]["internal"] = comment["internal"]
        elif step == "done":
            move(at, worker, "in_progress", "done")
        elif step == "rate":
            event(
                at,
                requester,
                RequestEvent.Kind.RATING,
                {"rating": row["rating"], "with_comment": False},
            )
            event(
                at,
                requester,
                RequestEvent.Kind.STATUS,
                {"from": refs["status:done"], "to": status_ref(Status.CLOSED)},
            )
    return events


def _time_entry(context: Context, rng: random.Random, row: dict[str, Any]) -> dict[str, Any]:
    day = timezone.localdate(row["solved_at"])
    for starts_on, ends_on in context.closed_ranges:  # closed periods refuse new entries
        if starts_on <= day <= ends_on:
            day = starts_on - dt.timedelta(days=1)
    return {
        "network_id": context.network.pk,
        "person_id": row["assignee_id"],
        "providing_municipality_id": context.home[row["assignee_id"]],
        "receiving_municipality_id": row["municipality_id"],
        "request_id": row["id"],
        "cluster_id": row["cluster_id"],
        "date": day,
        "minutes": rng.choice((15, 30, 45, 60, 90, 120, 180, 240)),
        "activity": "support",
        "note": "Lasttest",
        "created_at": row["solved_at"],
        "updated_at": row["solved_at"],
    }


def _moment(context: Context, rng: random.Random) -> dt.datetime:
    age_days = SPAN_DAYS * (1 - rng.random() ** 0.5)
    return context.now - dt.timedelta(days=age_days, minutes=rng.randint(5, 600))


def _self_help(context: Context, rng: random.Random, count: int) -> int:
    staff = [(m, u) for m, users in sorted(context.requesters.items()) for u in users]
    if not staff:
        return 0
    rows = []
    for _ in range(count):
        municipality_id, user_id = rng.choice(staff)
        rows.append(
            {
                "network_id": context.network.pk,
                "municipality_id": municipality_id,
                "user_id": user_id,
                "query": rng.choice(QUESTIONS)[0],
                "article_id": rng.choice(context.articles) if context.articles else None,
                "created_at": _moment(context, rng),
            }
        )
    insert_rows(SelfHelpSuccess, rows)
    return len(rows)


def _search_log(context: Context, rng: random.Random, count: int) -> int:
    rows = []
    for _ in range(count):
        question, hits = rng.choice(QUESTIONS)
        rows.append(
            {
                "network_id": context.network.pk,
                "query": question,
                "result_count": hits,
                "top_score": 0.03 if hits else None,
                "created_at": _moment(context, rng),
            }
        )
    insert_rows(SearchQueryLog, rows)
    return len(rows)
