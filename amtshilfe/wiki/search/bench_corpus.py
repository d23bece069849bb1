"""Search benchmark, child steps that build the corpus: dataset import (setup) and the
synthetic articles derived from it (generate). See bench.py."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from amtshilfe.wiki.search.bench_common import (
    CHUNK,
    LEXICON_SIZE,
    MUNICIPALITIES,
    NETWORK_SLUG,
    NOISE_SIGMA,
    USERNAME,
    ZIPF_EXPONENT,
    _django,
    dataset_dir,
    load_average,
    log,
)


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
        # would). The index is the one of migration wiki/0003, same name and definition.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            cursor.execute("DROP INDEX IF EXISTS wiki_passage_lexemes_gin")
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
                    "CREATE INDEX wiki_passage_lexemes_gin ON wiki_passage_lexemes "
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
