"""Board benchmark, child steps with Django: grow the corpus (generate), count SQL (queries).

See ``bench.py``. The corpus is written with ``bulk_create`` straight into the demo network:
requests on the network board, positions dense per column (after the cards already there),
numbers unique per network (after the highest), status, ``solved_at``/``closed_at``/rating
as their column demands. Open cards go to inbox, triage, in progress and waiting; finished
ones were solved more than ``DONE_RECENT_DAYS`` ago, so the board's done column does not
grow with them. No ``RequestEvent``s: neither page reads them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from typing import Any

NETWORK_SLUG = "landkreis-meissen"
USERNAME = "koordination"
OPEN_KINDS = ("inbox", "triage", "in_progress", "waiting")
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
BATCH = 2000


def log(message: str) -> None:
    print(f"[bench-board] {message}", file=sys.stderr, flush=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtshilfe.settings")
    import django

    django.setup()


def worker_generate(args: argparse.Namespace) -> dict[str, Any]:
    """Add requests until the network has ``--open`` open cards and ``--total`` requests."""
    _django()
    from django.db import connection, transaction
    from django.db.models import Count, Max
    from django.utils import timezone

    from amtshilfe.board.models import Board, ServiceRequest
    from amtshilfe.board.services import ensure_default_board
    from amtshilfe.board.views.kanban_layout import DONE_RECENT_DAYS
    from amtshilfe.demo.history import explicit_times
    from amtshilfe.experts.models import ClusterMembership, TopicCluster
    from amtshilfe.tenancy.models import Municipality, Network

    started = time.perf_counter()
    rng = random.Random(args.open * 7 + args.total)  # noqa: S311 (reproducible corpus)
    network = Network.objects.get(slug=NETWORK_SLUG)
    requests = ServiceRequest.objects.in_network(network)
    board = Board.objects.filter(network=network, cluster__isnull=True).first()
    board = board or ensure_default_board(network=network)
    columns = {c.kind: c for c in board.columns.order_by("-position")}
    municipalities = list(Municipality.objects.in_network(network).order_by("pk"))
    clusters = list(TopicCluster.objects.in_network(network).order_by("pk"))
    members: dict[int, list[int]] = {}
    for cluster_id, user_id in ClusterMembership.objects.filter(
        cluster__network=network
    ).values_list("cluster_id", "user_id"):
        members.setdefault(cluster_id, []).append(user_id)
    open_now = requests.open().count()
    total_now = requests.count()
    add_open = max(args.open - open_now, 0)
    add_closed = max(args.total - total_now - add_open, 0)
    counts = dict(
        ServiceRequest.objects.filter(column__board=board)
        .values_list("column_id")
        .annotate(n=Count("pk"))
        .values_list("column_id", "n")
    )
    next_position = {c.pk: counts.get(c.pk, 0) for c in columns.values()}
    number = (requests.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    recent = now - dt.timedelta(days=DONE_RECENT_DAYS + 1)
    kinds = ["done"] * add_closed + [OPEN_KINDS[i % len(OPEN_KINDS)] for i in range(add_open)]
    rng.shuffle(kinds)
    rows = []
    for kind in kinds:
        column = columns[kind]
        cluster = None if kind == "triage" else rng.choice(clusters)
        created = now - dt.timedelta(minutes=rng.randint(60, 365 * 24 * 60))
        finished = kind == "done"
        if finished:
            created = min(created, recent - dt.timedelta(days=2))
        solved = (
            min(created + dt.timedelta(hours=rng.randint(1, 240)), recent) if finished else None
        )
        rated = finished and rng.random() < 0.8
        assignee = None
        if cluster is not None and kind != "inbox" and members.get(cluster.pk):
            assignee = rng.choice(members[cluster.pk])
        rows.append(
            ServiceRequest(
                network=network,
                number=number,
                municipality=rng.choice(municipalities),
                title=f"{rng.choice(TITLES)} ({number})",
                description="Automatisch erzeugte Anfrage für den Lasttest.",
                urgency=rng.choice(ServiceRequest.Urgency.values),
                source=ServiceRequest.Source.WEB,
                cluster=cluster,
                status=(
                    (ServiceRequest.Status.CLOSED if rated else ServiceRequest.Status.DONE)
                    if finished
                    else ServiceRequest.STATUS_FOR_KIND[kind]
                ),
                column=column,
                position=next_position[column.pk],
                assignee_id=assignee,
                solved_at=solved,
                closed_at=solved if rated else None,
                rating=rng.randint(3, 5) if rated else None,
                rated_at=solved if rated else None,
                created_at=created,
                updated_at=solved or created + dt.timedelta(hours=rng.randint(0, 48)),
            )
        )
        next_position[column.pk] += 1
        number += 1
    # created_at/updated_at spread over the past year (the demo's switch for auto_now fields)
    with transaction.atomic(), explicit_times(ServiceRequest):
        ServiceRequest.objects.bulk_create(rows, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE board_servicerequest")
    seconds = time.perf_counter() - started
    result = {
        "database": connection.vendor,
        "added": len(rows),
        "open": requests.open().count(),
        "open_on_network_board": requests.open().filter(column__board=board).count(),
        "total": requests.count(),
        "generation_s": round(seconds, 2),
    }
    log(f"corpus: {result}")
    return result


# --- SQL per page, in-process -----------------------------------------------------------------

PAGES: dict[str, str] = {
    "board": "/kanban/",
    "board_all_cards": "/kanban/?alle=1",
    "list_first_page": "/anfragen/",
    "list_filtered": "/anfragen/?status=all&cluster=arbeitsplatz-drucker&urgency=high",
    "list_search": "/anfragen/?status=all&q=drucker",
    "list_page_50": "/anfragen/?status=all&seite=50",
}


def worker_queries(args: argparse.Namespace) -> dict[str, Any]:
    """Run each page's view in this process (test client) and count its SQL statements."""
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from amtshilfe.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=USERNAME))
    result: dict[str, Any] = {"database": connection.vendor}
    for name, path in PAGES.items():
        client.get(path)  # warm: caches, first-use imports
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        elapsed = time.perf_counter() - started
        result[name] = {
            "path": path,
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            # one in-process request: how much of it is waiting for the database
            "in_process_ms": round(elapsed * 1000, 1),
            "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
            "slowest_sql": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:160]}
                for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]
            ],
            "bytes": len(response.content),
        }
    log(f"queries: {result}")
    return result
