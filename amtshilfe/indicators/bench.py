"""`make bench-indicators` / `python -m amtshilfe.indicators.bench`: the indicators dashboard.

For each database (SQLite in a temporary data directory; PostgreSQL in a fresh database
created next to ``--postgres-url`` and dropped afterwards):

1. `amtshilfe demo --no-serve` (migrate, static files, the demo network with its history);
2. grow the corpus (``bench_corpus.grow_corpus``): the demo network plus requests over two
   years until it has ``--requests`` requests and ``--events`` request events, with
   ratings, time entries, self-help successes and search log rows;
3. in-process (test client as the coordination, ``CaptureQueriesContext``): the SQL
   statements of each page with an empty figure cache ("cold") and a filled one ("warm"),
   and each registered figure's own time and statements – which figure is the slow one;
4. serve it with `amtshilfe serve` (gunicorn, as in production), log in through the login
   form and time each page over HTTP on one keep-alive connection:

   - *cold*: the figures are cached per network and period (shared by the server processes,
     ``indicators/compute.py``) and the cache cannot be switched off from outside, so each
     cold request asks for a different free period of the same length as the page's
     (``zeitraum=frei``, shifted back a day at a time) – a cache miss every time, the same
     work as the default period;
   - *first*: the very first request of the page (cold, plus the worker's first use);
   - *warm*: ``--warmup`` requests, then ``--samples`` measured ones of the same URL;

   after waiting until the server is idle (its workers warm up search index and models in
   threads after start), and the peak resident memory (VmHWM) of the server's processes
   at the end.

Pages (``PAGES``): the dashboard with the default period (``/auswertung/``, last three
months), with ``?zeitraum=12m``, and the process analysis (``/auswertung/ablauf/``). Until
they exist (``indicators:dashboard`` does not resolve), only step 3's figure timings run.
Progress goes to standard error, one JSON document to standard output; the exit status is
1 if any page answered other than 200.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

USERNAME = "koordination"
NETWORK_SLUG = "landkreis-meissen"
PAGES: dict[str, tuple[str, str]] = {  # name → (URL name, period key)
    "dashboard_3m": ("indicators:dashboard", "3m"),
    "dashboard_12m": ("indicators:dashboard", "12m"),
    "process_3m": ("indicators:process", "3m"),
}


def log(message: str) -> None:
    print(f"[bench-indicators] {message}", file=sys.stderr, flush=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtshilfe.settings")
    import django

    django.setup()


def child(env: dict[str, str], worker: str, *extra: str) -> dict[str, Any]:
    import subprocess

    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "amtshilfe.indicators.bench", "--worker", worker, *extra],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"indicators bench step {worker} failed with status {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- URLs ----------------------------------------------------------------------------------


def page_paths(today: dt.date) -> dict[str, str] | None:
    """Each page's URL with its period (None while the pages do not exist)."""
    from django.urls import NoReverseMatch, reverse

    paths = {}
    for name, (url_name, period) in PAGES.items():
        try:
            base = reverse(url_name)
        except NoReverseMatch:
            return None
        paths[name] = base if period == "3m" else f"{base}?{urlencode({'zeitraum': period})}"
    return paths


def cold_path(path: str, period: str, today: dt.date, shift: int) -> str:
    """``path`` with a free period as long as ``period`` ending ``shift`` days before today."""
    from amtshilfe.indicators.periods import parse_period

    chosen = parse_period({"zeitraum": period}, today=today)
    last = chosen.last_day - dt.timedelta(days=shift)
    start = chosen.start - dt.timedelta(days=shift)
    base = path.split("?", 1)[0]
    query = {"zeitraum": "frei", "von": start.isoformat(), "bis": last.isoformat()}
    return f"{base}?{urlencode(query)}"


# --- child steps -----------------------------------------------------------------------------


def worker_generate(args: argparse.Namespace) -> dict[str, Any]:
    _django()
    from django.db import connection

    from amtshilfe.board.models import RequestEvent, ServiceRequest
    from amtshilfe.indicators.bench_corpus import grow_corpus
    from amtshilfe.tenancy.models import Network

    network = Network.objects.get(slug=NETWORK_SLUG)
    started = time.perf_counter()
    added = grow_corpus(network, requests=args.requests, events=args.events)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = {
        "database": connection.vendor,
        "added": added,
        "requests": ServiceRequest.objects.in_network(network).count(),
        "events": RequestEvent.objects.in_network(network).count(),
        "generation_s": round(time.perf_counter() - started, 1),
    }
    log(f"corpus: {result}")
    return result


