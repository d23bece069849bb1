"""The numpy triage model on its own: bounded training rows and the fused prediction."""

from __future__ import annotations

from collections import Counter

import numpy as np

from amtshilfe.board.triage import classifier
from amtshilfe.board.triage.classifier import Documents, TriageModel, _regression_rows


def documents(articles: int, passages: int, classes: int = 2, seed: int = 0) -> Documents:
    """``articles`` articles of ``passages`` passages; cluster c speaks of word wc."""
    rng = np.random.default_rng(seed)
    rows = articles * passages
    labels = np.repeat(np.arange(articles) % classes, passages)
    centres = rng.normal(size=(classes, 16))
    vectors = classifier.normalise(centres[labels] + 0.3 * rng.normal(size=(rows, 16)))
    terms = [Counter({f"w{label}": 2, "gemeinsam": 1}) for label in labels]
    groups = np.repeat(np.arange(articles), passages)
    return Documents(vectors.astype(np.float32), terms, labels, groups)


def test_it_merges_passages_per_article_above_the_bound(monkeypatch):
    knowledge = documents(articles=6, passages=3)
    assert _regression_rows(knowledge) is knowledge  # small: passages as they are
    monkeypatch.setattr(classifier, "MAX_REGRESSION_DOCUMENTS", 10)
    merged = _regression_rows(knowledge)
    assert len(merged) == 6
    assert merged.terms[0] == Counter({"w0": 6, "gemeinsam": 3})
    assert list(merged.labels) == [0, 1, 0, 1, 0, 1]
    assert np.allclose(np.linalg.norm(merged.vectors, axis=1), 1.0)
    monkeypatch.setattr(classifier, "MAX_REGRESSION_DOCUMENTS", 4)
    thinned = _regression_rows(knowledge)
    assert len(thinned) == 4 and sorted(thinned.labels) == [0, 0, 1, 1]  # every cluster kept


def test_it_predicts_the_cluster_whose_documents_the_request_resembles(monkeypatch):
    monkeypatch.setattr(classifier, "MAX_REGRESSION_DOCUMENTS", 5)
    knowledge = documents(articles=8, passages=2)
    no_examples = documents(articles=0, passages=0)
    model = TriageModel(knowledge, no_examples, classes=2, min_similarity=0.5)
    for label in (0, 1):
        vector = knowledge.vectors[knowledge.labels == label].mean(axis=0)
        prediction = model.predict(vector, Counter({f"w{label}": 1}))
        assert prediction.probabilities.argmax() == label
        assert np.isclose(prediction.probabilities.sum(), 1.0)
        assert set(prediction.views) == {"dense", "lexical", "regression"}
        assert prediction.has_evidence
    unknown = model.predict(np.zeros(16, dtype=np.float32), Counter({"fremd": 1}))
    assert not unknown.has_evidence
    assert np.allclose(unknown.views["lexical"], [0.5, 0.5])  # no shared term: no preference
