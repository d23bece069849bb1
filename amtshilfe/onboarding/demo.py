"""Demo content of onboarding for the demo network (called by ``demo/loader.py``)."""

from __future__ import annotations

import datetime as dt

from amtshilfe.tenancy.models import Network


def load_demo(network: Network, *, today: dt.date) -> int:
    """Create what is missing of this app's demo content; returns how many rows were created.

    Idempotent: a second call creates nothing. Reads people, municipalities, clusters and
    requests of ``network`` from the database (the loader has created them before).
    """
    return 0
