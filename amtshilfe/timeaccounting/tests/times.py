"""Shared set-up for the time tests: requests alice works on, closed ranges, a fixed clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import file_request, set_request_cluster
from amtshilfe.conftest import Personas
from amtshilfe.timeaccounting.models import ClosedRange, TimeEntry
from amtshilfe.timeaccounting.services import book_time

# The tests run on a Wednesday in the middle of November 2026 (Europe/Berlin).
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 18)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def request_of_b(personas: Personas, **kwargs: Any) -> ServiceRequest:
    """A request of Meißen (B) in alice's cluster "Drucker": alice (Riesa) works on it."""
    values: dict[str, Any] = {
        "actor": personas.charlie,
        "network": personas.network,
        "municipality": personas.b,
        "title": "Scanner in Meißen speichert nicht",
        "description": "Scan-to-Folder geht nicht mehr.",
    }
    values.update(kwargs)
    request = file_request(**values)
    return set_request_cluster(
        actor=personas.coordinator, request=request, cluster=personas.cluster
    )


def close_october(personas: Personas) -> ClosedRange:
    """What the settlement app does when it closes October (written directly here)."""
    start, end = OCTOBER
    return ClosedRange.objects.create(
        network=personas.network, starts_on=start, ends_on=end, label="Oktober 2026"
    )


def book(personas: Personas, **kwargs: Any) -> TimeEntry:
    values: dict[str, Any] = {
        "actor": personas.alice,
        "network": personas.network,
        "date": TODAY,
        "minutes": 90,
        "activity": "support",
    }
    values.update(kwargs)
    return book_time(**values)
