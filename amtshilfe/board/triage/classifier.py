"""The triage model in plain numpy: three views of a request, fused into cluster probabilities.

A request is represented twice: by its sentence embedding and by the analysed German terms
(stems and compound parts, ``wiki.search.analysis``). The model learns from *documents*
with a known cluster: the knowledge base (passages of published articles and one text per
cluster made of name, description and keywords) and requests that people have classified.

Prediction for one request:

1. Centre the embedding: subtract the mean request vector (documents are centred with the
   mean document vector). Requests and articles are written differently; without the
   shift, every request looks a little like every article and the neighbours blur.
2. Dense neighbours: the ``DENSE_NEIGHBOURS`` knowledge-base documents with the highest
   cosine vote for their cluster with weight exp((s - s_best) / ``DENSE_TEMPERATURE``).
3. Lexical neighbours: tf-idf cosine over the analysed terms; the ``LEXICAL_NEIGHBOURS``
   best documents vote 1 / rank.
4. Logistic regression (multinomial, L2) on [centred embedding ⊕ tf-idf], trained on the
   knowledge base and on the labelled requests, which count ``EXAMPLE_WEIGHT`` times.
5. Fusion: p ∝ exp(Σ log(p_view + ε) / ``FUSION_TEMPERATURE``) – a product of experts, so
   a cluster must be plausible to all three views to win; the temperature calibrates it.
   The confidence is the highest fused probability.

Neighbours use only the knowledge base: requests of different clusters resemble each other
(the same office, the same words), so a neighbour vote among requests is mostly noise,
while the regression learns from them what separates the clusters. The numbers were
chosen by 5-fold cross-validation on the development requests (ADR 0009).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DENSE_NEIGHBOURS = 20
DENSE_TEMPERATURE = 0.05
LEXICAL_NEIGHBOURS = 10
EXAMPLE_WEIGHT = 3.0
L2 = 1e-3
ITERATIONS = 200
LEARNING_RATE = 0.05
EPSILON = 1e-3
FUSION_TEMPERATURE = 2.0
# Bounds that keep training fast and small on a large network (ADR 0009).
MAX_VOCABULARY = 4000
MAX_REGRESSION_DOCUMENTS = 3000
# How many labelled requests it takes before their mean vector counts fully for centring.
CENTRING_PRIOR = 10.0


@dataclass
class Documents:
    """Training documents: one row per document, a cluster index each."""

    vectors: np.ndarray  # (n, dims), L2-normalised embeddings
    terms: list[Counter[str]]
    labels: np.ndarray  # (n,) index into the cluster list
    groups: np.ndarray  # (n,) article id (or -1): passages of one article form a group

    def __len__(self) -> int:
        return len(self.labels)


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


class TfIdf:
    """Sublinear tf-idf over analysed terms, L2-normalised, with an inverted index."""

    def __init__(self, documents: Sequence[Counter[str]]) -> None:
        frequency: Counter[str] = Counter()
        for terms in documents:
            frequency.update(terms.keys())
        kept = sorted(frequency, key=lambda t: (-frequency[t], t))[:MAX_VOCABULARY]
        self.column = {term: i for i, term in enumerate(sorted(kept))}
        count = len(documents)
        self.idf = np.zeros(len(self.column), dtype=np.float32)
        for term, i in self.column.items():
            self.idf[i] = math.log((1 + count) / (1 + frequency[term])) + 1.0

    @property
    def size(self) -> int:
        return len(self.column)

    def sparse(self, terms: Counter[str]) -> dict[int, float]:
        weights = {
            self.column[t]: math.log1p(n) * float(self.idf[self.column[t]])
            for t, n in terms.items()
            if t in self.column and n > 0
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {i: w / norm for i, w in weights.items()} if norm else {}

    def dense(self, documents: Sequence[Counter[str]]) -> np.ndarray:
        matrix = np.zeros((len(documents), self.size), dtype=np.float32)
        for row, terms in enumerate(documents):
            for i, w in self.sparse(terms).items():
                matrix[row, i] = w
        return matrix


class InvertedIndex:
    """tf-idf rows of the knowledge base, stored by term: a query touches only its terms."""

    def __init__(self, tfidf: TfIdf, documents: Sequence[Counter[str]]) -> None:
        rows: dict[int, list[tuple[int, float]]] = {}
        for row, terms in enumerate(documents):
            for i, w in tfidf.sparse(terms).items():
                rows.setdefault(i, []).append((row, w))
        self.count = len(documents)
        self.postings = {
            i: (
                np.asarray([r for r, _ in items], dtype=np.int64),
                np.asarray([w for _, w in items], dtype=np.float32),
            )
            for i, items in rows.items()
        }

    def scores(self, query: dict[int, float]) -> np.ndarray:
        scores = np.zeros(self.count, dtype=np.float32)
        for i, weight in query.items():
            posting = self.postings.get(i)
            if posting is not None:
                np.add.at(scores, posting[0], posting[1] * weight)
        return scores


def train_logistic_regression(
    features: np.ndarray, labels: np.ndarray, weights: np.ndarray, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression with L2, full-batch Adam (deterministic, no scipy)."""
    count, dims = features.shape
    coef = np.zeros((dims, classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    if count == 0:
        return coef, bias
    target = np.eye(classes, dtype=np.float32)[labels]
    share = (weights / weights.sum()).astype(np.float32)[:, None]
    m_coef, v_coef = np.zeros_like(coef), np.zeros_like(coef)
    m_bias, v_bias = np.zeros_like(bias), np.zeros_like(bias)
    beta1, beta2 = 0.9, 0.999
    for step in range(1, ITERATIONS + 1):
        gradient = (softmax(features @ coef + bias) - target) * share
        g_coef = features.T @ gradient + L2 * coef
        g_bias = gradient.sum(axis=0)
        m_coef = beta1 * m_coef + (1 - beta1) * g_coef
        v_coef = beta2 * v_coef + (1 - beta2) * g_coef**2
        m_bias = beta1 * m_bias + (1 - beta1) * g_bias
        v_bias = beta2 * v_bias + (1 - beta2) * g_bias**2
        scale = LEARNING_RATE * math.sqrt(1 - beta2**step) / (1 - beta1**step)
        coef -= scale * m_coef / (np.sqrt(v_coef) + 1e-8)
        bias -= scale * m_bias / (np.sqrt(v_bias) + 1e-8)
    return coef, bias


def _regression_rows(knowledge: Documents) -> Documents:
    """The knowledge base as regression rows; big ones are merged per article, then thinned.

    Up to ``MAX_REGRESSION_DOCUMENTS`` passages are used as they are. Beyond that, the
    passages of an article become one row (mean vector, summed terms), and if that is
    still too many, every k-th article of each cluster is kept (deterministic).
    """
    if len(knowledge) <= MAX_REGRESSION_DOCUMENTS:
        return knowledge
    order: dict[int, list[int]] = {}
    for row, group in enumerate(knowledge.groups.tolist()):
        order.setdefault(group if group >= 0 else -(row + 1), []).append(row)
    groups = list(order.values())
    if len(groups) > MAX_REGRESSION_DOCUMENTS:
        step = math.ceil(len(groups) / MAX_REGRESSION_DOCUMENTS)
        by_cluster: dict[int, list[list[int]]] = {}
        for rows in groups:
            by_cluster.setdefault(int(knowledge.labels[rows[0]]), []).append(rows)
        groups = [rows for members in by_cluster.values() for rows in members[::step]]
    vectors = normalise(np.stack([knowledge.vectors[rows].mean(axis=0) for rows in groups]))
    terms = [sum((knowledge.terms[r] for r in rows), Counter()) for rows in groups]
    labels = np.asarray([knowledge.labels[rows[0]] for rows in groups], dtype=np.int64)
    return Documents(vectors, terms, labels, np.arange(len(groups), dtype=np.int64))


@dataclass
class Prediction:
    probabilities: np.ndarray  # (clusters,) fused
    views: dict[str, np.ndarray]
    has_evidence: bool


class TriageModel:
    """A trained model for one network (see the module docstring for the algorithm)."""

    def __init__(
        self,
        knowledge: Documents,
        examples: Documents,
        classes: int,
        min_similarity: float = 0.0,
    ) -> None:
        self.classes = classes
        self.min_similarity = min_similarity
        self.labels = knowledge.labels
        self.document_mean = knowledge.vectors.mean(axis=0) if len(knowledge) else 0.0
        # Step 1: the request mean, shrunk towards the document mean while labels are few.
        request_mean = self.document_mean
        if len(examples):
            share = len(examples) / (len(examples) + CENTRING_PRIOR)
            request_mean = self.document_mean + share * (
                examples.vectors.mean(axis=0) - self.document_mean
            )
        self.request_mean = request_mean
        self.raw_documents = knowledge.vectors
        self.documents = normalise(knowledge.vectors - self.document_mean)
        self.tfidf = TfIdf(list(knowledge.terms) + list(examples.terms))
        self.inverted = InvertedIndex(self.tfidf, knowledge.terms)
        rows = _regression_rows(knowledge)
        features = np.vstack(
            [
                self._features(normalise(rows.vectors - self.document_mean), rows.terms),
                self._features(normalise(examples.vectors - self.request_mean), examples.terms),
            ]
        )
        labels = np.concatenate([rows.labels, examples.labels]).astype(np.int64)
        weights = np.concatenate(
            [np.ones(len(rows)), np.full(len(examples), EXAMPLE_WEIGHT)]
        ).astype(np.float32)
        self.coef, self.bias = train_logistic_regression(features, labels, weights, classes)

    def _features(self, centred: np.ndarray, terms: Sequence[Counter[str]]) -> np.ndarray:
        centred = centred.reshape(len(terms), self.documents.shape[1]).astype(np.float32)
        return np.hstack([centred, self.tfidf.dense(terms)])

    def _votes(self, similarity: np.ndarray, top: int, weigh: str) -> np.ndarray:
        votes = np.zeros(self.classes, dtype=np.float64)
        if not len(similarity) or (weigh == "rank" and not np.any(similarity > 0)):
            return np.full(self.classes, 1.0 / self.classes)  # no evidence: no preference
        take = min(top, len(similarity))
        best = np.argpartition(-similarity, take - 1)[:take]
        best = best[np.argsort(-similarity[best], kind="stable")]
        for rank, row in enumerate(best):
            if weigh == "rank":
                if similarity[row] <= 0:
                    break
                votes[self.labels[row]] += 1.0 / (rank + 1)
            else:
                votes[self.labels[row]] += math.exp(
                    (similarity[row] - similarity[best[0]]) / DENSE_TEMPERATURE
                )
        return votes / votes.sum()

    def predict(self, vector: np.ndarray, terms: Counter[str]) -> Prediction:
        """Fused cluster probabilities for one request (vector: its raw embedding)."""
        if self.classes == 0:
            return Prediction(np.zeros(0), {}, has_evidence=False)
        centred = normalise(np.asarray(vector, dtype=np.float32) - self.request_mean)
        query = self.tfidf.sparse(terms)
        views = {
            "dense": self._votes(self.documents @ centred, DENSE_NEIGHBOURS, "exp"),
            "lexical": self._votes(self.inverted.scores(query), LEXICAL_NEIGHBOURS, "rank"),
        }
        features = self._features(centred[None, :], [terms])
        views["regression"] = softmax(features @ self.coef + self.bias)[0].astype(np.float64)
        fused = np.sum([np.log(p + EPSILON) for p in views.values()], axis=0) / FUSION_TEMPERATURE
        raw_best = float((self.raw_documents @ vector).max()) if len(self.raw_documents) else 0.0
        evidence = bool(query) or raw_best >= self.min_similarity
        return Prediction(softmax(fused), views, has_evidence=evidence)
