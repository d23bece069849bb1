"""``classify``: the topic cluster of a new request, with a confidence.

The model of a network is trained on first use and kept in the process, keyed by
``knowledge.fingerprint``: a request costs a few small queries, one embedding (cached by
text) and some milliseconds of numpy; only a change to clusters, articles or labelled
requests makes the next call train again (well under a second for the demo network).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from amtshilfe.board.models import Board
from amtshilfe.board.triage.classifier import Prediction, TriageModel
from amtshilfe.board.triage.knowledge import (
    KnowledgeBase,
    fingerprint,
    labelled_examples,
    load_knowledge,
    request_text,
)
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.embeddings import embed_passages_cached

# Below this confidence a request goes to triage, unless the network board sets its own
# ``triage_threshold``. Chosen on the development requests (ADR 0009): about nine in ten
# requests are routed automatically, and 19 of 20 of those land in the right cluster.
DEFAULT_THRESHOLD = 0.6


@dataclass(frozen=True)
class TriageResult:
    """The classifier's answer. ``cluster`` is None below the threshold (→ triage)."""

    cluster: TopicCluster | None
    confidence: float
    best_cluster: TopicCluster | None
    ranking: list[tuple[TopicCluster, float]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster.slug if self.cluster else None,
            "confidence": round(self.confidence, 4),
            "best_cluster": self.best_cluster.slug if self.best_cluster else None,
            "ranking": [
                {"cluster": cluster.slug, "probability": round(probability, 4)}
                for cluster, probability in self.ranking
            ],
        }


class Triage:
    """A trained model together with the knowledge base it was trained on."""

    def __init__(self, knowledge: KnowledgeBase, examples: Sequence[tuple[str, int]]) -> None:
        self.knowledge = knowledge
        self.model = TriageModel(
            knowledge.documents,
            knowledge.documents_for(list(examples)),
            classes=len(knowledge.clusters),
            min_similarity=knowledge.backend.min_similarity,
        )

    def predict(self, text: str, vector: np.ndarray | None = None) -> Prediction:
        if vector is None:
            vector = embed_passages_cached([text], self.knowledge.backend)[0]
        return self.model.predict(vector, self.knowledge.terms(text))

    def result(self, text: str, threshold: float, vector: np.ndarray | None = None) -> TriageResult:
        clusters = self.knowledge.clusters
        if not clusters or not text.strip():
            return TriageResult(cluster=None, confidence=0.0, best_cluster=None, ranking=[])
        prediction = self.predict(text, vector)
        probabilities = prediction.probabilities
        order = np.argsort(-probabilities, kind="stable")
        ranking = [(clusters[i], float(probabilities[i])) for i in order]
        best, confidence = ranking[0]
        if not prediction.has_evidence:  # nothing in the knowledge base resembles the text
            confidence = 0.0
        return TriageResult(
            cluster=best if confidence >= threshold else None,
            confidence=confidence,
            best_cluster=best,
            ranking=ranking,
        )


def train(network: Network, examples: Sequence[tuple[str, int]] | None = None) -> Triage:
    """A fresh model; ``examples`` default to the network's labelled requests."""
    if examples is None:
        examples = labelled_examples(network)
    return Triage(load_knowledge(network), examples)


_models: dict[int, tuple[tuple[object, ...], Triage]] = {}
_lock = threading.Lock()


def trained(network: Network) -> Triage:
    """The network's model, trained again only when its fingerprint has changed."""
    key = fingerprint(network)
    cached = _models.get(network.pk)
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _models.get(network.pk)
        if cached is not None and cached[0] == key:
            return cached[1]
        model = train(network)
        _models[network.pk] = (key, model)
        return model


def warm_up_triage() -> None:
    """Train the model of every network now (``core/warmup``), not in the first request."""
    for network in Network.objects.order_by("pk"):
        trained(network)


def network_threshold(network: Network) -> float:
    """The network board's ``triage_threshold``, or ``DEFAULT_THRESHOLD`` without a board."""
    value = (
        Board.objects.filter(network=network, cluster__isnull=True)
        .values_list("triage_threshold", flat=True)
        .first()
    )
    return DEFAULT_THRESHOLD if value is None else float(value)


def classify(
    *, network: Network, title: str, description: str, threshold: float | None = None
) -> TriageResult:
    """The topic cluster of a request, or ``cluster=None`` (triage) when unsure.

    ``threshold`` defaults to the network board's setting (``network_threshold``).
    """
    if threshold is None:
        threshold = network_threshold(network)
    return trained(network).result(request_text(title, description), threshold)
