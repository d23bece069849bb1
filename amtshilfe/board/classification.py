"""The seam between filing a request and automatic triage (``board/triage``).

``classify_request`` is the one function the services call; tests monkeypatch it. It
delegates to ``amtshilfe.board.triage.classify`` when that exists and answers ``None``
(= "needs a human") when triage is missing or fails: a request must never get lost
because the classifier broke.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from amtshilfe.experts.models import TopicCluster
    from amtshilfe.tenancy.models import Network

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Classification:
    """A cluster (or None) and how sure the classifier is (0 to 1)."""

    cluster: TopicCluster | None
    confidence: float


def classify_request(*, network: Network, title: str, description: str) -> Classification | None:
    try:
        triage: Any = importlib.import_module("amtshilfe.board.triage")
        classify = triage.classify
    except (ImportError, AttributeError):
        return None
    try:
        result = classify(network=network, title=title, description=description)
    except Exception:  # a broken classifier sends the request to human triage
        logger.exception("triage failed; the request goes to human triage")
        return None
    if result is None:
        return None
    # The best guess even below the threshold: the service compares the confidence with the
    # board's threshold itself and keeps the guess as ``suggested_cluster`` for human triage.
    cluster = getattr(result, "best_cluster", None) or getattr(result, "cluster", None)
    confidence = getattr(result, "confidence", None)
    if confidence is None:
        return None
    confidence = min(max(float(confidence), 0.0), 1.0)
    return Classification(cluster=cluster, confidence=confidence)
