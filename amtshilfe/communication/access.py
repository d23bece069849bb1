"""Who may do what with news, events and the directory (one helper per object type).

- anonymous visitors: public news and public events of the default network; nothing else;
- members: in addition internal news and events for the whole network and their clusters;
  register for events; the directory; their own directory entry;
- topic owners: write news and events for the clusters they own;
- coordination: writes everything;
- an event's organiser: edits it, sees its participants (names only);
- anybody outside the network: only what is public (an internal item answers 404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from amtshilfe.communication.models import Event, News, owned_cluster_ids
from amtshilfe.tenancy.access import is_coordinator, is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network


def page_network(request: HttpRequest) -> Network:
    """The network a public or internal page shows: the user's, else the default; 404 if none."""
    network = current_network(request)
    if network is None:
        raise Http404
    return network


def writable_cluster_ids(user: Any, network: Network) -> set[int] | None:
    """Clusters ``user`` may address; ``None`` means every cluster and the whole network."""
    if is_coordinator(user, network):
        return None
    return owned_cluster_ids(user, network)


def can_write_some(user: Any, network: Network) -> bool:
    """May write news or events at all (coordination, or owner of at least one cluster)."""
    return is_coordinator(user, network) or bool(owned_cluster_ids(user, network))


def can_address(user: Any, network: Network, cluster_id: int | None) -> bool:
    """May write to this audience (``None`` = the whole network, only the coordination)."""
    allowed = writable_cluster_ids(user, network)
    if allowed is None:
        return True
    return cluster_id is not None and cluster_id in allowed


def can_edit_news(user: Any, news: News) -> bool:
    return can_address(user, news.network, news.cluster_id)


def can_edit_event(user: Any, event: Event) -> bool:
    if not is_network_member(user, event.network):
        return False
    organiser = event.organiser_id is not None and event.organiser_id == getattr(user, "pk", None)
    return organiser or can_address(user, event.network, event.cluster_id)


def can_register(user: Any, event: Event) -> bool:
    """Members of the network register; anonymous visitors are sent to the login."""
    return is_network_member(user, event.network)


def get_news_for_user(user: Any, network: Network, slug: str) -> tuple[News, bool]:
    """The news item ``slug`` if ``user`` may read it (else Http404) and whether they edit it."""
    news = get_object_or_404(
        News.objects.visible_to(user, network).select_related("network", "cluster", "author"),
        slug=slug,
    )
    return news, can_edit_news(user, news)


def get_news_for_user_rw(user: Any, network: Network, slug: str) -> News:
    news, can_write = get_news_for_user(user, network, slug)
    if not can_write:
        raise PermissionDenied
    return news


def get_event_for_user(user: Any, network: Network, pk: int) -> tuple[Event, bool]:
    """The event ``pk`` if ``user`` may see it (else Http404) and whether they organise it."""
    event = get_object_or_404(
        Event.objects.visible_to(user, network).select_related("network", "cluster", "organiser"),
        pk=pk,
    )
    return event, can_edit_event(user, event)


def get_event_for_user_rw(user: Any, network: Network, pk: int) -> Event:
    event, can_write = get_event_for_user(user, network, pk)
    if not can_write:
        raise PermissionDenied
    return event
