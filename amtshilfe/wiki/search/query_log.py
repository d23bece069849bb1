"""Search questions without a person attached, for the "unanswered searches" to-do list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import SearchQueryLog


def log_query(*, network: Network, query: str, hits: Sequence[Any]) -> None:
    SearchQueryLog.objects.create(
        network=network,
        query=query[:300],
        result_count=len(hits),
        top_score=hits[0].score if hits else None,
    )
