"""Survey test set-up: triage never answers (requests land in triage), e-mails collected."""

from __future__ import annotations

from typing import Any

import pytest

from amtshilfe.board import classification


@pytest.fixture(autouse=True)
def no_triage(monkeypatch: pytest.MonkeyPatch) -> None:
    def unsure(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(classification, "classify_request", unsure)
