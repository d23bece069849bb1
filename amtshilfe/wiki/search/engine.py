"""Hybrid search: database full-text candidates + dense vectors, fused and aggregated by article.

Algorithm for one query:

1. Analyse the query (analysis.analyse_query): stems, compound parts, synonyms, typo repair.
2. Lexical: the best passages by BM25 (SQLite FTS5) / ts_rank_cd (PostgreSQL) for an OR of
   the analysed terms, restricted to articles the user may read.
3. Dense: cosine similarity of the query embedding with every passage vector of the
   network (kept in memory per process, reloaded when the index version changes), masked
   by the same visibility rule.
4. Fusion per passage: weighted reciprocal-rank fusion of both lists.
5. Per article: best passage plus a small share of the second best (several matching
   sections = stronger evidence); the best passage is where the result opens.
"""

from __future__ import annotations

import html
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from amtshilfe.tenancy import access
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, Passage, SearchIndexState
from amtshilfe.wiki.search import lexical
from amtshilfe.wiki.search.analysis import (
    CompoundSplitter,
    QueryTerm,
    Vocabulary,
    analyse_query,
    stem,
    tokens,
)
from amtshilfe.wiki.search.embeddings import DIMENSIONS, from_bytes, get_backend
from amtshilfe.wiki.search.indexer import BASE_WORDS

CANDIDATES = 200
RRF_K = 30.0
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 1.4
SECOND_PASSAGE_SHARE = 0.15
GENERIC_HEADING_FACTOR = 0.7

VISIBILITY_CODES: dict[str, int] = {
    Article.Visibility.PUBLIC: 0,
    Article.Visibility.NETWORK: 1,
    Article.Visibility.MUNICIPALITY: 2,
}


@dataclass
class NetworkIndex:
    """Everything a serving process keeps in memory for one network."""

    version: tuple[int, str]
    passage_ids: np.ndarray
    article_ids: np.ndarray
    visibility: np.ndarray
    municipality_ids: np.ndarray
    matrix: np.ndarray
    vocabulary: Vocabulary
    splitter: CompoundSplitter
    row_of: dict[int, int]
    # Passages under boilerplate headings shared by many articles ("Wann Sie eine Anfrage
    # stellen sollten") are a poor place to open an article.
    generic_rows: frozenset[int]


_cache: dict[int, NetworkIndex] = {}
_lock = threading.Lock()


def _version(network_id: int) -> tuple[int, str]:
    """Version and time of the last change (the time tells apart databases reset by tests)."""
    state = SearchIndexState.objects.filter(network_id=network_id).values_list(
        "version", "updated_at"
    )
    return (state[0][0], state[0][1].isoformat()) if state else (0, "")


def load_index(network: Network) -> NetworkIndex:
    version = _version(network.pk)
    cached = _cache.get(network.pk)
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _cache.get(network.pk)
        if cached is not None and cached.version == version:
            return cached
        rows = (
            Passage.objects.filter(article__network=network)
            .values_list(
                "pk",
                "article_id",
                "article__visibility",
                "article__municipality_id",
                "vector",
                "terms",
                "title_terms",
                "words",
                "heading",
            )
            .order_by("pk")
        )
        ids, articles, visibility, municipalities, vectors = [], [], [], [], []
        headings: list[str] = []
        frequency: dict[str, int] = defaultdict(int)
        surfaces: set[str] = set(BASE_WORDS)
        for (
            pk,
            article_id,
            vis,
            municipality_id,
            vector,
            terms,
            title_terms,
            words,
            heading,
        ) in rows.iterator(chunk_size=2000):
            headings.append(heading.strip().lower())
            ids.append(pk)
            articles.append(article_id)
            visibility.append(VISIBILITY_CODES.get(vis, 1))
            municipalities.append(municipality_id or 0)
            vectors.append(from_bytes(vector) if vector else np.zeros(DIMENSIONS, np.float32))
            for term in set(terms.split()) | set(title_terms.split()):
                frequency[term] += 1
            surfaces.update(words.split())
        matrix = (
            np.vstack(vectors).astype(np.float32)
            if vectors
            else np.zeros((0, DIMENSIONS), np.float32)
        )
        vocabulary = Vocabulary(document_frequency=dict(frequency), surfaces=surfaces)
        heading_counts: dict[str, int] = defaultdict(int)
        for heading in headings:
            heading_counts[heading] += 1
        article_count = len(set(articles)) or 1
        generic = {h for h, n in heading_counts.items() if h and n >= 5 and n > 0.1 * article_count}
        index = NetworkIndex(
            version=version,
            passage_ids=np.asarray(ids, dtype=np.int64),
            article_ids=np.asarray(articles, dtype=np.int64),
            visibility=np.asarray(visibility, dtype=np.int8),
            municipality_ids=np.asarray(municipalities, dtype=np.int64),
            matrix=matrix,
            vocabulary=vocabulary,
            splitter=CompoundSplitter(surfaces, frequency.keys()),
            row_of={pk: row for row, pk in enumerate(ids)},
            generic_rows=frozenset(row for row, h in enumerate(headings) if h in generic),
        )
        _cache[network.pk] = index
        return index


