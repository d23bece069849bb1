"""`make bench` / `python -m amtshilfe.bench`: throughput of the demo served as in production.

1. Create a temporary data directory (SQLite; or ``--database-url`` for an empty PostgreSQL
   database) and run `amtshilfe demo --no-serve` in it.
2. Start `amtshilfe serve` on a free port with AMTSHILFE_BENCH_CEILING=1, which routes a
   minimal view (``amtshilfe/demo/bench_urls.py``) as the ceiling of the same server.
3. Log in as ``verwaltung.meissen`` through the login form (CSRF token and cookie) and create
   an API token with `amtshilfe create-token`.
4. For each target, warm up, then keep N clients busy for a fixed time (threads with
   keep-alive connections, pure Python so no tool has to be installed): the start page
   ``/start/`` with the session, ``GET /api/v1/me`` with the token, and the ceiling view.
   Every response other than 200 counts as an error.
5. Print one JSON document on standard output (progress goes to standard error), stop the
   server and remove the data directory. The exit status is 1 if any request failed.
6. Then the search benchmark (``amtshilfe/wiki/search/bench.py``: latency of
   ``engine.search`` at ``--search-sizes`` articles, index load time and memory, indexing
   throughput) runs and its report goes under the key ``"search"``; ``--search-only`` runs
   only that, ``--no-search`` skips it.
7. Then the board benchmark (``amtshilfe/board/bench.py``: the Kanban board with 2,000 open
   cards and the request list with 50,000 requests, over HTTP and SQL per page) under the
   key ``"board"``; ``--no-board`` skips it.

The client runs on the same machine and takes CPU time from the server; the ceiling shows
where that limit lies.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

from amtshilfe.core.management.commands.serve import default_concurrency

USERNAME = "verwaltung.meissen"
HOST = "127.0.0.1"
CSRF_COOKIE, SESSION_COOKIE = "amtshilfe_csrftoken", "amtshilfe_session"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@contextmanager
def scratch_database(
    kind: str,
    postgres_url: str,
    env: dict[str, str],
    data_dir: Path,
    *,
    name: str,
    keep: bool,
    say: Callable[[str], None] = log,
) -> Iterator[dict[str, str]]:
    """``env`` with a fresh database: SQLite lives in ``data_dir``; for "postgresql" the
    database ``name`` is created next to ``postgres_url``. Afterwards both are removed,
    unless ``keep`` (then their names are logged with ``say``)."""
    admin = None
    try:
        if kind == "postgresql":
            import psycopg

            parsed = urlparse(postgres_url)
            if parsed.path.strip("/") == name or name == "test":
                raise SystemExit("refusing to use that database name")
            admin = psycopg.connect(postgres_url, autocommit=True)
            admin.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
            say(f"created PostgreSQL database {name}")
        yield env
    finally:
        if admin is not None:
            if keep:
                say(f"PostgreSQL database kept: {name}")
            else:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                say(f"dropped PostgreSQL database {name}")
            admin.close()
        if keep:
            say(f"data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def amtshilfe(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run an `amtshilfe` command of this interpreter's installation; return its output."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "amtshilfe.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"amtshilfe {' '.join(args)} failed with status {done.returncode}")
    return done.stdout


# --- the server ------------------------------------------------------------------------------


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int, log_path: Path
) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as server_log:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "amtshilfe.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.stderr.write(log_path.read_text(errors="replace"))
            raise SystemExit("the server did not start")
        try:
            if request(port, "GET", "/bench/ceiling/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("the server did not answer within 60 seconds")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- logging in ------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """One request on a fresh connection: status, cookies set, body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        cookies: dict[str, str] = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return response.status, cookies, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def log_in(port: int, password: str) -> str:
    """The session cookie of USERNAME, obtained through the login form like a browser."""
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
            {
                "username": USERNAME,
                "password": password,
                "csrfmiddlewaretoken": match.group(1),
            }
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/konto/anmelden/",
            "Cookie": f"{CSRF_COOKIE}={cookies[CSRF_COOKIE]}",
        },
    )
    if status != 302 or SESSION_COOKIE not in cookies:
        raise SystemExit(f"login as {USERNAME} failed (status {status})")
    return cookies[SESSION_COOKIE]


