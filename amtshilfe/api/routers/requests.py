"""`/api/v1/requests`: file, list, read and work on requests – over the board's services.

Every call works in the caller's current network (their first one). The same rules as on
the pages apply:

- invisible requests answer 404, exactly like missing ones (``get_request_for_user``);
- a visible request the caller may not change answers 403 (the services refuse it);
- service errors become 422 with the shape of schema errors (``detail``: ``loc``/``msg``);
- a change based on an old ``expected_version`` answers 409 with the German message of
  ``StaleMove`` and the card's current ``version`` (handler in ``api.py``).

Internal comments and their events are never shown to the administration side.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amtshilfe.accounts.models import User
from amtshilfe.board import access
from amtshilfe.board.access import get_request_for_user, get_request_for_user_rw
from amtshilfe.board.models import Column, Comment, RequestEvent, ServiceRequest, Watcher
from amtshilfe.board.services import (
    add_comment,
    assign_request,
    close_request,
    file_request,
    move_request,
    rate_request,
    reopen_request,
    set_request_cluster,
    set_request_urgency,
    take_request,
    unwatch_request,
    watch_request,
)
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.access import current_memberships, is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["requests"])

UrgencyValue = Literal["low", "normal", "high", "critical"]
ContactValue = Literal["email", "phone", "app"]
StatusValue = Literal["new", "triage", "in_progress", "waiting", "done", "closed"]
MAX_LIMIT = 100

# --- schemas -------------------------------------------------------------------------------


class RequestIn(Schema):
    title: str
    description: str = ""
    urgency: UrgencyValue = "normal"
    contact_preference: ContactValue = "app"
    municipality: str | None = None
    self_help_query: str = ""


class ClusterOut(Schema):
    slug: str
    name: str


class RequestOut(Schema):
    id: int
    number: int
    title: str
    description: str
    status: str
    status_label: str
    urgency: str
    urgency_label: str
    contact_preference: str
    source: str
    municipality: str
    municipality_name: str
    cluster: ClusterOut | None
    column: str
    column_id: int
    position: int
    assignee: str | None
    assignee_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    solved_at: dt.datetime | None
    closed_at: dt.datetime | None
    rating: int | None
    version: int
    url: str


class CommentIn(Schema):
    body: str
    internal: bool = False


class CommentOut(Schema):
    id: int
    author: str | None
    body: str
    body_html: str
    internal: bool
    created_at: dt.datetime


class EventOut(Schema):
    """One entry of the request's history; ``data`` holds machine-readable from/to values."""

    id: int
    kind: str
    kind_label: str
    actor: str
    internal: bool
    data: dict[str, Any]
    created_at: dt.datetime


class RequestDetailOut(RequestOut):
    can_work: bool
    can_take: bool
    can_assign: bool
    can_rate: bool
    watching: bool
    suggested_cluster: ClusterOut | None
    triage_confidence: float | None
    comments: list[CommentOut]
    events: list[EventOut]


class RequestListParams(Schema):
    status: StatusValue | None = None
    cluster: str | None = None
    municipality: str | None = None
    urgency: UrgencyValue | None = None
    assigned_to_me: bool = False
    limit: int = 20
    offset: int = 0


class RequestListOut(Schema):
    count: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[RequestOut]


class VersionIn(Schema):
    """Optional: the version the caller has seen; a newer card answers 409."""

    expected_version: int | None = None


class MoveIn(Schema):
    column: int
    position: int | None = None
    expected_version: int


class AssignIn(Schema):
    assignee: int | None  # a user id; null takes the request back from its assignee
    expected_version: int | None = None


class ReopenIn(Schema):
    reason: str = ""
    expected_version: int | None = None


class RateIn(Schema):
    rating: int
    comment: str = ""


class RequestPatchIn(Schema):
    """Only the fields sent are changed; ``cluster: null`` sends the request back to triage."""

    cluster: str | None = None
    urgency: UrgencyValue | None = None
    expected_version: int | None = None


