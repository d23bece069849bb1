"""Search questions without a person attached, for the "unanswered searches" to-do list.

E-mail addresses and phone numbers people type into the box are removed before storing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from amtshilfe.lib.pii import scrub
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import SearchQueryLog


def log_query(*, network: Network, query: str, hits: Sequence[Any]) -> None:
    SearchQueryLog.objects.create(
        network=network,
        query=scrub(query)[:300],
        result_count=len(hits),
        top_score=hits[0].score if hits else None,
    )
