"""`/api/v1/decisions`: steering-group proposals – list, read, vote, comment.

The same rules as the pages (``decisions/access.py``):

- the list holds what the caller may see: coordination and audit everything, the steering
  group everything but drafts, other members the decided proposals (the register);
- an invisible proposal answers 404, exactly like a missing one;
- only steering-group members vote (403 otherwise), only while voting is open (422 after);
  comments from the steering group and the coordination while the proposal is not decided;
- individual votes are never listed – only counts, and the caller's own vote.

Proposals whose deadline has passed are decided lazily before they are read, as on the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from amtshilfe.accounts.models import User
from amtshilfe.decisions import access
from amtshilfe.decisions.models import DecisionReasons, Proposal, ProposalComment, Vote
from amtshilfe.decisions.services import (
    add_proposal_comment,
    cast_vote,
    close_due_proposals,
    close_proposal_if_due,
)
from amtshilfe.decisions.views.rendering import markdown_html, proposal_rules_text
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["decisions"])

StatusValue = Literal["draft", "open", "decided", "withdrawn"]
ChoiceValue = Literal["accept", "reject", "defer"]
MAX_LIMIT = 100

# --- schemas -------------------------------------------------------------------------------


class ProposalSummaryOut(Schema):
    id: int
    number: str
    subject: str
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    deadline: dt.datetime | None
    decided_at: dt.datetime | None
    url: str


class ProposalListOut(Schema):
    count: int
    items: list[ProposalSummaryOut]


class ProposalListParams(Schema):
    status: StatusValue | None = None
    limit: int = 50
    offset: int = 0


class CountsOut(Schema):
    """Votes cast so far; the split by choice only once the proposal is decided."""

    voted: int
    eligible: int | None
    accept: int | None
    reject: int | None
    defer: int | None


class CommentOut(Schema):
    id: int
    author: str | None
    body: str
    body_html: str
    created_at: dt.datetime


class ReasonsOut(Schema):
    text: str
    text_html: str
    author: str | None
    created_at: dt.datetime


class OwnVoteOut(Schema):
    choice: str
    choice_label: str
    reason: str
    updated_at: dt.datetime


class AttachmentOut(Schema):
    name: str
    content_type: str
    size: int


class ProposalOut(ProposalSummaryOut):
    background: str
    background_html: str
    options: list[str]
    recommendation: str
    recommendation_html: str
    costs_amount: Decimal | None
    costs_text: str
    result_visibility: str
    supersedes: str | None
    opened_at: dt.datetime | None
    rules: str
    counts: CountsOut
    reasons: ReasonsOut | None
    comments: list[CommentOut]
    attachments: list[AttachmentOut]
    own_vote: OwnVoteOut | None
    can_vote: bool
    can_comment: bool


class VoteIn(Schema):
    choice: ChoiceValue
    reason: str = ""


class CommentIn(Schema):
    body: str


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


def _load(user: User, network: Network, proposal_id: int) -> Proposal:
    """The proposal if visible (404 otherwise), decided first if its deadline has passed."""
    proposal, _can_write = access.get_proposal_for_user(user, network, proposal_id)
    due = proposal.deadline is not None and proposal.deadline <= timezone.now()
    if proposal.status == Proposal.Status.OPEN and due and close_proposal_if_due(proposal=proposal):
        proposal, _can_write = access.get_proposal_for_user(user, network, proposal_id)
    return proposal


def _summary(request: HttpRequest, proposal: Proposal) -> ProposalSummaryOut:
    return ProposalSummaryOut(
        id=proposal.pk,
        number=proposal.number,
        subject=proposal.subject,
        status=proposal.status,
        status_label=proposal.get_status_display(),
        outcome=proposal.outcome,
        outcome_label=proposal.get_outcome_display() if proposal.outcome else "",
        deadline=proposal.deadline,
        decided_at=proposal.decided_at,
        url=request.build_absolute_uri(reverse("decisions:detail", args=[proposal.pk])),
    )


def _comment_out(comment: ProposalComment, *, user: User, network: Network) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        author=comment.author.full_name if comment.author else None,
        body=comment.body,
        body_html=markdown_html(comment.body, user=user, network=network),
        created_at=comment.created_at,
    )


def _detail(request: HttpRequest, proposal: Proposal, user: User) -> ProposalOut:
    network = proposal.network
    decided = proposal.status == Proposal.Status.DECIDED
    reasons = DecisionReasons.objects.filter(proposal=proposal).select_related("author").first()
    own = Vote.objects.filter(proposal=proposal, voter=user).first()
    comments = proposal.comments.select_related("author")
    return ProposalOut(
        **_summary(request, proposal).model_dump(),
        background=proposal.background,
        background_html=markdown_html(proposal.background, user=user, network=network),
        options=[str(option) for option in proposal.options],
        recommendation=proposal.recommendation,
        recommendation_html=markdown_html(proposal.recommendation, user=user, network=network),
        costs_amount=proposal.costs_amount,
        costs_text=proposal.costs_text,
        result_visibility=proposal.result_visibility,
        supersedes=proposal.supersedes.number if proposal.supersedes else None,
        opened_at=proposal.opened_at,
        rules=proposal_rules_text(proposal),
        counts=CountsOut(
            voted=proposal.votes.count(),
            eligible=proposal.eligible_count,
            accept=proposal.accept_count if decided else None,
            reject=proposal.reject_count if decided else None,
            defer=proposal.defer_count if decided else None,
        ),
        reasons=ReasonsOut(
            text=reasons.text,
            text_html=markdown_html(reasons.text, user=user, network=network),
            author=reasons.author.full_name if reasons.author else None,
            created_at=reasons.created_at,
        )
        if reasons
        else None,
        comments=[_comment_out(c, user=user, network=network) for c in comments],
        attachments=[
            AttachmentOut(name=a.original_name, content_type=a.content_type, size=a.size)
            for a in proposal.attachments.all()
        ],
        own_vote=OwnVoteOut(
            choice=own.choice,
            choice_label=own.get_choice_display(),
            reason=own.reason,
            updated_at=own.updated_at,
        )
        if own
        else None,
        can_vote=access.can_vote(user, proposal),
        can_comment=access.can_comment(user, proposal),
    )


# --- endpoints -----------------------------------------------------------------------------


@router.get("", response=ProposalListOut, summary="Sichtbare Vorlagen (neueste zuerst)")
def list_proposals(request: HttpRequest, params: Query[ProposalListParams]) -> ProposalListOut:
    user, network = _user(request), _network(request)
    if not 1 <= params.limit <= MAX_LIMIT or params.offset < 0:
        raise HttpError(422, f"limit muss zwischen 1 und {MAX_LIMIT} liegen, offset ab 0.")
    close_due_proposals(network=network)  # lazily, as the list page does
    proposals = Proposal.objects.visible_to(user, network)
    if params.status:
        proposals = proposals.filter(status=params.status)
    page = proposals.order_by("-year", "-sequence")[params.offset : params.offset + params.limit]
    return ProposalListOut(
        count=proposals.count(), items=[_summary(request, proposal) for proposal in page]
    )


@router.get(
    "/{proposal_id}",
    response=ProposalOut,
    summary="Eine Vorlage mit Optionen, Stimmenzahl, Ergebnis, Begründung und Kommentaren",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> ProposalOut:
    user, network = _user(request), _network(request)
    return _detail(request, _load(user, network, proposal_id), user)


@router.post(
    "/{proposal_id}/vote",
    response=ProposalOut,
    summary="Abstimmen oder die eigene Stimme ändern (nur Steuerungsgruppe, bis zur Frist)",
)
def vote(request: HttpRequest, proposal_id: int, payload: VoteIn) -> ProposalOut:
    user, network = _user(request), _network(request)
    proposal = _load(user, network, proposal_id)
    cast_vote(actor=user, proposal=proposal, choice=payload.choice, reason=payload.reason)
    return _detail(request, _load(user, network, proposal_id), user)


@router.post(
    "/{proposal_id}/comments",
    response={201: CommentOut},
    summary="Kommentar schreiben (Steuerungsgruppe und Koordination, bis zur Entscheidung)",
)
def comment(request: HttpRequest, proposal_id: int, payload: CommentIn) -> CommentOut:
    user, network = _user(request), _network(request)
    proposal = _load(user, network, proposal_id)
    created = add_proposal_comment(actor=user, proposal=proposal, body=payload.body)
    return _comment_out(created, user=user, network=network)  # the only response declared: 201