def worker_queries(args: argparse.Namespace) -> dict[str, Any]:
    """SQL per page (cold and warm) and every figure's time, in this process."""
    _django()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from amtshilfe.accounts.models import User
    from amtshilfe.indicators import registry
    from amtshilfe.indicators.periods import parse_period
    from amtshilfe.tenancy.models import Network

    today = timezone.localdate()
    result: dict[str, Any] = {
        "database": connection.vendor,
        "pages": None,
        "paths": None,
        "figures": {},
    }
    paths = page_paths(today)
    if paths is not None:
        result["paths"] = {
            name: {
                "path": path,
                "cold": [
                    cold_path(path, PAGES[name][1], today, shift)
                    for shift in range(1, args.cold + 1)
                ],
            }
            for name, path in paths.items()
        }
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=USERNAME))
        client.get(paths["dashboard_3m"])  # first use: imports, templates
        pages: dict[str, Any] = {}
        for name, path in paths.items():
            caches["indicators"].clear()
            measured = {}
            for state in ("cold", "warm"):
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(path)
                measured[state] = {
                    "status": response.status_code,
                    "queries": len(captured.captured_queries),
                    "in_process_ms": round((time.perf_counter() - started) * 1000, 1),
                    "sql_ms": round(
                        sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1
                    ),
                }
            pages[name] = {"path": path, **measured}
        result["pages"] = pages
    network = Network.objects.get(slug=NETWORK_SLUG)
    for period_key in ("3m", "12m"):
        period = parse_period({"zeitraum": period_key}, today=today)
        figures: dict[str, dict[str, Any]] = {}
        for key, indicator in sorted(registry.REGISTRY.items()):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                try:
                    indicator.figure(network, period)
                    error = ""
                except Exception as problem:
                    error = f"{type(problem).__name__}: {problem}"[:200]
            figures[key] = {
                "section": indicator.section,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "queries": len(captured.captured_queries),
                **({"error": error} if error else {}),
            }
        result["figures"][period_key] = figures
        slowest = sorted(figures.items(), key=lambda item: -item[1]["ms"])[:3]
        log(f"{period_key}: slowest figures {[(k, v['ms']) for k, v in slowest]}")
    return result


# --- over HTTP -------------------------------------------------------------------------------


