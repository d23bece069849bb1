from __future__ import annotations

import pytest
import time_machine

from amtshilfe.board import classification
from amtshilfe.timeaccounting.tests.times import NOW


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    """Requests land in triage; the tests set the cluster themselves (no model loaded)."""
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)
