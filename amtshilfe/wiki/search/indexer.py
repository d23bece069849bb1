"""Keeps the search index in step with published articles.

An article is split into passages at its headings; each passage gets analysed terms (for the
database's full-text index), its surface words (vocabulary for compound splitting and typo
repair) and an embedding (cached by model and text hash, so unchanged text is never embedded
again). Unpublished articles have no passages.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from amtshilfe.lib.markdown import split_sections
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, Passage, SearchIndexState
from amtshilfe.wiki.search import lexical
from amtshilfe.wiki.search.analysis import CompoundSplitter, content_words, document_terms
from amtshilfe.wiki.search.embeddings import (
    embed_passages_cached,
    get_backend,
    load_seed_cache,
    to_bytes,
)
from amtshilfe.wiki.search.lexicon import SYNONYM_GROUPS

BASE_WORDS = frozenset(
    word for group in SYNONYM_GROUPS for member in group for word in member.split()
)


def passage_embedding_text(article: Article, heading: str, text: str) -> str:
    head = f"{article.title} – {heading}" if heading else article.title
    return f"{head}: {text}"[:2000]


# network id -> (monotonic time, fingerprint, words): saving one article must not read the
# titles and tags of all articles of the network again (seconds at 100,000 articles). The
# words are read again when articles were added or removed (count, highest id) or after
# SURFACES_TTL_S; a passage is split with these words plus its own article's words, so an
# edited title elsewhere is missed for a few minutes at most.
SURFACES_TTL_S = 600.0
_surfaces_cache: dict[int, tuple[float, tuple[int, int], frozenset[str]]] = {}


def _articles_fingerprint(network_id: int) -> tuple[int, int]:
    from django.db.models import Count, Max

    row = Article.objects.filter(network_id=network_id).aggregate(n=Count("id"), top=Max("id"))
    return (row["n"] or 0, row["top"] or 0)


def cached_network_surfaces(network_id: int) -> frozenset[str]:
    """``network_surfaces``, remembered per process (see SURFACES_TTL_S)."""
    now = time.monotonic()
    fingerprint = _articles_fingerprint(network_id)
    cached = _surfaces_cache.get(network_id)
    if cached is None or cached[1] != fingerprint or now - cached[0] > SURFACES_TTL_S:
        cached = (now, fingerprint, frozenset(network_surfaces(network_id)))
        _surfaces_cache[network_id] = cached
    return cached[2]


def network_surfaces(network_id: int) -> set[str]:
    """Known words of a network for compound splitting: titles, tags, cluster keywords."""
    from amtshilfe.experts.models import TopicCluster

    words: set[str] = set(BASE_WORDS)
    for title, tags in Article.objects.filter(network_id=network_id).values_list("title", "tags"):
        words.update(content_words(title))
        words.update(content_words(" ".join(tags or [])))
    for keywords in TopicCluster.objects.filter(network_id=network_id).values_list(
        "keywords", flat=True
    ):
        words.update(content_words(" ".join(keywords or [])))
    return words


def _build(article: Article, known: AbstractSet[str]) -> list[Passage]:
    sections = split_sections(article.body)
    own_words = set(content_words(article.title + " " + article.body))
    splitter = CompoundSplitter(known | own_words)
    title_terms = " ".join(document_terms(article.title + " " + " ".join(article.tags), splitter))
    passages = []
    for position, section in enumerate(s for s in sections if s.text or s.heading):
        body = f"{section.heading}\n{section.text}".strip()
        passages.append(
            Passage(
                article=article,
                position=position,
                anchor=section.anchor,
                heading=section.heading,
                text=section.text,
                title_terms=title_terms,
                terms=" ".join(document_terms(body, splitter)),
                words=" ".join(sorted(set(content_words(body)))),
                text_hash=hashlib.sha256(
                    passage_embedding_text(article, section.heading, section.text).encode()
                ).hexdigest(),
            )
        )
    return passages


def _bump(network_id: int) -> None:
    state, _created = SearchIndexState.objects.get_or_create(network_id=network_id)
    SearchIndexState.objects.filter(pk=state.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def index_articles(
    articles: Iterable[Article],
    known: AbstractSet[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """(Re)build the passages of ``articles``; returns the number of passages written."""
    backend = get_backend()
    written, networks = 0, set()
    for count, article in enumerate(articles, start=1):
        networks.add(article.network_id)
        surfaces = known if known is not None else cached_network_surfaces(article.network_id)
        passages = _build(article, surfaces) if article.status == Article.Status.PUBLISHED else []
        vectors = (
            embed_passages_cached(
                [passage_embedding_text(article, p.heading, p.text) for p in passages], backend
            )
            if passages
            else []
        )
        for passage, vector in zip(passages, vectors, strict=True):
            passage.vector = to_bytes(vector)
        with transaction.atomic():
            old = list(Passage.objects.filter(article_id=article.pk).values_list("pk", flat=True))
            lexical.remove(old)
            Passage.objects.filter(pk__in=old).delete()
            created = Passage.objects.bulk_create(passages)
            lexical.write(created)
        written += len(passages)
        if progress:
            progress(count)
    for network_id in networks:
        _bump(network_id)
    return written


def index_article(article_id: int) -> None:
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        index_articles([article])


def reindex_network(network: Network, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index of a network (after import, or `amtshilfe reindex`)."""
    load_seed_cache(get_backend().model_id)
    known = network_surfaces(network.pk)
    _surfaces_cache[network.pk] = (
        time.monotonic(),
        _articles_fingerprint(network.pk),
        frozenset(known),
    )
    articles = Article.objects.filter(network=network).order_by("pk")
    with transaction.atomic():
        stale = Passage.objects.filter(article__network=network).exclude(
            article__status=Article.Status.PUBLISHED
        )
        lexical.remove(stale.values_list("pk", flat=True))
        stale.delete()
    return index_articles(articles.iterator(chunk_size=200), known=known, progress=progress)