def visibility_mask(index: NetworkIndex, user: Any, network: Network) -> np.ndarray:
    """Rows the user may read; the same rule as ArticleQuerySet.readable_by (tested equal)."""
    if not getattr(user, "is_authenticated", False) or not access.is_network_member(user, network):
        return index.visibility == 0
    if access.is_coordinator(user, network):
        return np.ones(len(index.passage_ids), dtype=bool)
    own = [m.municipality_id for m in access.current_memberships(user, network)]
    return (index.visibility != 2) | np.isin(index.municipality_ids, own)


@dataclass
class SearchHit:
    article: Article
    anchor: str
    heading: str
    snippet_html: str
    score: float


def search(network: Network, user: Any, query: str, limit: int = 10) -> list[SearchHit]:
    query = query.strip()[:300]
    if not query:
        return []
    index = load_index(network)
    if not len(index.passage_ids):
        return []
    terms = analyse_query(query, index.vocabulary, index.splitter)
    readable = Article.objects.readable_by(user, network)
    fused: dict[int, float] = defaultdict(float)

    lexical_terms = [t.term for t in terms if index.vocabulary.knows(t.term)]
    for rank, (passage_id, _score) in enumerate(
        lexical.search(lexical_terms, readable, CANDIDATES)
    ):
        fused[passage_id] += LEXICAL_WEIGHT / (RRF_K + rank + 1)

    mask = visibility_mask(index, user, network)
    rows = np.flatnonzero(mask)
    if len(rows):
        backend = get_backend()
        similarity = index.matrix[rows] @ backend.embed_query(query)
        take = min(CANDIDATES, len(rows))
        best = np.argpartition(-similarity, take - 1)[:take]
        best = best[np.argsort(-similarity[best])]
        best = best[similarity[best] >= backend.min_similarity]
        for rank, row in enumerate(rows[best]):
            fused[int(index.passage_ids[row])] += DENSE_WEIGHT / (RRF_K + rank + 1)

    per_article: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for passage_id, score in fused.items():
        row = index.row_of.get(passage_id)
        if row is not None:
            per_article[int(index.article_ids[row])].append((score, passage_id))
    ranked = []
    for article_id, scored in per_article.items():
        scored.sort(reverse=True)
        total = scored[0][0] + (SECOND_PASSAGE_SHARE * scored[1][0] if len(scored) > 1 else 0.0)
        opening = max(
            scored,
            key=lambda item: (
                item[0]
                * (GENERIC_HEADING_FACTOR if index.row_of[item[1]] in index.generic_rows else 1.0)
            ),
        )
        ranked.append((total, article_id, opening[1]))
    ranked.sort(reverse=True)
    top = ranked[:limit]
    articles = readable.select_related("cluster").in_bulk([article_id for _, article_id, _ in top])
    passages = Passage.objects.in_bulk([passage_id for _, _, passage_id in top])
    hits = []
    for score, article_id, passage_id in top:
        article, passage = articles.get(article_id), passages.get(passage_id)
        if article is None or passage is None:  # changed since the index was loaded
            continue
        hits.append(
            SearchHit(
                article=article,
                anchor=passage.anchor,
                heading=passage.heading,
                snippet_html=highlight(passage.text, terms, index.splitter),
                score=round(score, 5),
            )
        )
    return hits


def highlight(
    text: str, terms: list[QueryTerm], splitter: CompoundSplitter | None = None, width: int = 220
) -> str:
    """An escaped snippet around the densest match with matching words in <mark>."""
    wanted = {t.term for t in terms}

    def matches(word: str) -> bool:
        for token in tokens(word):
            parts = splitter.split(token) if splitter else []
            if stem(token) in wanted or any(stem(part) in wanted for part in parts):
                return True
        return False

    words = list(re.finditer(r"\S+", text))
    if not words:
        return ""
    hits = [i for i, match in enumerate(words) if matches(match.group(0))]
    marked = set(hits)
    best_start = 0
    if hits:
        best_count = -1
        for first in hits:
            count = sum(1 for i in hits if first <= i < first + 30)
            if count > best_count:
                best_start, best_count = max(0, first - 5), count
    pieces: list[str] = []
    length = 0
    for i in range(best_start, len(words)):
        word = words[i].group(0)
        escaped = html.escape(word)
        pieces.append(f"<mark>{escaped}</mark>" if i in marked else escaped)
        length += len(word) + 1
        if length > width:
            break
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if best_start + len(pieces) < len(words) else ""
    return prefix + " ".join(pieces) + suffix
