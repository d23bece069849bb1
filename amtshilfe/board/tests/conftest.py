"""Board test set-up: triage answers what each test tells it (default: unsure)."""

from __future__ import annotations

from typing import Any

import pytest

from amtshilfe.board import classification
from amtshilfe.board.classification import Classification
from amtshilfe.experts.models import TopicCluster


class FakeTriage:
    """Stands in for ``classification.classify_request``; records what it was asked."""

    def __init__(self) -> None:
        self.result: Classification | None = None
        self.calls: list[dict[str, Any]] = []

    def answer(self, cluster: TopicCluster | None, confidence: float) -> None:
        self.result = Classification(cluster=cluster, confidence=confidence)

    def __call__(self, **kwargs: Any) -> Classification | None:
        self.calls.append(kwargs)
        return self.result


@pytest.fixture(autouse=True)
def triage(monkeypatch: pytest.MonkeyPatch) -> FakeTriage:
    fake = FakeTriage()
    monkeypatch.setattr(classification, "classify_request", fake)
    return fake