# --- the load generator ----------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def client_loop(
    port: int, path: str, headers: dict[str, str], record_from: float, stop_at: float, tally: Tally
) -> None:
    """Send requests back to back on one keep-alive connection until ``stop_at``."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    while (started := time.perf_counter()) < stop_at:
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        if started >= record_from:
            tally.latencies.append(time.perf_counter() - started)
            tally.statuses[str(status)] = tally.statuses.get(str(status), 0) + 1
            if status != 200:
                tally.errors += 1
    conn.close()


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(
    port: int, path: str, headers: dict[str, str], concurrency: int, warmup: float, duration: float
) -> dict[str, Any]:
    begin = time.perf_counter()
    record_from, stop_at = begin + warmup, begin + warmup + duration
    tallies = [Tally() for _ in range(concurrency)]
    threads = [
        threading.Thread(
            target=client_loop, args=(port, path, headers, record_from, stop_at, tally)
        )
        for tally in tallies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(lat for tally in tallies for lat in tally.latencies)
    statuses: dict[str, int] = {}
    for tally in tallies:
        for status, count in tally.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "path": path,
        "requests_per_second": round(len(latencies) / duration, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "count": len(latencies),
        "errors": sum(tally.errors for tally in tallies),
        "statuses": statuses,
    }


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m amtshilfe.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--database-url", default="", help="an EMPTY PostgreSQL database to use instead of SQLite"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    search = parser.add_argument_group("search benchmark (amtshilfe.wiki.search.bench)")
    search.add_argument("--search-only", action="store_true", help="run only the search part")
    search.add_argument("--no-search", action="store_true", help="skip the search part")
    search.add_argument("--search-sizes", default="5000", help="e.g. 5000,100000")
    search.add_argument("--search-databases", default="sqlite,postgresql")
    search.add_argument(
        "--postgres-url",
        default=os.environ.get("AMTSHILFE_BENCH_POSTGRES_URL", ""),
        help="PostgreSQL server in which the search benchmark creates and drops a fresh "
        "database (without it only SQLite is measured)",
    )
    search.add_argument("--search-queries", type=int, default=240)
    search.add_argument("--search-repeats", type=int, default=2)
    search.add_argument("--search-omp-threads", default="default")
    parser.add_argument("--no-board", action="store_true", help="skip the board benchmark")
    return parser.parse_args(argv)


def run_search(args: argparse.Namespace) -> dict[str, Any]:
    from amtshilfe.wiki.search import bench as search_bench

    return search_bench.run(
        sizes=[int(size) for size in args.search_sizes.split(",") if size.strip()],
        databases=[name.strip() for name in args.search_databases.split(",") if name.strip()],
        postgres_url=args.postgres_url,
        queries=args.search_queries,
        repeats=args.search_repeats,
        omp_threads=tuple(t.strip() for t in args.search_omp_threads.split(",") if t.strip()),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.search_only:
        search = run_search(args)
        print(json.dumps({"search": search}, indent=2, ensure_ascii=False))
        return 0 if search["ok"] else 1
    vendor = "postgresql" if args.database_url else "sqlite"
    if args.database_url and not urlparse(args.database_url).scheme.startswith("postgres"):
        raise SystemExit("--database-url must be a postgres:// URL")
    default_workers, default_threads = default_concurrency(vendor)
    workers, threads = args.workers or default_workers, args.threads or default_threads
    data_dir = Path(tempfile.mkdtemp(prefix="amtshilfe-bench-"))
    password = "bench-" + os.urandom(8).hex()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMTSHILFE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        {
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "AMTSHILFE_DEMO_PASSWORD": password,
            "AMTSHILFE_BENCH_CEILING": "1",
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
        }
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    server = None
    try:
        log(f"loading the demo into {data_dir} ({vendor}) …")
        started = time.perf_counter()
        amtshilfe(env, "demo", "--no-serve")
        demo_seconds = time.perf_counter() - started
        port = free_port()
        log(f"starting the server on port {port} ({workers} workers × {threads} threads) …")
        server = start_server(env, port, workers, threads, data_dir / "server.log")
        session = log_in(port, password)
        token = amtshilfe(env, "create-token", USERNAME, "--name", "Lasttest").strip()
        targets = {
            "start_page": ("/start/", {"Cookie": f"{SESSION_COOKIE}={session}"}),
            "api_me": ("/api/v1/me", {"Authorization": f"Bearer {token}"}),
            "ceiling": ("/bench/ceiling/", {}),
        }
        results = {}
        for name, (path, headers) in targets.items():
            log(
                f"{name}: {path}, {args.concurrency} clients, {args.warmup:g} s warm-up, "
                f"{args.duration:g} s …"
            )
            results[name] = measure(
                port, path, headers, args.concurrency, args.warmup, args.duration
            )
            log(
                f"{name}: {results[name]['requests_per_second']} requests/s, "
                f"p95 {results[name]['p95_ms']} ms, {results[name]['errors']} errors"
            )
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            log(f"data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    errors = sum(result["errors"] for result in results.values())
    report = {
        "targets": results,
        "ok": errors == 0,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "database": vendor,
        "server": {
            "software": "gunicorn",
            "worker_class": "gthread",
            "workers": workers,
            "threads": threads,
            "access_log": False,
        },
        "client": "python http.client, one keep-alive connection per thread, same machine",
        "demo_load_s": round(demo_seconds, 2),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    if not args.no_search:
        # Missed latency targets show as "search": {"ok": false}; the exit status stays about
        # failed requests (--search-only exits 1 on a missed target).
        report["search"] = run_search(args)
    if not args.no_board:
        from amtshilfe.board import bench as board_bench

        report["board"] = board_bench.run(
            databases=["sqlite", "postgresql"], postgres_url=args.postgres_url
        )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
