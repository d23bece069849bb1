"""Feeds for subscribers: Atom for public news, iCalendar for public events and one event.

Feeds contain public items only – whoever fetches them, logged in or not – because a feed
URL is pasted into readers and calendars that share it further.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from amtshilfe.communication import access, calendar_ics
from amtshilfe.communication.models import Event, News
from amtshilfe.communication.views.rendering import markdown_html
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import default_network
from amtshilfe.tenancy.models import Network

FEED_ITEMS = 30
PAST_DAYS_IN_CALENDAR = 90


class PublicNewsFeed(Feed[News, Network]):
    """``/aktuelles/feed.atom``: the latest public news of the public (default) network."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Network:
        network = default_network()
        if network is None:
            raise Http404
        return network

    def title(self, obj: Network) -> str:
        return _("Aktuelles – %(network)s") % {"network": obj.name}

    def subtitle(self, obj: Network) -> str:
        return _("Öffentliche Neuigkeiten des Netzwerks %(network)s") % {"network": obj.name}

    def link(self, obj: Network) -> str:
        return reverse("communication:news_list")

    def feed_url(self, obj: Network) -> str:
        return reverse("communication:news_feed")

    def items(self, obj: Network) -> list[News]:
        return list(
            News.objects.public(obj)
            .select_related("network")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item: News) -> str:
        return item.title

    def item_description(self, item: News) -> str:
        return markdown_html(item.body)

    def item_link(self, item: News) -> str:
        return reverse("communication:news_detail", kwargs={"slug": item.slug})

    def item_guid(self, item: News) -> str:
        return f"tag:amtshilfe,{item.network.slug}:news:{item.pk}"

    def item_guid_is_permalink(self, item: News) -> bool:
        return False

    def item_pubdate(self, item: News) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: News) -> dt.datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_author_name(self, item: News) -> str:
        return item.network.name


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def public_events_ics(request: HttpRequest) -> HttpResponse:
    """``/termine/feed.ics``: public events of the public network (recent and upcoming)."""
    network = default_network()
    if network is None:
        raise Http404
    since = timezone.now() - dt.timedelta(days=PAST_DAYS_IN_CALENDAR)
    events = Event.objects.public(network).filter(ends_at__gte=since).order_by("starts_at")
    name = _("Termine – %(network)s") % {"network": network.name}
    return _ics_response(calendar_ics.calendar(events, name=name), "termine.ics")


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One event for the calendar – whoever may see the event may download it."""
    network = access.page_network(request)
    event, _can_write = access.get_event_for_user(request.user, network, pk)
    member = is_network_member(request.user, network)
    content = calendar_ics.calendar([event], name=event.title, with_online_link=member)
    return _ics_response(content, f"termin-{event.pk}.ics")
