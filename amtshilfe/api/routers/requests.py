"""`/api/v1/requests`: file requests, list and read the ones the caller may see, comment.

Every call works in the caller's current network (their first one). Service errors become
422 with the same shape as schema errors (``detail``: list of ``loc``/``msg``), refused
writes 403, invisible requests 404 – like missing ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amtshilfe.accounts.models import User
from amtshilfe.board.access import can_work, get_request_for_user
from amtshilfe.board.models import Comment, ServiceRequest
from amtshilfe.board.services import add_comment, file_request
from amtshilfe.tenancy.access import current_memberships, is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["requests"])

UrgencyValue = Literal["low", "normal", "high", "critical"]
ContactValue = Literal["email", "phone", "app"]
StatusValue = Literal["new", "triage", "in_progress", "waiting", "done", "closed"]


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
    contact_preference: str
    source: str
    municipality: str
    municipality_name: str
    cluster: ClusterOut | None
    column: str
    assignee: str | None
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


class RequestDetailOut(RequestOut):
    can_work: bool
    comments: list[CommentOut]


class RequestListParams(Schema):
    status: StatusValue | None = None
    cluster: str | None = None
    municipality: str | None = None
    limit: int = 20
    offset: int = 0


class RequestListOut(Schema):
    count: int
    items: list[RequestOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # TokenAuth set it
    return user


def _network(request: HttpRequest) -> Network:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    return network


def _out(request: HttpRequest, obj: ServiceRequest) -> RequestOut:
    return RequestOut(
        id=obj.pk,
        number=obj.number,
        title=obj.title,
        description=obj.description,
        status=obj.status,
        status_label=obj.get_status_display(),
        urgency=obj.urgency,
        contact_preference=obj.contact_preference,
        source=obj.source,
        municipality=obj.municipality.slug,
        municipality_name=obj.municipality.name,
        cluster=ClusterOut(slug=obj.cluster.slug, name=obj.cluster.name) if obj.cluster else None,
        column=obj.column.name,
        assignee=obj.assignee.full_name if obj.assignee else None,
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
    network = _network(request)
    if not 1 <= params.limit <= 100:
        raise HttpError(400, "limit muss zwischen 1 und 100 liegen.")
    if params.offset < 0:
        raise HttpError(400, "offset darf nicht negativ sein.")
    rows = ServiceRequest.objects.visible_to(request.user, network).select_related(
        "municipality", "cluster", "column", "assignee"
    )
    if params.status:
        rows = rows.filter(status=params.status)
    if params.cluster:
        rows = rows.filter(cluster__slug=params.cluster)
    if params.municipality:
        rows = rows.filter(municipality__slug=params.municipality)
    page = rows.order_by("-created_at", "-id")[params.offset : params.offset + params.limit]
    return RequestListOut(count=rows.count(), items=[_out(request, row) for row in page])


@router.get("/{request_id}", response=RequestDetailOut, summary="Eine Anfrage mit Kommentaren")
def get_request(request: HttpRequest, request_id: int) -> RequestDetailOut:
    network = _network(request)
    obj, writable = get_request_for_user(request.user, network, request_id)
    comments = Comment.objects.visible_to(request.user, obj).select_related("author")
    return RequestDetailOut(
        **_out(request, obj).model_dump(),
        can_work=writable,
        comments=[_comment_out(comment) for comment in comments],
    )


@router.post(
    "/{request_id}/comments",
    response={201: CommentOut},
    summary="Kommentar schreiben (intern nur für IT-Fachkräfte)",
)
def create_comment(request: HttpRequest, request_id: int, payload: CommentIn) -> CommentOut:
    user, network = _user(request), _network(request)
    obj, _writable = get_request_for_user(user, network, request_id)
    if payload.internal and not can_work(user, obj):
        raise HttpError(403, "Interne Kommentare schreiben nur die IT-Fachkräfte der Anfrage.")
    comment = add_comment(actor=user, request=obj, body=payload.body, internal=payload.internal)
    return _comment_out(comment)
