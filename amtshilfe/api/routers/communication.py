"""`/api/v1/communication`: news and events – list, read; register for an event and cancel.

The same rules as the pages (``communication/access.py``): a caller sees public items and
the internal ones for their audience (whole network, their clusters); an invisible item
answers 404 exactly like a missing one. Registration follows the same services as the
event page: a seat if one is free, else the waiting list, which moves up on a cancellation.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from amtshilfe.accounts.models import User
from amtshilfe.communication import access
from amtshilfe.communication.models import Event, EventRegistration, News
from amtshilfe.communication.services import cancel_registration, register_for_event
from amtshilfe.communication.views.rendering import markdown_html
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["communication"])

MAX_LIMIT = 100
When = Literal["upcoming", "past"]


# --- schemas -------------------------------------------------------------------------------


class NewsSummaryOut(Schema):
    slug: str
    title: str
    cluster: str | None
    is_public: bool
    published_at: dt.datetime | None
    url: str


class NewsOut(NewsSummaryOut):
    body: str
    body_html: str
    author: str | None
    version: int


class NewsListOut(Schema):
    count: int
    items: list[NewsSummaryOut]


class NewsListParams(Schema):
    cluster: str | None = None
    limit: int = 20
    offset: int = 0


class EventSummaryOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    online: bool
    cluster: str | None
    is_public: bool
    is_cancelled: bool
    capacity: int | None
    url: str


class RegistrationOut(Schema):
    status: str
    status_label: str
    queued_at: dt.datetime


class EventOut(EventSummaryOut):
    description: str
    description_html: str
    online_url: str
    registration_deadline: dt.datetime | None
    registration_open: bool
    registered_count: int
    waiting_count: int
    own_registration: RegistrationOut | None


class EventListOut(Schema):
    count: int
    items: list[EventSummaryOut]


class EventListParams(Schema):
    when: When = "upcoming"
    cluster: str | None = None
    limit: int = 50
    offset: int = 0


# --- helpers -------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # TokenAuth set it
    return user


def _network(request: HttpRequest) -> Network:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    return network


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise HttpError(422, f"limit muss zwischen 1 und {MAX_LIMIT} liegen, offset ab 0.")


def _news_summary(request: HttpRequest, news: News) -> NewsSummaryOut:
    return NewsSummaryOut(
        slug=news.slug,
        title=news.title,
        cluster=news.cluster.slug if news.cluster else None,
        is_public=news.is_public,
        published_at=news.published_at,
        url=request.build_absolute_uri(reverse("communication:news_detail", args=[news.slug])),
    )


def _event_summary(request: HttpRequest, event: Event) -> EventSummaryOut:
    return EventSummaryOut(
        id=event.pk,
        title=event.title,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=event.location,
        online=bool(event.online_url),
        cluster=event.cluster.slug if event.cluster else None,
        is_public=event.is_public,
        is_cancelled=event.is_cancelled,
        capacity=event.capacity,
        url=request.build_absolute_uri(reverse("communication:event_detail", args=[event.pk])),
    )


def _event_detail(request: HttpRequest, event: Event, user: User) -> EventOut:
    registered, waiting = event.registration_counts()
    own = (
        EventRegistration.objects.filter(event=event, user=user)
        .exclude(status=EventRegistration.Status.CANCELLED)
        .first()
    )
    return EventOut(
        **_event_summary(request, event).model_dump(),
        description=event.description,
        description_html=markdown_html(event.description),
        online_url=event.online_url,
        registration_deadline=event.registration_deadline,
        registration_open=event.registration_open(),
        registered_count=registered,
        waiting_count=waiting,
        own_registration=RegistrationOut(
            status=own.status, status_label=own.get_status_display(), queued_at=own.queued_at
        )
        if own
        else None,
    )


# --- endpoints -----------------------------------------------------------------------------


@router.get("/news", response=NewsListOut, summary="Veröffentlichte Neuigkeiten (neueste zuerst)")
def list_news(request: HttpRequest, params: Query[NewsListParams]) -> NewsListOut:
    user, network = _user(request), _network(request)
    _check_page(params.limit, params.offset)
    items = News.objects.visible_to(user, network).published().select_related("cluster")
    if params.cluster:
        items = items.filter(cluster__slug=params.cluster)
    page = items.order_by("-published_at", "-pk")[params.offset : params.offset + params.limit]
    return NewsListOut(count=items.count(), items=[_news_summary(request, n) for n in page])


@router.get("/news/{slug}", response=NewsOut, summary="Eine Neuigkeit")
def read_news(request: HttpRequest, slug: str) -> NewsOut:
    user, network = _user(request), _network(request)
    news, _can_write = access.get_news_for_user(user, network, slug)
    return NewsOut(
        **_news_summary(request, news).model_dump(),
        body=news.body,
        body_html=markdown_html(news.body),
        author=news.author.full_name if news.author else None,
        version=news.version,
    )


@router.get("/events", response=EventListOut, summary="Kommende oder vergangene Termine")
def list_events(request: HttpRequest, params: Query[EventListParams]) -> EventListOut:
    user, network = _user(request), _network(request)
    _check_page(params.limit, params.offset)
    events = Event.objects.visible_to(user, network).select_related("cluster")
    if params.cluster:
        events = events.filter(cluster__slug=params.cluster)
    now = timezone.now()
    events = events.upcoming(now) if params.when == "upcoming" else events.past(now)
    page = events[params.offset : params.offset + params.limit]
    return EventListOut(count=events.count(), items=[_event_summary(request, e) for e in page])


@router.get("/events/{event_id}", response=EventOut, summary="Ein Termin mit eigener Anmeldung")
def read_event(request: HttpRequest, event_id: int) -> EventOut:
    user, network = _user(request), _network(request)
    event, _can_write = access.get_event_for_user(user, network, event_id)
    return _event_detail(request, event, user)


@router.post(
    "/events/{event_id}/registration",
    response={201: EventOut},
    summary="Anmelden (bei vollem Termin: Warteliste)",
)
def register(request: HttpRequest, event_id: int) -> Status[EventOut]:
    user, network = _user(request), _network(request)
    event, _can_write = access.get_event_for_user(user, network, event_id)
    register_for_event(actor=user, event=event)
    return Status(201, _event_detail(request, event, user))


@router.delete(
    "/events/{event_id}/registration",
    response=EventOut,
    summary="Abmelden (der Erste auf der Warteliste rückt nach)",
)
def unregister(request: HttpRequest, event_id: int) -> EventOut:
    user, network = _user(request), _network(request)
    event, _can_write = access.get_event_for_user(user, network, event_id)
    cancel_registration(actor=user, event=event)
    return _event_detail(request, event, user)
