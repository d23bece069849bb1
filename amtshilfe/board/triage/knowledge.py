"""What triage learns from: the network's knowledge base and requests classified by people.

Knowledge base: the passages of published articles with visibility public or network
(municipality-only articles stay out, so that nothing of them can shape what another
municipality is told), and one text per active topic cluster (name, description,
keywords), so that a cluster without articles can still be recognised.

Labelled requests (``labelled_requests``): requests with a cluster that a person has set
(a cluster event with an actor) or that were finished in their cluster – whoever solved
them could have moved them and did not. Requests merely placed by the classifier and still
open do not count: the model would only learn its own guesses.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Q, QuerySet

from amtshilfe.board.models import RequestEvent, ServiceRequest
from amtshilfe.board.triage.classifier import Documents
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article, Passage, SearchIndexState
from amtshilfe.wiki.search.analysis import CompoundSplitter, document_terms
from amtshilfe.wiki.search.embeddings import (
    DIMENSIONS,
    EmbeddingBackend,
    embed_passages_cached,
    from_bytes,
    get_backend,
)
from amtshilfe.wiki.search.indexer import BASE_WORDS, network_surfaces

MAX_TEXT = 2000
# The newest labelled requests that are learned from (bounds training time, ADR 0009).
MAX_EXAMPLES = 3000


def request_text(title: str, description: str) -> str:
    """The text of a request as it is embedded and analysed ("Titel: Beschreibung")."""
    title, description = title.strip(), description.strip()
    return (f"{title}: {description}" if description else title)[:MAX_TEXT]


@dataclass
class KnowledgeBase:
    """A network's clusters and knowledge-base documents, ready for training."""

    clusters: list[TopicCluster]
    documents: Documents
    splitter: CompoundSplitter
    backend: EmbeddingBackend

    def terms(self, text: str) -> Counter[str]:
        return Counter(document_terms(text, self.splitter))

    def documents_for(self, examples: list[tuple[str, int]]) -> Documents:
        """Labelled texts as training documents (texts of unknown clusters are skipped)."""
        position = {cluster.pk: i for i, cluster in enumerate(self.clusters)}
        usable = [(text, position[cid]) for text, cid in examples if cid in position and text]
        vectors = embed_passages_cached([text for text, _ in usable], self.backend)
        return Documents(
            vectors=(
                np.vstack(vectors).astype(np.float32)
                if vectors
                else np.zeros((0, DIMENSIONS), np.float32)
            ),
            terms=[self.terms(text) for text, _ in usable],
            labels=np.asarray([label for _, label in usable], dtype=np.int64),
            groups=np.full(len(usable), -1, dtype=np.int64),
        )


def _cluster_text(cluster: TopicCluster) -> str:
    keywords = ", ".join(str(k) for k in cluster.keywords or [])
    return f"{cluster.name}: {cluster.description} {keywords}".strip()[:MAX_TEXT]


def load_knowledge(network: Network) -> KnowledgeBase:
    """Clusters, passages (with their stored vectors and terms) and cluster texts."""
    backend = get_backend()
    clusters = list(TopicCluster.objects.in_network(network).active().order_by("pk"))
    position = {cluster.pk: i for i, cluster in enumerate(clusters)}
    rows = (
        Passage.objects.filter(
            article__network=network,
            article__status=Article.Status.PUBLISHED,
            article__cluster_id__in=list(position),
            vector__isnull=False,
        )
        .exclude(article__visibility=Article.Visibility.MUNICIPALITY)
        .values_list("article_id", "article__cluster_id", "vector", "terms", "title_terms", "words")
        .order_by("pk")
    )
    vectors: list[np.ndarray] = []
    terms: list[Counter[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    surfaces = set(BASE_WORDS) | network_surfaces(network.pk)
    stems: set[str] = set()
    for article_id, cluster_id, vector, text_terms, title_terms, words in rows.iterator(
        chunk_size=2000
    ):
        if vector is None:  # filtered out above; keeps the type checker informed
            continue
        counted = Counter(text_terms.split()) + Counter(title_terms.split())
        vectors.append(from_bytes(vector))
        terms.append(counted)
        labels.append(position[cluster_id])
        groups.append(article_id)
        stems.update(counted)
        surfaces.update(words.split())
    splitter = CompoundSplitter(surfaces, stems)
    cluster_texts = [_cluster_text(cluster) for cluster in clusters]
    vectors.extend(embed_passages_cached(cluster_texts, backend))
    terms.extend(Counter(document_terms(text, splitter)) for text in cluster_texts)
    labels.extend(range(len(clusters)))
    groups.extend([-1] * len(clusters))
    documents = Documents(
        vectors=(np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, DIMENSIONS))),
        terms=terms,
        labels=np.asarray(labels, dtype=np.int64),
        groups=np.asarray(groups, dtype=np.int64),
    )
    return KnowledgeBase(clusters, documents, splitter, backend)


def labelled_requests(network: Network) -> QuerySet[ServiceRequest]:
    """Requests whose cluster a person decided (see the module docstring)."""
    decided = RequestEvent.objects.filter(
        network=network, kind=RequestEvent.Kind.CLUSTER, actor__isnull=False
    ).values("request_id")
    return (
        ServiceRequest.objects.in_network(network)
        .filter(cluster__isnull=False, cluster__is_active=True)
        .filter(Q(pk__in=decided) | Q(status__in=ServiceRequest.FINISHED))
    )


def labelled_examples(network: Network) -> list[tuple[str, int]]:
    """(text, cluster id) of the newest ``MAX_EXAMPLES`` labelled requests, oldest first."""
    rows = (
        labelled_requests(network)
        .order_by("-pk")
        .values_list("title", "description", "cluster_id")[:MAX_EXAMPLES]
    )
    return [(request_text(title, description), cid) for title, description, cid in rows][::-1]


def fingerprint(network: Network) -> tuple[object, ...]:
    """Changes whenever what the model learned from changes (four small queries).

    Clusters and articles by count and last change, the search index by its version
    (passages are rebuilt with it), labelled requests by a digest of (id, cluster) – not by
    their ``updated_at``, which every move on the board touches.
    """
    clusters = TopicCluster.objects.filter(network=network).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    articles = Article.objects.filter(network=network).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    index = SearchIndexState.objects.filter(network=network).values_list("version", "updated_at")
    labels = hashlib.blake2b(digest_size=16)
    for pk, cluster_id in labelled_requests(network).order_by("pk").values_list("pk", "cluster_id"):
        labels.update(f"{pk}:{cluster_id};".encode())
    return (
        get_backend().model_id,
        network.pk,
        clusters["n"],
        clusters["changed"],
        articles["n"],
        articles["changed"],
        tuple(index[0]) if index else None,
        labels.hexdigest(),
    )
