"""`python -m amtshilfe.website.bench`: latency of the public pages, the demo served as in production.

1. Create a temporary data directory and run `amtshilfe demo --no-serve` in it (SQLite).
2. Start `amtshilfe serve` (gunicorn, production settings, the same workers and threads as
   `make bench`) with the ceiling view that `amtshilfe/bench.py` waits for, and give the
   workers ``--settle`` seconds to warm up (each loads the embedding model and search index).
3. For each public page (home, members, topics, knowledge base, one article, search,
   indicators, join form, the three legal pages): warm up, then keep ``--concurrency``
   anonymous clients busy for ``--duration`` seconds and record every request's latency.
4. Print one JSON document with p50/p95/p99 per page (progress on standard error); stop the
   server and remove the data directory. Exit status 1 if any request failed.

The clients run on the same machine and take CPU time from the server. The helpers (server,
percentiles, client loop) are those of ``amtshilfe/bench.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from amtshilfe.bench import amtshilfe, free_port, log, measure, request, start_server, stop_server
from amtshilfe.core.management.commands.serve import default_concurrency

PAGES = {
    "home": "/",
    "members": "/mitglieder/",
    "topics": "/themen/",
    "knowledge": "/oeffentlich/wissen/",
    "search": "/oeffentlich/wissen/?q=Drucker+druckt+nicht",
    "indicators": "/kennzahlen/",
    "join": "/mitmachen/",
    "imprint": "/impressum/",
    "privacy": "/datenschutz/",
    "accessibility": "/barrierefreiheit/",
}
ARTICLE_LINK = re.compile(r'href="(/oeffentlich/wissen/[^"?#/]+/)"')


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m amtshilfe.website.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    parser.add_argument(
        "--settle",
        type=float,
        default=30.0,
        help="seconds to wait after the start while the workers warm up (embedding model, "
        "search index) – they take the CPU the first pages would be measured with",
    )
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--only", default="", help="comma-separated page names, e.g. home")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    default_workers, default_threads = default_concurrency("sqlite")
    workers, threads = args.workers or default_workers, args.threads or default_threads
    data_dir = Path(tempfile.mkdtemp(prefix="amtshilfe-website-bench-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMTSHILFE_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        {
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "AMTSHILFE_DEMO_PASSWORD": "bench-" + os.urandom(8).hex(),
            "AMTSHILFE_BENCH_CEILING": "1",
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
        }
    )
    pages = dict(PAGES)
    if args.only:
        pages = {name: path for name, path in PAGES.items() if name in args.only.split(",")}
    results: dict[str, Any] = {}
    server = None
    try:
        log(f"loading the demo into {data_dir} …")
        started = time.perf_counter()
        amtshilfe(env, "demo", "--no-serve")
        demo_seconds = time.perf_counter() - started
        port = free_port()
        log(f"starting the server on port {port} ({workers} workers × {threads} threads) …")
        server = start_server(env, port, workers, threads, data_dir / "server.log")
        log(f"letting the workers warm up for {args.settle:g} s …")
        time.sleep(args.settle)
        if not args.only or "article" in args.only.split(","):
            _status, _cookies, body = request(port, "GET", "/oeffentlich/wissen/")
            found = ARTICLE_LINK.search(body)
            if found:
                pages["article"] = found.group(1)
        for name, path in pages.items():
            log(f"{name}: {path}, {args.concurrency} clients, {args.duration:g} s …")
            results[name] = measure(port, path, {}, args.concurrency, args.warmup, args.duration)
            log(f"{name}: p50 {results[name]['p50_ms']} ms, p95 {results[name]['p95_ms']} ms")
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            log(f"data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    errors = sum(result["errors"] for result in results.values())
    report = {
        "pages": results,
        "ok": errors == 0,
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "settle_s": args.settle,
        "database": "sqlite",
        "server": {"software": "gunicorn", "workers": workers, "threads": threads},
        "client": "python http.client, one keep-alive connection per thread, same machine",
        "demo_load_s": round(demo_seconds, 2),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
