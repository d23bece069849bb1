"""Answer quality on a question file (``amtshilfe eval-assistant``).

Each line: {"question": ..., "gold": [slugs], "kind": ...}; ``gold: []`` means the knowledge
base has no answer. Figures (shares, 4 decimals):

- ``first_citation_correct``: answerable questions whose first citation is a gold article
  (an answer that admits not knowing has no citation and counts as wrong);
- ``any_citation_correct``: answerable questions with a gold article among the citations;
- ``answered_answerable``: answerable questions answered confidently;
- ``first_citation_correct_when_answered``: precision of the confident answers;
- ``admitted_unknown``: no-answer questions where it did not answer confidently;
- latency of the engine (retrieval, decision, composition) in ms, p50 and p95.

The engine is called directly (nothing is stored); the services add two inserts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from amtshilfe.assistant.engine import answer_question
from amtshilfe.tenancy.models import Network


def read_questions(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (the value below which ``share`` of the values lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return round(ordered[min(rank, len(ordered)) - 1], 1)


def evaluate(path: Path, network: Network, user: Any) -> dict[str, Any]:
    items = read_questions(path)
    answerable = first = any_ = answered = first_answered = 0
    no_answer = admitted = 0
    latencies: list[float] = []
    kinds: dict[str, dict[str, int]] = {}
    misses: list[dict[str, Any]] = []
    for item in items:
        gold = set(item.get("gold") or [])
        started = time.perf_counter()
        result = answer_question(network=network, user=user, question=item["question"])
        latencies.append((time.perf_counter() - started) * 1000)
        slugs = [c.slug for c in result.citations]
        kind = kinds.setdefault(item.get("kind", "?"), {"questions": 0, "correct": 0})
        kind["questions"] += 1
        if gold:
            answerable += 1
            hit_first = bool(slugs) and slugs[0] in gold
            first += hit_first
            any_ += bool(gold & set(slugs))
            answered += result.confident
            first_answered += result.confident and hit_first
            kind["correct"] += hit_first
            ok = hit_first
        else:
            no_answer += 1
            admitted += not result.confident
            kind["correct"] += not result.confident
            ok = not result.confident
        if not ok:
            misses.append(
                {
                    "id": item.get("id"),
                    "question": item["question"],
                    "gold": sorted(gold),
                    "cited": slugs,
                    "kind": result.kind,
                    "evidence": {k: round(v, 4) for k, v in result.evidence.items()},
                }
            )
    return {
        "questions": len(items),
        "answerable": answerable,
        "without_answer": no_answer,
        "first_citation_correct": _share(first, answerable),
        "any_citation_correct": _share(any_, answerable),
        "answered_answerable": _share(answered, answerable),
        "first_citation_correct_when_answered": _share(first_answered, answered),
        "admitted_unknown": _share(admitted, no_answer),
        "counts": {
            "first_citation_correct": first,
            "any_citation_correct": any_,
            "answered_answerable": answered,
            "admitted_unknown": admitted,
        },
        "by_kind": {
            name: _share(values["correct"], values["questions"])
            for name, values in sorted(kinds.items())
        },
        "latency_ms": {"p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95)},
        "misses": misses,
    }
