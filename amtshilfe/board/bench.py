"""`make bench-board` / `python -m amtshilfe.board.bench`: the Kanban board and the request list.

For each database (SQLite in a temporary data directory; PostgreSQL in a fresh database
created next to ``--postgres-url`` and dropped afterwards):

1. `amtshilfe demo --no-serve` (migrate, static files, the demo network with its history);
2. grow the corpus to the small size (``--small-open`` open cards, ``--small-total``
   requests) and count the SQL statements of each page, run in-process with the test client
   as the coordination (``bench_corpus.worker_queries``);
3. grow it to the full size (default 2,000 open cards on the network board, 50,000 requests
   in the network) and count again – the counts should not change with the size;
4. serve it with `amtshilfe serve` (gunicorn, as in production) and time each page over HTTP,
   logged in as the coordination through the login form: ``--warmup`` requests, then
   ``--requests`` measured ones back to back on one keep-alive connection (p50/p95/p99).

Pages (``bench_corpus.PAGES``): the board ``/kanban/`` (first ``CARDS_PER_COLUMN`` cards per
column) and with all cards ``?alle=1``; the request list's first page, a filtered page
(cluster and urgency), a title search and page 50; and the server's ceiling (a view without
database or template) as the yardstick of the machine. Each step runs in its own process.
Progress goes to standard error, one JSON document to standard output; the exit status is
1 if any page answered other than 200.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from amtshilfe.board.bench_corpus import PAGES, USERNAME, log, worker_generate, worker_queries

HOST = "127.0.0.1"
CSRF_COOKIE, SESSION_COOKIE = "amtshilfe_csrftoken", "amtshilfe_session"


def child(env: dict[str, str], worker: str, *extra: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "amtshilfe.board.bench", "--worker", worker, *extra],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"board bench step {worker} failed with status {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@contextmanager
def database(kind: str, postgres_url: str, keep: bool) -> Iterator[dict[str, str]]:
    """Environment for a fresh SQLite data directory or a fresh PostgreSQL database."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"amtshilfe-bench-board-{kind}-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMTSHILFE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        {
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "AMTSHILFE_DEMO_PASSWORD": "bench-" + os.urandom(8).hex(),
            "AMTSHILFE_BENCH_CEILING": "1",  # start_server waits for /bench/ceiling/
            "AMTSHILFE_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
        }
    )
    from amtshilfe.bench import scratch_database

    with scratch_database(
        kind,
        postgres_url,
        env,
        data_dir,
        name=f"amtshilfe_bench_board_{os.getpid()}",
        keep=keep,
        say=log,
    ) as scratch:
        yield scratch


# --- over HTTP -------------------------------------------------------------------------------


def log_in(port: int, username: str, password: str) -> str:
    """The session cookie of ``username``, obtained through the login form like a browser."""
    from amtshilfe.bench import request

    status, cookies, page = request(port, "GET", "/konto/anmelden/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or CSRF_COOKIE not in cookies or match is None:
        raise SystemExit(f"login form without CSRF token (status {status})")
    origin = f"http://{HOST}:{port}"
    status, cookies, _page = request(
        port,
        "POST",
        "/konto/anmelden/",
        body=urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/konto/anmelden/",
            "Cookie": f"{CSRF_COOKIE}={cookies[CSRF_COOKIE]}",
        },
    )
    if status != 302 or SESSION_COOKIE not in cookies:
        raise SystemExit(f"login as {username} failed (status {status})")
    return cookies[SESSION_COOKIE]


def time_page(port: int, path: str, session: str, warmup: int, count: int) -> dict[str, Any]:
    """``warmup`` requests, then ``count`` timed ones, back to back on one connection."""
    from amtshilfe.bench import percentile

    headers = {"Cookie": f"{SESSION_COOKIE}={session}"}
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    size = 0
    try:
        for number in range(warmup + count):
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.will_close:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=120)
            if number >= warmup:
                latencies.append(elapsed)
                statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
                size = len(body)
    finally:
        conn.close()
    latencies.sort()
    return {
        "path": path,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
        "count": len(latencies),
        "statuses": statuses,
        "bytes": size,
    }


