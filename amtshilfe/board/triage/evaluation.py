"""Triage quality on a file of requests with known clusters (`amtshilfe eval-triage`).

Each line: {"title": ..., "description": ..., "expected_cluster": slug}. The measurement is
k-fold cross-validation, stratified by cluster with a fixed seed, so that no request is
classified by a model that learned from it:

1. Load the network's knowledge base once; embed all requests once (cached by text).
2. For each fold, train on the knowledge base plus the requests of the other folds – never
   on requests stored in the network (a demo may hold copies of these very requests) –
   and classify the requests of the fold.
3. Report accuracy of the best cluster, precision and recall per cluster, the confusion
   table (expected → predicted → count), and at the threshold: how many requests would go
   to triage and how accurate the automatically routed rest is; plus the same pair for a
   range of thresholds, to choose one.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from amtshilfe.board.triage.knowledge import load_knowledge, request_text
from amtshilfe.board.triage.routing import Triage
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.embeddings import embed_passages_cached

CURVE = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


class EvaluationError(ValueError):
    """The file does not fit the network (unknown cluster, too few requests)."""


def read_requests(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for number, row in enumerate(rows, start=1):
        if not row.get("title") or not row.get("expected_cluster"):
            raise EvaluationError(f"Zeile {number}: title und expected_cluster fehlen.")
    return rows


def stratified_folds(labels: list[str], folds: int, seed: int) -> list[int]:
    """Fold number per item: each cluster's items shuffled (seeded), then dealt round-robin."""
    rng = random.Random(seed)  # noqa: S311  (reproducible folds, not security)
    fold_of = [0] * len(labels)
    offset = 0
    for label in sorted(set(labels)):
        members = [i for i, item in enumerate(labels) if item == label]
        rng.shuffle(members)
        for position, index in enumerate(members):
            fold_of[index] = (offset + position) % folds
        offset += len(members)  # spread small clusters over different folds
    return fold_of


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def evaluate(
    path: Path, network: Network, *, folds: int = 5, seed: int = 0, threshold: float
) -> dict[str, Any]:
    rows = read_requests(path)
    knowledge = load_knowledge(network)
    slug_to_id = {cluster.slug: cluster.pk for cluster in knowledge.clusters}
    unknown = sorted({row["expected_cluster"] for row in rows} - set(slug_to_id))
    if unknown:
        raise EvaluationError(f"Unbekannte Cluster im Netzwerk {network.slug}: {unknown}")
    if folds < 2 or len(rows) < folds:
        raise EvaluationError("Es braucht mindestens zwei Folds und so viele Anfragen wie Folds.")
    texts = [request_text(row["title"], row.get("description", "")) for row in rows]
    expected = [row["expected_cluster"] for row in rows]
    vectors = embed_passages_cached(texts, knowledge.backend)
    fold_of = stratified_folds(expected, folds, seed)

    predicted: list[str] = [""] * len(rows)
    confidence: list[float] = [0.0] * len(rows)
    training_seconds: list[float] = []
    latencies: list[float] = []
    for fold in range(folds):
        started = time.perf_counter()
        examples = [
            (texts[i], slug_to_id[expected[i]]) for i in range(len(rows)) if fold_of[i] != fold
        ]
        triage = Triage(knowledge, examples)
        training_seconds.append(time.perf_counter() - started)
        for i in (i for i in range(len(rows)) if fold_of[i] == fold):
            started = time.perf_counter()
            result = triage.result(texts[i], threshold, vector=vectors[i])
            latencies.append((time.perf_counter() - started) * 1000)
            predicted[i] = result.best_cluster.slug if result.best_cluster else ""
            confidence[i] = result.confidence

    correct = [p == e for p, e in zip(predicted, expected, strict=True)]
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for e, p in zip(expected, predicted, strict=True):
        confusion[e][p] += 1
    per_cluster = {}
    for slug in sorted(slug_to_id):
        true_positive = confusion[slug][slug]
        predicted_as = sum(confusion[e][slug] for e in confusion)
        support = sum(confusion[slug].values())
        per_cluster[slug] = {
            "precision": _rate(true_positive, predicted_as),
            "recall": _rate(true_positive, support),
            "support": support,
        }

    def at(limit: float) -> dict[str, Any]:
        routed = [ok for ok, c in zip(correct, confidence, strict=True) if c >= limit]
        return {
            "threshold": limit,
            "routed": len(routed),
            "to_triage": len(rows) - len(routed),
            "coverage": _rate(len(routed), len(rows)),
            "accuracy_routed": _rate(sum(routed), len(routed)),
        }

    latencies.sort()
    return {
        "n": len(rows),
        "folds": folds,
        "seed": seed,
        "model": knowledge.backend.model_id,
        "accuracy": _rate(sum(correct), len(rows)),
        "at_threshold": at(threshold),
        "by_threshold": [at(limit) for limit in CURVE],
        "per_cluster": per_cluster,
        "confusion": {e: dict(sorted(confusion[e].items())) for e in sorted(confusion)},
        "training_seconds": round(statistics.fmean(training_seconds), 3),
        "latency_ms": {
            "p50": round(latencies[len(latencies) // 2], 2),
            "p95": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 2),
            "note": "classification with the request already embedded",
        },
        "misses": [
            {
                "id": row.get("id"),
                "title": row["title"],
                "expected": e,
                "predicted": p,
                "confidence": round(c, 3),
            }
            for row, e, p, c in zip(rows, expected, predicted, confidence, strict=True)
            if e != p
        ],
    }
