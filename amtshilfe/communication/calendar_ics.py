"""Events as iCalendar (RFC 5545) through the ``icalendar`` package.

Times are written in UTC (``…Z``), which every calendar converts to its own zone; the UID is
stable per event and site, so a re-imported or re-subscribed event updates instead of
duplicating. A cancelled event is sent with ``STATUS:CANCELLED``, so subscribed calendars
show the cancellation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from amtshilfe.communication.models import Event
from amtshilfe.lib.markdown import plain_text

PRODID = "-//Amtshilfe//Termine//DE"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("communication:event_detail", kwargs={"pk": event.pk})


def vevent(event: Event, *, stamp: dt.datetime, with_online_link: bool) -> VEvent:
    item = VEvent()
    item.add("uid", f"termin-{event.pk}@{_host()}")
    item.add("dtstamp", stamp.astimezone(dt.UTC))
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    item.add("dtstart", event.starts_at.astimezone(dt.UTC))
    item.add("dtend", event.ends_at.astimezone(dt.UTC))
    item.add("summary", event.title)
    description = plain_text(event.description).strip() if event.description else ""
    if event.online_url and with_online_link:
        description = f"{description}\n\nOnline: {event.online_url}".strip()
    if description:
        item.add("description", description)
    if event.location:
        item.add("location", event.location)
    item.add("url", event_url(event))
    item.add("categories", [event.get_kind_display()])
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("class", "PUBLIC" if event.is_public else "PRIVATE")
    return item


def calendar(events: Iterable[Event], *, name: str, with_online_link: bool = False) -> bytes:
    """A VCALENDAR with one VEVENT per event, as bytes with CRLF line ends.

    The online link (video conference) goes only to members, like on the event page.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for event in events:
        cal.add_component(vevent(event, stamp=stamp, with_online_link=with_online_link))
    return cal.to_ical()