def serve_and_time(env: dict[str, str], kind: str, args: argparse.Namespace) -> dict[str, Any]:
    from amtshilfe.bench import free_port, start_server, stop_server
    from amtshilfe.core.management.commands.serve import default_concurrency

    workers, threads = default_concurrency(kind)
    port = free_port()
    data_dir = Path(env["AMTSHILFE_DATA_DIR"])
    log(f"{kind}: serving on port {port} ({workers} workers × {threads} threads) …")
    server = start_server(env, port, workers, threads, data_dir / "server.log")
    try:
        session = log_in(port, USERNAME, env["AMTSHILFE_DEMO_PASSWORD"])
        timings: dict[str, Any] = {}
        # the ceiling: no database, no template, same server (shows what the machine allows)
        for name, path in {**PAGES, "ceiling": "/bench/ceiling/"}.items():
            timings[name] = time_page(port, path, session, args.warmup, args.requests)
            log(
                f"{kind} {name}: p50 {timings[name]['p50_ms']} ms, p95 {timings[name]['p95_ms']} ms"
            )
        return {"server": {"workers": workers, "threads": threads}, "pages": timings}
    finally:
        stop_server(server)


# --- the whole benchmark ---------------------------------------------------------------------


def run(
    *,
    databases: list[str],
    postgres_url: str = "",
    open_cards: int = 2000,
    total: int = 50_000,
    small_open: int = 200,
    small_total: int = 5_000,
    requests: int = 60,
    warmup: int = 5,
    keep: bool = False,
) -> dict[str, Any]:
    """The board benchmark; returns the JSON-ready report."""
    from amtshilfe.bench import amtshilfe

    args = argparse.Namespace(requests=requests, warmup=warmup)
    results = []
    for kind in databases:
        if kind == "postgresql" and not postgres_url:
            log("no --postgres-url: PostgreSQL skipped")
            continue
        with database(kind, postgres_url, keep) as env:
            log(f"{kind}: loading the demo …")
            started = time.perf_counter()
            amtshilfe(env, "demo", "--no-serve", timeout=1800)
            demo_s = round(time.perf_counter() - started, 1)
            small = child(env, "generate", "--open", str(small_open), "--total", str(small_total))
            queries_small = child(env, "queries")
            full = child(env, "generate", "--open", str(open_cards), "--total", str(total))
            queries_full = child(env, "queries")
            served = serve_and_time(env, kind, args)
            constant = {
                name: queries_small[name]["queries"] == queries_full[name]["queries"]
                for name in PAGES
            }
            results.append(
                {
                    "database": kind,
                    "demo_load_s": demo_s,
                    "corpus": {"small": small, "full": full},
                    "sql_per_page": {
                        name: {
                            "small": queries_small[name]["queries"],
                            "full": queries_full[name]["queries"],
                            "full_in_process_ms": queries_full[name]["in_process_ms"],
                            "full_sql_ms": queries_full[name]["sql_ms"],
                            "full_slowest_sql": queries_full[name]["slowest_sql"],
                        }
                        for name in PAGES
                    },
                    "sql_constant": constant,
                    **served,
                }
            )
    ok = all(
        set(page["statuses"]) == {"200"} for result in results for page in result["pages"].values()
    )
    return {
        "results": results,
        "ok": ok,
        "method": {
            "user": f"{USERNAME} (coordination: sees every request of the network)",
            "latency": f"{warmup} warm-up requests, then {requests} measured back to back on "
            "one keep-alive connection (python http.client on the same machine)",
            "sql": "the same pages in-process (django.test.Client, CaptureQueriesContext), "
            "second request, at the small and the full corpus",
            "corpus": "bulk_create on the network board; open cards in inbox/triage/in "
            "progress/waiting, finished ones solved before the board's recent-done window; "
            "no RequestEvents (the pages do not read them)",
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m amtshilfe.board.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("AMTSHILFE_BENCH_POSTGRES_URL", ""),
        help="a PostgreSQL server (any existing database, e.g. .../postgres) in which a "
        "fresh database amtshilfe_bench_board_<pid> is created and dropped",
    )
    parser.add_argument("--open", type=int, default=2000, help="open cards (full corpus)")
    parser.add_argument("--total", type=int, default=50_000, help="requests (full corpus)")
    parser.add_argument("--small-open", type=int, default=200)
    parser.add_argument("--small-total", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=60, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--worker", choices=["generate", "queries"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker = {"generate": worker_generate, "queries": worker_queries}[args.worker]
        print(json.dumps(worker(args)))
        return 0
    report = run(
        databases=[name.strip() for name in args.databases.split(",") if name.strip()],
        postgres_url=args.postgres_url,
        open_cards=args.open,
        total=args.total,
        small_open=args.small_open,
        small_total=args.small_total,
        requests=args.requests,
        warmup=args.warmup,
        keep=args.keep,
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
