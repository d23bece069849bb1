"""Calibration of the assistant's confidence (``amtshilfe eval-assistant --calibrate``).

The decision "answer or admit not knowing" is a logistic model over ``confidence.Evidence``.
Its weights are fitted here on a question file with gold slugs, and judged honestly by
k-fold cross-validation: each question of the file is decided by a model fitted without it
(stratified folds, repeated with fixed seeds). The printed ``cross_validated`` figures are
the ones to report; the ``fitted`` weights go into ``confidence.CALIBRATIONS`` (with the
similarity, per embedding model) and ``confidence.WITHOUT_SIMILARITY``.

Extra training data: ``engine/calibration_questions.jsonl`` holds our own questions (written
for the calibration, none taken from the development file), most of them without an answer
in the knowledge base. They are training data only: every fold's model is fitted on the
other folds of the file *plus* all of them, and tested on the file's held-out fold; the
figures are always the file's. The shipped weights are fitted on the file plus them.

The label is "answerable and the top article is a gold article": answering a question with
the wrong article is as bad as answering one without an answer. Questions that the engine
declines before the model (nothing found, or off-topic) have no features: they count as
admitted and do not train the model.

The threshold admits as many training questions without an answer as possible while the
model still answers at least ``ANSWERED_FLOOR`` of the answerable training questions of the
file's kind (our own answerable questions are easier, so they do not count there); of equally
good thresholds the lowest.
"""

from __future__ import annotations

import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from amtshilfe.assistant.engine import confidence, topics
from amtshilfe.assistant.engine.retrieval import RERANK_DEPTH, article_terms, rerank, retrieve
from amtshilfe.assistant.evaluation import read_questions
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.engine import load_index

FEATURES = ("similarity", "rare_coverage", "words", "margin")
# Without a calibrated embedding model: neither the similarity nor the margin (its difference).
WITHOUT_SIMILARITY = ("rare_coverage", "words")
FOLDS = 10
# Cross-validation is repeated with these fold seeds (12 no-answer questions make one
# split's figure vary by +-0.1); the mean and the range are reported.
SEEDS = (1, 7, 42, 99, 2026)
L2 = 0.05
# The threshold keeps at least this share of the answerable training questions answered
# (target 0.90, and a first citation needs an answer: a margin for the held-out questions).
ANSWERED_FLOOR = 0.95
CALIBRATION_QUESTIONS = Path(__file__).parent / "engine" / "calibration_questions.jsonl"


def collect(
    path: Path, network: Network, user: Any, *, calibration_questions: bool = True
) -> list[dict[str, Any]]:
    """The rows of ``path`` and, as ``training_only`` rows, those of
    ``CALIBRATION_QUESTIONS`` (unless that is ``path`` itself)."""
    rows = _collect(path, network, user, training_only=False)
    extra = CALIBRATION_QUESTIONS
    if calibration_questions and extra.exists() and extra.resolve() != path.resolve():
        rows += _collect(extra, network, user, training_only=True)
    return rows


def _collect(
    path: Path, network: Network, user: Any, *, training_only: bool
) -> list[dict[str, Any]]:
    """Features, label and top slug of every question (retrieval as the engine does it)."""
    rows = []
    index = load_index(network)
    for item in read_questions(path):
        started = time.perf_counter()
        question = item["question"]
        found = retrieve(network, user, question, [])
        features, top = None, ""
        declined = topics.OFF_TOPIC.search(question) and not topics.is_technical(question)
        if found.hits and not declined:
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
                "training_only": training_only,
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
    """The threshold admitting the most no-answer questions while at least
    ``ANSWERED_FLOOR`` of the answerable ones (not ``training_only``) are answered."""
    answerable = np.array([row["answerable"] and not row["training_only"] for row in rows])
    unanswerable = np.array([not row["answerable"] for row in rows])
    best, best_value = 0.05, -math.inf
    for threshold in np.linspace(0.05, 0.95, 91):
        answered = p >= threshold
        answered_share = (answered & answerable).sum() / max(answerable.sum(), 1)
        admitted_share = (~answered & unanswerable).sum() / max(unanswerable.sum(), 1)
        # Below the floor only the answered share counts (the lowest threshold wins then).
        value = admitted_share + 2.0 if answered_share >= ANSWERED_FLOOR else answered_share
        if value > best_value:
            best, best_value = float(threshold), value
    return round(best, 2)


def _folds(rows: list[dict[str, Any]], seed: int) -> list[list[int]]:
    """Stratified folds over the file's rows (``training_only`` rows are in none)."""
    rng = random.Random(seed)  # noqa: S311 (fold order, not a secret)
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for flag in (True, False):
        members = [
            i
            for i, row in enumerate(rows)
            if row["answerable"] is flag and not row["training_only"]
        ]
        rng.shuffle(members)
        for position, i in enumerate(members):
            folds[position % FOLDS].append(i)
    return folds


def _figures(rows: list[dict[str, Any]], answered: list[bool]) -> dict[str, float | None]:
    """The three figures on the file's rows (never on ``training_only`` rows)."""
    held = [i for i, row in enumerate(rows) if not row["training_only"]]
    answerable = [i for i in held if rows[i]["answerable"]]
    unanswerable = [i for i in held if not rows[i]["answerable"]]

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
    """Figures when each question of the file is decided by a model fitted without its fold
    (and with all ``training_only`` rows)."""
    usable = [i for i, row in enumerate(rows) if row["features"] is not None]
    scored = [rows[i] for i in usable]
    x, y = _matrix(scored, features)
    out_of_fold = [False] * len(rows)
    for fold in _folds(scored, seed):
        held_out = set(fold)
        train = [i for i in range(len(scored)) if i not in held_out]
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
        "questions": sum(not row["training_only"] for row in rows),
        "training_only_questions": sum(row["training_only"] for row in rows),
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