class WatchOut(Schema):
    watching: bool


class ConflictOut(Schema):
    detail: str
    version: int


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


def _cluster_out(cluster: TopicCluster | None) -> ClusterOut | None:
    return ClusterOut(slug=cluster.slug, name=cluster.name) if cluster else None


def _out(request: HttpRequest, obj: ServiceRequest) -> RequestOut:
    return RequestOut(
        id=obj.pk,
        number=obj.number,
        title=obj.title,
        description=obj.description,
        status=obj.status,
        status_label=obj.get_status_display(),
        urgency=obj.urgency,
        urgency_label=obj.get_urgency_display(),
        contact_preference=obj.contact_preference,
        source=obj.source,
        municipality=obj.municipality.slug,
        municipality_name=obj.municipality.name,
        cluster=_cluster_out(obj.cluster),
        column=obj.column.name,
        column_id=obj.column_id,
        position=obj.position,
        assignee=obj.assignee.full_name if obj.assignee else None,
        assignee_id=obj.assignee_id,
        created_at=obj.created_at,
        updated_at=obj.updated_at,
        solved_at=obj.solved_at,
        closed_at=obj.closed_at,
        rating=obj.rating,
        version=obj.version,
        url=request.build_absolute_uri(obj.get_absolute_url()),
    )


def _comment_out(comment: Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        author=comment.author.full_name if comment.author else None,
        body=comment.body,
        body_html=comment.body_html,
        internal=comment.internal,
        created_at=comment.created_at,
    )


def _event_out(event: RequestEvent) -> EventOut:
    return EventOut(
        id=event.pk,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        actor=event.actor_name,
        internal=event.internal,
        data=event.data,
        created_at=event.created_at,
    )


def _visible(request: HttpRequest, request_id: int) -> tuple[User, ServiceRequest]:
    """The caller and the request if they may see it (404 otherwise)."""
    user, network = _user(request), _network(request)
    obj, _writable = get_request_for_user(user, network, request_id)
    return user, obj


def _workable(request: HttpRequest, request_id: int) -> tuple[User, ServiceRequest]:
    """The caller and the request if they work on it (404 invisible, 403 read-only)."""
    user, network = _user(request), _network(request)
    return user, get_request_for_user_rw(user, network, request_id)


# --- filing, listing, reading --------------------------------------------------------------


@router.post(
    "",
    response={201: RequestOut},
    summary="Anfrage stellen (für die eigene Kommune)",
)
def create_request(request: HttpRequest, payload: RequestIn) -> RequestOut:
    user, network = _user(request), _network(request)
    memberships = current_memberships(user, network)
    if payload.municipality:
        chosen = [m for m in memberships if m.municipality.slug == payload.municipality]
        if not chosen:
            raise HttpError(403, "Sie können nur für Ihre eigene Kommune Anfragen stellen.")
        municipality = chosen[0].municipality
    elif memberships:
        municipality = memberships[0].municipality
    else:
        raise HttpError(403, "Sie können nur für Ihre eigene Kommune Anfragen stellen.")
    filed = file_request(
        actor=user,
        network=network,
        municipality=municipality,
        title=payload.title,
        description=payload.description,
        urgency=payload.urgency,
        contact_preference=payload.contact_preference,
        source=ServiceRequest.Source.API,
        self_help_query=payload.self_help_query,
    )
    return _out(request, filed)  # the only response declared is 201


