"""Calibration of the assistant's confidence (``amtshilfe eval-assistant --calibrate``).

The decision "answer or admit not knowing" is a logistic model over ``confidence.Evidence``.
Its weights are fitted here on a question file with gold slugs, and judged honestly by
k-fold cross-validation: each question is decided by a model fitted without it (stratified
folds, repeated with fixed seeds). The printed ``cross_validated`` figures are the ones to report; the
``fitted`` weights (on all questions) go into ``confidence.CALIBRATIONS`` (with the
similarity, per embedding model) and ``confidence.WITHOUT_SIMILARITY``.

The label is "answerable and the top article is a gold article": answering a question with
the wrong article is as bad as answering one without an answer.
"""

from __future__ import annotations

import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from amtshilfe.assistant.engine import confidence
from amtshilfe.assistant.engine.retrieval import RERANK_DEPTH, article_terms, rerank, retrieve
from amtshilfe.assistant.evaluation import read_questions
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.engine import load_index

FEATURES = ("similarity", "coverage", "words")
WITHOUT_SIMILARITY = ("coverage", "words")
FOLDS = 10
# Cross-validation is repeated with these fold seeds (12 no-answer questions make one
# split's figure vary by +-0.1); the mean and the range are reported.
SEEDS = (1, 7, 42, 99, 2026)
L2 = 0.05
# The threshold is chosen to maximise this: answered answerable questions (weight 1) plus
# admitted no-answer questions (weight NEGATIVE_WEIGHT, as they are only ~10 % of the file).
NEGATIVE_WEIGHT = 4.0


def collect(path: Path, network: Network, user: Any) -> list[dict[str, Any]]:
    """Features, label and top slug of every question (retrieval as the engine does it)."""
    rows = []
    index = load_index(network)
    for item in read_questions(path):
        started = time.perf_counter()
        found = retrieve(network, user, item["question"], [])
        features, top = None, ""
        if found.hits:
            words = confidence.analyse(found.query, index)
            terms = article_terms([hit.article.pk for hit in found.hits[:RERANK_DEPTH]])
            hits = rerank(found.hits, words, terms)
            features = confidence.evidence(words, hits[0], terms[hits[0].article.pk])
            top = hits[0].article.slug
        gold = set(item.get("gold") or [])
        rows.append(
            {
                "id": item.get("id"),
                "answerable": bool(gold),
                "label": bool(gold) and top in gold,
                "features": features.as_dict() if features else None,
                "ms": (time.perf_counter() - started) * 1000,
            }
        )
    return rows


def _matrix(rows: list[dict[str, Any]], features: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[row["features"][name] for name in features] for row in rows], dtype=float)
    y = np.array([1.0 if row["label"] else 0.0 for row in rows])
    return x, y


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Class-balanced, L2-regularised logistic regression by gradient descent (on
    standardised features, returned in the original units)."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    positives = max(y.sum(), 1.0)
    negatives = max(len(y) - y.sum(), 1.0)
    sample_weight = np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * negatives))
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(3000):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        error = (p - y) * sample_weight
        w -= 0.1 * (z.T @ error / len(y) + L2 * w)
        b -= 0.1 * error.mean()
    weights = w / std
    return weights, float(b - (weights * mean).sum())


def _probabilities(x: np.ndarray, weights: np.ndarray, intercept: float) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ weights + intercept))))


def best_threshold(p: np.ndarray, rows: list[dict[str, Any]]) -> float:
    answerable = np.array([row["answerable"] for row in rows])
    best, best_value = 0.5, -math.inf
    for threshold in np.linspace(0.05, 0.95, 91):
        answered = p >= threshold
        value = (answered & answerable).sum() + NEGATIVE_WEIGHT * (~answered & ~answerable).sum()
        if value > best_value:
            best, best_value = float(threshold), value
    return round(best, 2)


def _folds(rows: list[dict[str, Any]], seed: int) -> list[list[int]]:
    rng = random.Random(seed)  # noqa: S311 (fold order, not a secret)
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for flag in (True, False):
        members = [i for i, row in enumerate(rows) if row["answerable"] is flag]
        rng.shuffle(members)
        for position, i in enumerate(members):
            folds[position % FOLDS].append(i)
    return folds


def _figures(rows: list[dict[str, Any]], answered: list[bool]) -> dict[str, float | None]:
    answerable = [i for i, row in enumerate(rows) if row["answerable"]]
    unanswerable = [i for i, row in enumerate(rows) if not row["answerable"]]

    def share(count: int, total: int) -> float | None:
        return round(count / total, 4) if total else None

    return {
        "answered_answerable": share(sum(answered[i] for i in answerable), len(answerable)),
        "first_citation_correct": share(
            sum(answered[i] and rows[i]["label"] for i in answerable), len(answerable)
        ),
        "admitted_unknown": share(sum(not answered[i] for i in unanswerable), len(unanswerable)),
    }


def cross_validate(
    rows: list[dict[str, Any]], seed: int, features: tuple[str, ...]
) -> dict[str, float | None]:
    """Figures when each question is decided by a model fitted without its fold."""
    usable = [i for i, row in enumerate(rows) if row["features"] is not None]
    scored = [rows[i] for i in usable]
    x, y = _matrix(scored, features)
    out_of_fold = [False] * len(rows)
    for fold in _folds(scored, seed):
        train = [i for i in range(len(scored)) if i not in set(fold)]
        weights, intercept = fit(x[train], y[train])
        threshold = best_threshold(
            _probabilities(x[train], weights, intercept), [scored[i] for i in train]
        )
        p = _probabilities(x[fold], weights, intercept)
        for position, i in enumerate(fold):
            out_of_fold[usable[i]] = bool(p[position] >= threshold)
    return _figures(rows, out_of_fold)


def calibrate(rows: list[dict[str, Any]], features: tuple[str, ...] = FEATURES) -> dict[str, Any]:
    """Repeated cross-validated figures and the weights fitted on all rows."""
    runs = [cross_validate(rows, seed, features) for seed in SEEDS]
    summary: dict[str, Any] = {}
    for name in runs[0]:
        values = [value for run in runs if (value := run[name]) is not None]
        summary[name] = {
            "mean": round(sum(values) / len(values), 4) if values else None,
            "min": min(values, default=None),
            "max": max(values, default=None),
        }
    usable = [i for i, row in enumerate(rows) if row["features"] is not None]
    scored = [rows[i] for i in usable]
    x, y = _matrix(scored, features)
    weights, intercept = fit(x, y)
    threshold = best_threshold(_probabilities(x, weights, intercept), scored)
    in_sample = [False] * len(rows)
    for position, answered in enumerate(_probabilities(x, weights, intercept) >= threshold):
        in_sample[usable[position]] = bool(answered)
    return {
        "questions": len(rows),
        "cross_validated": summary,
        "folds": FOLDS,
        "repetitions": len(SEEDS),
        "in_sample": _figures(rows, in_sample),
        "fitted": {
            "weights": {
                name: round(float(w), 4) for name, w in zip(features, weights, strict=True)
            },
            "intercept": round(intercept, 4),
            "threshold": threshold,
        },
    }
