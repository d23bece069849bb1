"""Template tags of communication: teasers of public news and events for the public website.

Used by ``website`` on the home page: ``{% load communication_tags %}``,
``{% public_news_teaser network limit=3 %}``, ``{% public_events_teaser network limit=3 %}``.
They show only public items (never internal ones) and render nothing when there are none.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from amtshilfe.communication.models import Event, News
from amtshilfe.tenancy.models import Network

register = template.Library()


@register.inclusion_tag("communication/teaser_news.html")
def public_news_teaser(network: Network | None, limit: int = 3) -> dict[str, Any]:
    """The latest published public news of ``network``."""
    items: list[News] = []
    if network is not None:
        items = list(News.objects.public(network).order_by("-published_at", "-pk")[:limit])
    return {"items": items}


@register.inclusion_tag("communication/teaser_events.html")
def public_events_teaser(network: Network | None, limit: int = 3) -> dict[str, Any]:
    """The next public events of ``network`` that are not cancelled."""
    items: list[Event] = []
    if network is not None:
        items = list(
            Event.objects.public(network)
            .upcoming(timezone.now())
            .filter(is_cancelled=False)[:limit]
        )
    return {"items": items}
