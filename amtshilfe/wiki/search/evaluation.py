"""Retrieval quality on a question file (`amtshilfe eval-search`).

Each line: {"question": ..., "gold": [slugs]}. Over the answerable questions (non-empty gold):

- recall@k: share of questions with at least one gold article in the top k;
- recall_all@k: share with *all* gold articles in the top k (matters for multi-part questions);
- MRR: mean of 1 / rank of the first gold article (0 if not in the top 10).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.search.engine import search


def evaluate(path: Path, network: Network, user: Any, limit: int = 10) -> dict[str, Any]:
    lines = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    answerable = [item for item in lines if item.get("gold")]
    at1 = at5 = all5 = 0
    reciprocal: list[float] = []
    latencies: list[float] = []
    misses: list[dict[str, Any]] = []
    by_kind: dict[str, list[float]] = {}
    for item in answerable:
        started = time.perf_counter()
        slugs = [hit.article.slug for hit in search(network, user, item["question"], limit)]
        latencies.append((time.perf_counter() - started) * 1000)
        gold = set(item["gold"])
        ranks = [slugs.index(slug) + 1 for slug in gold if slug in slugs]
        first = min(ranks) if ranks else None
        at1 += first == 1
        at5 += first is not None and first <= 5
        all5 += len([r for r in ranks if r <= 5]) == len(gold)
        reciprocal.append(1.0 / first if first else 0.0)
        by_kind.setdefault(item.get("kind", "?"), []).append(1.0 / first if first else 0.0)
        if first != 1:
            misses.append(
                {
                    "id": item.get("id"),
                    "question": item["question"],
                    "gold": sorted(gold),
                    "top": slugs[:3],
                    "first_gold_rank": first,
                }
            )
    count = len(answerable)
    latencies.sort()
    return {
        "questions": len(lines),
        "answerable": count,
        "without_answer": len(lines) - count,
        "recall@1": round(at1 / count, 4) if count else None,
        "recall@5": round(at5 / count, 4) if count else None,
        "recall_all@5": round(all5 / count, 4) if count else None,
        "mrr": round(statistics.fmean(reciprocal), 4) if count else None,
        "mrr_by_kind": {kind: round(statistics.fmean(v), 4) for kind, v in sorted(by_kind.items())},
        "latency_ms": {
            "p50": round(latencies[len(latencies) // 2], 1) if latencies else None,
            "p95": round(latencies[int(len(latencies) * 0.95) - 1], 1) if latencies else None,
        },
        "misses": misses,
    }