@router.get("", response=RequestListOut, summary="Sichtbare Anfragen (neueste zuerst)")
def list_requests(request: HttpRequest, params: Query[RequestListParams]) -> RequestListOut:
    """A page of the visible requests; the number of queries does not depend on its size."""
    user, network = _user(request), _network(request)
    if not 1 <= params.limit <= MAX_LIMIT:
        raise HttpError(400, f"limit muss zwischen 1 und {MAX_LIMIT} liegen.")
    if params.offset < 0:
        raise HttpError(400, "offset darf nicht negativ sein.")
    rows = ServiceRequest.objects.visible_to(user, network)
    if params.status:
        rows = rows.filter(status=params.status)
    if params.cluster:
        rows = rows.filter(cluster__slug=params.cluster)
    if params.municipality:
        rows = rows.filter(municipality__slug=params.municipality)
    if params.urgency:
        rows = rows.filter(urgency=params.urgency)
    if params.assigned_to_me:
        rows = rows.filter(assignee=user)
    count = rows.count()
    page = rows.select_related("municipality", "cluster", "column", "assignee").order_by(
        "-created_at", "-id"
    )[params.offset : params.offset + params.limit]
    end = params.offset + params.limit
    return RequestListOut(
        count=count,
        limit=params.limit,
        offset=params.offset,
        next_offset=end if end < count else None,
        items=[_out(request, row) for row in page],
    )


@router.get(
    "/{request_id}",
    response=RequestDetailOut,
    summary="Eine Anfrage mit Kommentaren und Verlauf (intern nur für die IT-Seite)",
)
def get_request(request: HttpRequest, request_id: int) -> RequestDetailOut:
    user, network = _user(request), _network(request)
    obj, writable = get_request_for_user(user, network, request_id)
    comments = Comment.objects.visible_to(user, obj).select_related("author")
    events = RequestEvent.objects.filter(request=obj)
    if not writable:
        events = events.public()
    return RequestDetailOut(
        **_out(request, obj).model_dump(),
        can_work=writable,
        can_take=access.can_take(user, obj),
        can_assign=access.can_assign(user, obj),
        can_rate=access.can_rate(user, obj) and obj.status == ServiceRequest.Status.DONE,
        watching=Watcher.objects.filter(request=obj, user=user).exists(),
        suggested_cluster=_cluster_out(obj.suggested_cluster),
        triage_confidence=obj.triage_confidence,
        comments=[_comment_out(comment) for comment in comments],
        events=[_event_out(event) for event in events.order_by("created_at", "id")],
    )


@router.post(
    "/{request_id}/comments",
    response={201: CommentOut},
    summary="Kommentar schreiben (intern nur für IT-Fachkräfte)",
)
def create_comment(request: HttpRequest, request_id: int, payload: CommentIn) -> CommentOut:
    user, obj = _visible(request, request_id)
    if payload.internal and not access.can_work(user, obj):
        raise HttpError(403, "Interne Kommentare schreiben nur die IT-Fachkräfte der Anfrage.")
    comment = add_comment(actor=user, request=obj, body=payload.body, internal=payload.internal)
    return _comment_out(comment)


# --- working on the card -------------------------------------------------------------------

CHANGED = {200: RequestOut, 409: ConflictOut}


@router.post(
    "/{request_id}/move",
    response=CHANGED,
    summary="Karte in eine Spalte ihres Boards verschieben (409, wenn veraltet)",
)
def move(request: HttpRequest, request_id: int, payload: MoveIn) -> RequestOut:
    user, obj = _workable(request, request_id)
    column = Column.objects.filter(pk=payload.column, board__network_id=obj.network_id).first()
    if column is None:
        raise ValidationError({"column": "Diese Spalte gibt es nicht."})
    if payload.position is not None and payload.position < 0:
        raise ValidationError({"position": "Die Position darf nicht negativ sein."})
    moved = move_request(
        actor=user,
        request=obj,
        column=column,
        position=payload.position,
        expected_version=payload.expected_version,
    )
    return _out(request, moved)


@router.post(
    "/{request_id}/take",
    response=CHANGED,
    summary="„Ich übernehme“: die Anfrage selbst bearbeiten",
)
def take(request: HttpRequest, request_id: int, payload: VersionIn) -> RequestOut:
    user, obj = _visible(request, request_id)
    taken = take_request(actor=user, request=obj, expected_version=payload.expected_version)
    return _out(request, taken)


