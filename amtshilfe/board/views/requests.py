"""The request list (``/anfragen/``), a request's page and its attachments.

Both pages run a constant number of SQL queries however many requests, comments or events
there are: rows come with ``select_related``, the history is rendered from the event rows
(``request_display``), and the list counts once and fetches one page. The changes on a
request's page (POST) are in ``request_actions``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.board import access
from amtshilfe.board.forms import (
    AttachmentUploadForm,
    CloseForm,
    CommentForm,
    RatingForm,
    ReopenForm,
    RequestFilterForm,
)
from amtshilfe.board.models import RequestEvent, ServiceRequest, Watcher
from amtshilfe.board.triage import suggest_experts, workload
from amtshilfe.board.views.request_display import history, relative_time, status_line
from amtshilfe.experts.models import TopicCluster
from amtshilfe.tenancy.access import (
    current_memberships,
    is_coordinator,
    is_it_specialist,
    require_network,
)
from amtshilfe.tenancy.models import Municipality, Network

PAGE_SIZE = 25
SUGGESTIONS = 5
# Even if a browser were to render a file itself, it could run nothing and load nothing.
ATTACHMENT_CSP = "default-src 'none'; sandbox"
NUMBER = re.compile(r"^#?\s*(\d{1,9})$")

URGENCY_ORDER = [
    ServiceRequest.Urgency.CRITICAL,
    ServiceRequest.Urgency.HIGH,
    ServiceRequest.Urgency.NORMAL,
    ServiceRequest.Urgency.LOW,
]


# --- list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    request: ServiceRequest
    age: str
    changed: str
    mine: bool


def _filtered(rows: Any, data: dict[str, Any], user: Any) -> Any:
    status = data.get("status") or "open"
    if status == "open":
        rows = rows.open()
    elif status == "closed":
        rows = rows.filter(status__in=ServiceRequest.FINISHED)
    if data.get("municipality"):
        rows = rows.filter(municipality=data["municipality"])
    if data.get("cluster"):
        rows = rows.filter(cluster=data["cluster"])
    if data.get("urgency"):
        rows = rows.filter(urgency=data["urgency"])
    if data.get("mine"):
        rows = rows.filter(Q(requester=user) | Q(assignee=user))
    if data.get("assigned"):
        rows = rows.filter(assignee=user)
    text = (data.get("q") or "").strip()
    if text:
        number = NUMBER.match(text)
        condition = Q(title__icontains=text)
        if number:
            condition |= Q(number=int(number.group(1)))
        rows = rows.filter(condition)
    return rows


class Segments:
    """A list for ``Paginator`` made of querysets shown one after the other.

    "Mine first" and "most urgent first" as segments (own requests, then the others; critical,
    high, normal, low), each newest first along the ``(network, created_at, id)`` index –
    instead of sorting every visible request by a CASE expression. One count per segment
    and at most one slice per segment for a page, however many requests exist.
    """

    def __init__(self, parts: list[Any]) -> None:
        self.parts = [part.order_by("-created_at", "-id") for part in parts]
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [int(part.count()) for part in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[ServiceRequest]:
        start, stop = window.start or 0, window.stop
        items: list[ServiceRequest] = []
        offset = 0
        for part, size in zip(self.parts, self.counts(), strict=True):
            if start < offset + size and stop > offset:
                items += list(part[max(0, start - offset) : stop - offset])
            offset += size
        return items


def _sorted(rows: Any, sort: str, user: Any) -> Any:
    if sort == "oldest":
        return rows.order_by("created_at", "id")
    if sort == "urgency":
        return Segments([rows.filter(urgency=urgency) for urgency in URGENCY_ORDER])
    if sort == "changed":
        return rows.order_by("-updated_at", "-id")
    if sort == "mine":
        own = Q(requester=user) | Q(assignee=user)
        return Segments([rows.filter(own), rows.exclude(own)])
    return rows.order_by("-created_at", "-id")


@login_required
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    user = request.user
    it_side = is_it_specialist(user, network) or is_coordinator(user, network)
    own = [m.municipality_id for m in current_memberships(user, network)]
    municipalities = Municipality.objects.in_network(network).order_by("name")
    if not it_side:
        municipalities = municipalities.filter(pk__in=own)
    # The form always shows what the list does: missing choices are the defaults.
    query = request.GET.copy()
    query.setdefault("status", "open")
    query.setdefault("sort", "newest" if it_side else "mine")
    form = RequestFilterForm(
        query,
        municipalities=municipalities,
        clusters=TopicCluster.objects.in_network(network).active().order_by("name"),
        it_side=it_side,
    )
    form.is_valid()
    data = form.cleaned_data  # the valid filters apply; an invalid one shows its error
    sort = str(data.get("sort") or query.get("sort", "newest"))
    rows = (
        ServiceRequest.objects.visible_to(user, network)
        .select_related("municipality", "cluster", "assignee")
        .defer("description", "self_help_query", "rating_comment")  # not shown, long
    )
    rows = _sorted(_filtered(rows, data, user), sort, user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("seite"))
    now = timezone.now()
    listed = [
        Row(
            request=r,
            age=relative_time(r.created_at, now),
            changed=relative_time(r.updated_at, now),
            mine=user.pk in (r.requester_id, r.assignee_id),
        )
        for r in page.object_list
    ]
    query_string = urlencode(
        [(k, v) for k, values in request.GET.lists() if k != "seite" for v in values]
    )
    return render(
        request,
        "board/request_list.html",
        {
            "form": form,
            "page": page,
            "rows": listed,
            "query_string": query_string,
            "it_side": it_side,
            "filtered": any(value for key, value in request.GET.items() if key != "seite"),
            "show_municipality_filter": it_side or len(own) > 1,
        },
    )


# --- detail --------------------------------------------------------------------------------


def _suggestions(network: Network, obj: ServiceRequest) -> list[Any]:
    if obj.cluster is None:
        return []
    open_work, load = workload(network)
    found = suggest_experts(
        network=network,
        cluster=obj.cluster,
        text=f"{obj.title}\n{obj.description}",
        limit=SUGGESTIONS + 1,
        open_work=open_work,
        municipality_load=load,
    )
    return [s for s in found if s.user.pk != obj.assignee_id][:SUGGESTIONS]


def detail_context(
    request: AuthenticatedRequest,
    network: Network,
    obj: ServiceRequest,
    it_side: bool,
    **forms: Any,
) -> dict[str, Any]:
    """Everything the request page shows; ``forms`` replaces blank forms (bound, with errors)."""
    user = request.user
    requesting_side = access.is_requesting_side(user, obj)
    events = RequestEvent.objects.filter(request=obj)
    comments = obj.comments.select_related("author")
    if not it_side:
        events, comments = events.public(), comments.public()
    context: dict[str, Any] = {
        "obj": obj,
        "it_side": it_side,
        "requesting_side": requesting_side,
        "status_line": status_line(obj, requesting_side=requesting_side and not it_side),
        "history": history(events.order_by("created_at", "id"), it_side=it_side),
        "comments": list(comments.order_by("created_at", "id")),
        "attachments": list(obj.attachments.order_by("created_at", "id")),
        "watching": Watcher.objects.filter(request=obj, user=user).exists(),
        "article": obj.article_created if obj.article_created_id else None,
        "age": relative_time(obj.created_at),
        "comment_form": CommentForm(),
        "upload_form": AttachmentUploadForm(),
        "rating_form": RatingForm(auto_id="rating_%s"),
        "close_form": CloseForm(initial={"version": obj.version}, auto_id="close_%s"),
        "reopen_form": ReopenForm(initial={"version": obj.version}, auto_id="reopen_%s"),
        "can_rate": (
            obj.status == ServiceRequest.Status.DONE
            and obj.rating is None
            and access.can_rate(user, obj)
        ),
        "can_reopen": obj.is_finished and (requesting_side or it_side),
    }
    context.update(forms)
    if it_side:
        can_assign = access.can_assign(user, obj)
        context.update(
            {
                "can_take": obj.assignee_id != user.pk and access.can_take(user, obj),
                "can_assign": can_assign,
                "can_give_back": obj.assignee_id is not None
                and (can_assign or obj.assignee_id == user.pk),
                "suggestions": _suggestions(network, obj) if can_assign else [],
                "columns": list(obj.column.board.columns.order_by("position")),
                "clusters": list(TopicCluster.objects.in_network(network).active()),
                "urgencies": ServiceRequest.Urgency.choices,
                "confidence_percent": (
                    round(obj.triage_confidence * 100)
                    if obj.triage_confidence is not None
                    else None
                ),
                "suggested_cluster": (
                    obj.suggested_cluster
                    if obj.suggested_cluster_id and obj.suggested_cluster_id != obj.cluster_id
                    else None
                ),
                "can_make_article": obj.is_finished
                and obj.cluster_id is not None
                and obj.article_created_id is None,
            }
        )
    return context


def load_request(request: AuthenticatedRequest, pk: int) -> tuple[Network, ServiceRequest, bool]:
    network = require_network(request)
    obj, it_side = access.get_request_for_user(request.user, network, pk)
    return network, obj, it_side


def render_detail(
    request: AuthenticatedRequest,
    network: Network,
    obj: ServiceRequest,
    it_side: bool,
    **forms: Any,
) -> HttpResponse:
    context = detail_context(request, network, obj, it_side, **forms)
    return render(request, "board/request_detail.html", context)


@login_required
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network, obj, it_side = load_request(request, pk)
    return render_detail(request, network, obj, it_side)


@login_required
def attachment(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of the request, only for those who may see the request (else 404)."""
    _network, obj, _it_side = load_request(request, pk)
    file = get_object_or_404(obj.attachments, pk=attachment_pk)
    try:
        handle = file.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not file.is_image,
        filename=file.original_name,
        content_type=file.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cache-Control"] = "private, no-cache"
    return response
