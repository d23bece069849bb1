"""Shared set-up for the settlement tests: time entries booked directly (bulk_create).

The figures are chosen so the expected results can be computed by hand (see each test).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from amtshilfe.board import classification
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.tests.requests import file
from amtshilfe.conftest import Personas
from amtshilfe.settlement.models import CompensationScheme
from amtshilfe.settlement.services import save_compensation_scheme
from amtshilfe.timeaccounting.models import TimeEntry

DAY = dt.date(2026, 10, 5)
RATES = {"support": 6000, "article": 3000, "meeting": 3000, "coordination": 4000}


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def entry(
    personas: Personas,
    *,
    person: Any,
    giver: Any,
    receiver: Any | None,
    minutes: int,
    activity: str = "support",
    request: ServiceRequest | None = None,
    cluster: Any | None = None,
    day: dt.date = DAY,
    reverses: TimeEntry | None = None,
) -> TimeEntry:
    return TimeEntry(
        network=personas.network,
        person=person,
        providing_municipality=giver,
        receiving_municipality=receiver,
        request=request,
        cluster=cluster,
        date=day,
        minutes=minutes,
        activity=activity,
        reverses=reverses,
        is_reversal=reverses is not None,
    )


def book_example(personas: Personas) -> dict[str, Any]:
    """alice (A) helps B 180 min on B's request, dora (B) helps A 60 min on A's request,
    alice writes an article for the network for 120 min."""
    request_b = file(personas, actor=personas.charlie, municipality=personas.b)
    request_a = file(personas)
    TimeEntry.objects.bulk_create(
        [
            entry(
                personas,
                person=personas.alice,
                giver=personas.a,
                receiver=personas.b,
                minutes=180,
                request=request_b,
                cluster=personas.cluster,
            ),
            entry(
                personas,
                person=personas.dora,
                giver=personas.b,
                receiver=personas.a,
                minutes=60,
                request=request_a,
                cluster=personas.cluster,
            ),
            entry(
                personas,
                person=personas.alice,
                giver=personas.a,
                receiver=None,
                minutes=120,
                activity="article",
            ),
        ]
    )
    return {"request_a": request_a, "request_b": request_b}


def scheme(personas: Personas, **kwargs: Any) -> CompensationScheme:
    values: dict[str, Any] = {
        "actor": personas.coordinator,
        "network": personas.network,
        "valid_from": "2026-01",
        "kind": "stundensatz",
        "rates": RATES,
        "objection_days": 0,
    }
    values.update(kwargs)
    return save_compensation_scheme(**values)