def _group_pids(group: int) -> list[Path]:
    """The /proc entries of the processes in process group ``group`` (Linux only)."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == group:
                found.append(entry)
        except (OSError, ValueError, IndexError):
            continue
    return found


def wait_until_idle(group: int, timeout: float = 120.0) -> float:
    """Wait until the server's processes stop using CPU (the workers' warm-up threads load
    the search index and models after start); returns the seconds waited."""
    ticks = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    last, quiet = -1.0, 0
    while time.monotonic() - started < timeout and quiet < 3:
        used = 0.0
        for entry in _group_pids(group):
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                used += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
            except (OSError, ValueError, IndexError):
                continue
        quiet = quiet + 1 if last >= 0 and used - last < 0.05 else 0
        last = used
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def peak_rss_kib(group: int) -> dict[str, int] | None:
    """Peak resident memory (VmHWM, KiB) of the processes in process group ``group``."""
    peaks = []
    for entry in _group_pids(group):
        try:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    if not peaks:
        return None
    return {"max_process_kib": max(peaks), "sum_kib": sum(peaks), "processes": len(peaks)}


def serve_and_time(
    env: dict[str, str], kind: str, args: argparse.Namespace, paths: dict[str, Any] | None
) -> dict[str, Any]:
    from amtshilfe.bench import free_port, start_server, stop_server
    from amtshilfe.board.bench import log_in, time_page
    from amtshilfe.core.management.commands.serve import default_concurrency

    if paths is None:
        log(f"{kind}: the pages do not exist yet – HTTP timing skipped")
        return {"pages": None}
    workers, threads = default_concurrency(kind)
    port = free_port()
    data_dir = Path(env["AMTSHILFE_DATA_DIR"])
    log(f"{kind}: serving on port {port} ({workers} workers × {threads} threads) …")
    server = start_server(env, port, workers, threads, data_dir / "server.log")
    try:
        session = log_in(port, USERNAME, env["AMTSHILFE_DEMO_PASSWORD"])
        waited = wait_until_idle(server.pid)
        log(f"{kind}: the server's warm-up took {waited} s")
        timings: dict[str, Any] = {}
        for name, urls in paths.items():
            path = urls["path"]
            first = time_page(port, path, session, 0, 1)
            cold = [time_page(port, url, session, 0, 1) for url in urls["cold"]]
            cold_ms = sorted(c["p50_ms"] for c in cold)
            warm = time_page(port, path, session, args.warmup, args.samples)
            statuses: dict[str, int] = {}
            for measured in [first, warm, *cold]:
                for status, count in measured["statuses"].items():
                    statuses[status] = statuses.get(status, 0) + count
            timings[name] = {
                "path": path,
                "first_ms": first["p50_ms"],
                "cold": {
                    "p50_ms": _percentile(cold_ms, 0.50),
                    "p95_ms": _percentile(cold_ms, 0.95),
                    "max_ms": cold_ms[-1] if cold_ms else 0.0,
                    "count": len(cold_ms),
                },
                "warm": {k: warm[k] for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "count")},
                "statuses": statuses,
                "bytes": warm["bytes"],
            }
            log(
                f"{kind} {name}: first {first['p50_ms']} ms, cold p95 "
                f"{timings[name]['cold']['p95_ms']} ms, warm p95 {warm['p95_ms']} ms"
            )
        rss = peak_rss_kib(server.pid)
        return {
            "server": {
                "workers": workers,
                "threads": threads,
                "warm_up_s": waited,
                "peak_rss": rss,
            },
            "pages": timings,
        }
    finally:
        stop_server(server)


def _percentile(ordered: list[float], fraction: float) -> float:
    from amtshilfe.bench import percentile

    return round(percentile(ordered, fraction), 1) if ordered else 0.0


# --- the whole benchmark ---------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The indicators benchmark; returns the JSON-ready report."""
    from amtshilfe.bench import amtshilfe
    from amtshilfe.board.bench import database

    results = []
    for kind in [name.strip() for name in args.databases.split(",") if name.strip()]:
        if kind == "postgresql" and not args.postgres_url:
            log("no --postgres-url: PostgreSQL skipped")
            continue
        with database(kind, args.postgres_url, args.keep) as env:
            log(f"{kind}: loading the demo …")
            started = time.perf_counter()
            amtshilfe(env, "demo", "--no-serve", timeout=1800)
            demo_s = round(time.perf_counter() - started, 1)
            corpus = child(
                env, "generate", "--requests", str(args.requests), "--events", str(args.events)
            )
            queries = child(env, "queries", "--cold", str(args.cold))
            served = serve_and_time(env, kind, args, queries["paths"])
            results.append(
                {
                    "database": kind,
                    "demo_load_s": demo_s,
                    "corpus": corpus,
                    "sql_per_page": queries["pages"],
                    "figures_in_process": queries["figures"],
                    **served,
                }
            )
    ok = all(
        set(page["statuses"]) == {"200"}
        for result in results
        for page in (result.get("pages") or {}).values()
    )
    return {
        "results": results,
        "ok": ok,
        "method": {
            "user": f"{USERNAME} (coordination)",
            "latency": f"first request; {args.cold} cold requests (free periods of the same "
            f"length, each a cache miss); {args.warmup} warm-up then {args.samples} warm "
            "requests of the same URL; back to back on one keep-alive connection "
            "(python http.client on the same machine)",
            "sql": "the same pages in-process (django.test.Client, CaptureQueriesContext), "
            "cache cleared (cold) and again (warm); every registered figure computed alone",
            "memory": "VmHWM of the serving processes (gunicorn master and workers) at the end",
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
        prog="python -m amtshilfe.indicators.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("AMTSHILFE_BENCH_POSTGRES_URL", ""),
        help="a PostgreSQL server (any existing database, e.g. .../postgres) in which a "
        "fresh database amtshilfe_bench_board_<pid> is created and dropped (the board "
        "benchmark's helper)",
    )
    parser.add_argument("--requests", type=int, default=50_000, help="requests in the network")
    parser.add_argument("--events", type=int, default=500_000, help="request events in total")
    parser.add_argument("--samples", type=int, default=20, help="measured warm requests/page")
    parser.add_argument("--cold", type=int, default=10, help="measured cold requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--worker", choices=["generate", "queries"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker = {"generate": worker_generate, "queries": worker_queries}[args.worker]
        print(json.dumps(worker(args)))
        return 0
    report = run(args)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
