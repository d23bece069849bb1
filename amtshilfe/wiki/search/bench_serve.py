"""Search benchmark, child steps that measure: query latency of a serving process (serve)
and indexing throughput (indexing). See bench.py."""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from amtshilfe.wiki.search.bench_common import (
    NETWORK_SLUG,
    USERNAME,
    _django,
    _questions,
    load_average,
    log,
    rss_mb,
    summary_ms,
)
from amtshilfe.wiki.search.bench_corpus import Generator


def _fresh_request_user(user: Any, keep_embeddings: bool = False) -> None:
    """Forget the access checks cached on the user object: a request starts without them.

    The process-wide cache of query embeddings is emptied too (unless ``keep_embeddings``):
    the measured latency is that of a question the process has not seen before, model
    included.
    """
    from amtshilfe.wiki.search.embeddings import clear_query_cache

    for key in [k for k in user.__dict__ if k.startswith("_") and k.endswith("_cache")]:
        del user.__dict__[key]
    if not keep_embeddings:
        clear_query_cache()


def worker_serve(args: argparse.Namespace) -> dict[str, Any]:
    """One serving process: load the index, then time searches."""
    import cProfile
    import io
    import pstats

    before_django = rss_mb()
    _django()
    import numpy as np
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amtshilfe.accounts.models import User
    from amtshilfe.tenancy.models import Network
    from amtshilfe.wiki.models import ArticleQuerySet
    from amtshilfe.wiki.search import engine, lexical
    from amtshilfe.wiki.search.embeddings import get_backend

    network = Network.objects.get(slug=NETWORK_SLUG)
    user = User.objects.get(username=USERNAME)
    questions = _questions()
    after_django = rss_mb()

    started = time.perf_counter()
    backend = get_backend()
    backend.embed_query("Drucker druckt nicht")
    model_load_s = time.perf_counter() - started
    after_model = rss_mb()

    started = time.perf_counter()
    index = engine.load_index(network)
    index_load_s = time.perf_counter() - started
    after_index = rss_mb()
    passages = len(index.passage_ids)
    articles = len(set(index.article_ids.tolist()))
    log(
        f"{connection.vendor}: index of {articles} articles / {passages} passages loaded in "
        f"{index_load_s:.1f} s, RSS {after_index['rss_mb']} MB"
    )

    def run(query: str) -> list[Any]:
        _fresh_request_user(user)
        return engine.search(network, user, query, limit=10)

    for item in questions[: args.warmup]:
        run(item["question"])

    order = [questions[i % len(questions)] for i in range(args.queries)]
    timings: list[float] = []
    cpu: list[float] = []
    found1 = found5 = answerable = 0
    load_before = load_average()
    wall = time.perf_counter()
    for position, item in enumerate(order):
        t, c = time.perf_counter(), time.process_time()
        hits = run(item["question"])
        timings.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if position < len(questions) and item["gold"]:
            answerable += 1
            slugs = [hit.article.slug for hit in hits]
            found1 += slugs[:1] == [item["gold"][0]] or bool(set(slugs[:1]) & set(item["gold"]))
            found5 += bool(set(slugs[:5]) & set(item["gold"]))
    wall = time.perf_counter() - wall
    load_after = load_average()
    # The same questions once more with their embeddings in the process cache: everything
    # but the model (the split the target discussion needs; not the headline number).
    warm: list[float] = []
    for item in questions:
        run(item["question"])  # fills the cache
    for item in order:
        _fresh_request_user(user, keep_embeddings=True)
        t = time.perf_counter()
        engine.search(network, user, item["question"], limit=10)
        warm.append(time.perf_counter() - t)
    passes = [
        summary_ms(timings[i : i + len(questions)]) for i in range(0, len(timings), len(questions))
    ]

    result: dict[str, Any] = {
        "database": connection.vendor,
        "articles": articles,
        "passages": passages,
        "vocabulary_terms": len(index.vocabulary.document_frequency),
        "vocabulary_surfaces": len(index.vocabulary.surfaces),
        "model_load_s": round(model_load_s, 2),
        "index_load_s": round(index_load_s, 2),
        "rss_mb": {
            "before_django": before_django["rss_mb"],
            "after_django": after_django["rss_mb"],
            "after_model": after_model["rss_mb"],
            "after_index_load": after_index["rss_mb"],
            "peak_during_load": after_index.get("peak_rss_mb"),
            "after_queries": rss_mb()["rss_mb"],
            "ru_maxrss": rss_mb()["ru_maxrss_mb"],
        },
        "dense_matrix_mb": round(index.matrix.nbytes / 2**20, 1),
        "queries": len(timings),
        "queries_per_second": round(len(timings) / wall, 1),
        "latencies_ms": [round(x * 1000, 3) for x in timings],
        "cpu_ms": summary_ms(cpu),
        "latency_cached_embedding_ms": summary_ms(warm),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "default"),
        "passes": passes,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "dev_questions_recall_at_1": round(found1 / answerable, 3) if answerable else None,
        "dev_questions_recall_at_5": round(found5 / answerable, 3) if answerable else None,
    }
    if not args.details:
        return result

    # --- where the time goes: the same queries again, stages timed by wrappers -------------
    detail_questions = questions[: args.detail_queries]
    stages: dict[str, list[float]] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                stages.setdefault(name, []).append(time.perf_counter() - t)

        return wrapper

    patches = [
        (engine, "analyse_query"),
        (engine, "visibility_mask"),
        (engine, "highlight"),
        (engine, "load_index"),
        (lexical, "search"),
        (backend, "embed_query"),
        (ArticleQuerySet, "readable_by"),
        (engine, "_opening_passages"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name in patches]
    labels = {
        "analyse_query": "query_analysis",
        "visibility_mask": "visibility_mask_dense",
        "highlight": "snippets",
        "load_index": "index_version_check",
        "search": "lexical_fts_query",
        "embed_query": "query_embedding",
        "readable_by": "readable_queryset_build",
        "_opening_passages": "result_rows_loading",
    }
    totals: list[float] = []
    try:
        for owner, name, original in originals:
            setattr(owner, name, timed(labels[name], original))
        for item in detail_questions:
            t = time.perf_counter()
            run(item["question"])
            totals.append(time.perf_counter() - t)
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    per_query = len(detail_questions)
    breakdown = {
        name: {
            "mean_ms": round(sum(values) / per_query * 1000, 2),
            "p95_ms": summary_ms(values)["p95"],
            "calls_per_query": round(len(values) / per_query, 2),
        }
        for name, values in sorted(stages.items())
    }
    # The query embedding runs on a worker thread while the main thread analyses the query
    # and asks the database (engine.search): it overlaps the other stages.
    accounted = (
        sum(sum(values) for name, values in stages.items() if name != "query_embedding") / per_query
    )
    breakdown["query_embedding"]["concurrent_with_main_thread"] = True
    breakdown["rest_dense_matmul_fusion_aggregation_and_embedding_wait"] = {
        "mean_ms": round((sum(totals) / per_query - accounted) * 1000, 2)
    }
    breakdown["total"] = {"mean_ms": round(sum(totals) / per_query * 1000, 2)}

    # --- the dense step alone, as engine.search does it and without the row copy ---------
    _fresh_request_user(user)
    mask = engine.visibility_mask(index, user, network)
    rows = np.flatnonzero(mask)
    vector = backend.embed_query(questions[0]["question"])
    dense: dict[str, Any] = {
        "visible_rows": len(rows),
        "matrix_mb": round(index.matrix.nbytes / 2**20, 1),
    }
    for label, function in {
        "masked_copy_then_matmul_ms": lambda: index.matrix[rows] @ vector,
        "matmul_all_rows_ms": lambda: index.matrix @ vector,
        "argpartition_top200_ms": lambda: np.argpartition(-(index.matrix @ vector), 199)[:200],
    }.items():
        samples = []
        for _ in range(15):
            t = time.perf_counter()
            function()
            samples.append(time.perf_counter() - t)
        dense[label] = summary_ms(samples)["p50"]

    # --- SQL per query ------------------------------------------------------------------
    sql: dict[str, list[float]] = {}
    sql_questions = questions[: max(10, args.detail_queries // 3)]
    for item in sql_questions:
        _fresh_request_user(user)
        with CaptureQueriesContext(connection) as captured:
            engine.search(network, user, item["question"], limit=10)
        for query in captured.captured_queries:
            key = re.sub(r"\s+", " ", query["sql"])
            key = re.sub(r"'[^']*'", "?", key)
            key = re.sub(r"\b\d+\b", "?", key)[:110]
            sql.setdefault(key, []).append(float(query["time"]))
    sql_summary = sorted(
        (
            {
                "sql": key,
                "per_query": round(len(times) / len(sql_questions), 2),
                "mean_ms": round(sum(times) / len(times) * 1000, 2),
                "max_ms": round(max(times) * 1000, 2),
            }
            for key, times in sql.items()
        ),
        key=lambda row: -cast(float, row["mean_ms"]) * cast(float, row["per_query"]),
    )

    profile_top: list[str] = []
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for item in detail_questions:
            run(item["question"])
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(28)
        profile_top = [line.rstrip() for line in stream.getvalue().splitlines() if line.strip()][
            :45
        ]
        if args.profile_dir:
            Path(args.profile_dir).mkdir(parents=True, exist_ok=True)
            profiler.dump_stats(
                str(Path(args.profile_dir) / f"search-{connection.vendor}-{articles}.prof")
            )

    return {
        **result,
        "breakdown": breakdown,
        "dense_step": dense,
        "sql_per_search": sql_summary,
        "profile_cumulative": profile_top,
    }


def worker_indexing(args: argparse.Namespace) -> dict[str, Any]:
    """Throughput of indexer.index_articles on fresh text (model runs) and with a warm cache."""
    _django()
    from django.db import connection

    from amtshilfe.experts.models import TopicCluster
    from amtshilfe.wiki.models import Article, Passage
    from amtshilfe.wiki.search.embeddings import get_backend
    from amtshilfe.wiki.search.indexer import index_articles, network_surfaces
    from amtshilfe.wiki.services import create_article, deferred_indexing

    generator = Generator(seed=10_000_000 + args.target)
    network = generator.network
    clusters = {c.pk: c for c in TopicCluster.objects.filter(network=network)}
    existing = Article.objects.filter(network=network).count()
    get_backend().embed_query("warm")  # the model is loaded once per process, not measured
    ids = []
    with deferred_indexing():
        for serial in range(args.count):
            fields, _sections = generator.article(9_000_000 + args.target + serial)
            article = create_article(
                actor=None,
                network=network,
                cluster=clusters[fields["cluster_id"]],
                title=fields["title"],
                body=fields["body"],
                tags=fields["tags"],
                slug=f"index-bench-{args.target}-{os.getpid()}-{serial}",  # kept corpora: unique
            )
            ids.append(article.pk)
    fresh = list(Article.objects.filter(pk__in=ids).order_by("pk"))
    results: dict[str, Any] = {"database": connection.vendor, "corpus_articles": existing}

    def measure(label: str, **kwargs: Any) -> None:
        started = time.perf_counter()
        written = index_articles(list(fresh), **kwargs)
        seconds = time.perf_counter() - started
        results[label] = {
            "articles": len(fresh),
            "passages": written,
            "seconds": round(seconds, 2),
            "articles_per_s": round(len(fresh) / seconds, 2),
            "ms_per_article": round(seconds / len(fresh) * 1000, 1),
        }
        log(f"indexing {label}: {results[label]}")

    measure("cold_embedding_on_save_path")  # as the on-save task: network_surfaces per article
    measure("warm_cache_on_save_path")
    started = time.perf_counter()
    known = network_surfaces(network.pk)
    results["network_surfaces_ms"] = round((time.perf_counter() - started) * 1000, 1)
    measure("warm_cache_reindex_path", known=known)  # as reindex_network: surfaces once
    results["passages_per_article"] = round(
        Passage.objects.filter(article_id__in=ids).count() / len(ids), 2
    )
    results["load_average"] = load_average()
    return results