@router.post(
    "/{request_id}/assign",
    response=CHANGED,
    summary="Einer IT-Fachkraft des Themenclusters zuweisen (null: zurückgeben)",
)
def assign(request: HttpRequest, request_id: int, payload: AssignIn) -> RequestOut:
    user, obj = _visible(request, request_id)
    assignee = None
    if payload.assignee is not None:
        # People outside the network are "unknown" like missing ones: nothing leaks.
        assignee = access.network_members(obj.network).filter(pk=payload.assignee).first()
        if assignee is None:
            raise ValidationError({"assignee": "Diese Person gibt es im Netzwerk nicht."})
    assigned = assign_request(
        actor=user, request=obj, assignee=assignee, expected_version=payload.expected_version
    )
    return _out(request, assigned)


@router.post(
    "/{request_id}/close",
    response=CHANGED,
    summary="Als erledigt markieren (IT-Seite)",
)
def close(request: HttpRequest, request_id: int, payload: VersionIn) -> RequestOut:
    user, obj = _workable(request, request_id)
    closed = close_request(actor=user, request=obj, expected_version=payload.expected_version)
    return _out(request, closed)


@router.post(
    "/{request_id}/reopen",
    response=CHANGED,
    summary="Wieder öffnen (anfragende Kommune oder IT-Seite)",
)
def reopen(request: HttpRequest, request_id: int, payload: ReopenIn) -> RequestOut:
    user, obj = _visible(request, request_id)
    reopened = reopen_request(
        actor=user, request=obj, reason=payload.reason, expected_version=payload.expected_version
    )
    return _out(request, reopened)


@router.post(
    "/{request_id}/rate",
    response=RequestOut,
    summary="Hilfe bewerten (1–5, einmal, anfragende Kommune, nur erledigte Anfragen)",
)
def rate(request: HttpRequest, request_id: int, payload: RateIn) -> RequestOut:
    user, obj = _visible(request, request_id)
    rated = rate_request(actor=user, request=obj, rating=payload.rating, comment=payload.comment)
    return _out(request, rated)


@router.patch(
    "/{request_id}",
    response=CHANGED,
    summary="Themencluster und/oder Dringlichkeit ändern (IT-Seite)",
)
def update_request(request: HttpRequest, request_id: int, payload: RequestPatchIn) -> RequestOut:
    user, obj = _workable(request, request_id)
    sent = payload.model_fields_set - {"expected_version"}
    if not sent:
        raise ValidationError("Bitte geben Sie cluster oder urgency an.")
    if "urgency" in sent and payload.urgency is None:
        raise ValidationError({"urgency": "Die Dringlichkeit darf nicht leer sein."})
    cluster = None
    if payload.cluster is not None:
        cluster = TopicCluster.objects.in_network(obj.network).filter(slug=payload.cluster).first()
        if cluster is None:
            raise ValidationError({"cluster": "Dieses Themencluster gibt es im Netzwerk nicht."})
    version = payload.expected_version
    with transaction.atomic():  # both changes or neither
        if "cluster" in sent:
            obj = set_request_cluster(
                actor=user, request=obj, cluster=cluster, expected_version=version
            )
            version = obj.version if version is not None else None
        if payload.urgency is not None:
            obj = set_request_urgency(
                actor=user, request=obj, urgency=payload.urgency, expected_version=version
            )
    return _out(request, obj)


@router.post(
    "/{request_id}/watch",
    response=WatchOut,
    summary="Anfrage beobachten (Benachrichtigungen zu Änderungen)",
)
def watch(request: HttpRequest, request_id: int) -> WatchOut:
    user, obj = _visible(request, request_id)
    watch_request(actor=user, request=obj)
    return WatchOut(watching=True)


@router.delete(
    "/{request_id}/watch",
    response=WatchOut,
    summary="Nicht mehr beobachten",
)
def unwatch(request: HttpRequest, request_id: int) -> WatchOut:
    user, obj = _visible(request, request_id)
    unwatch_request(actor=user, request=obj)
    return WatchOut(watching=False)
