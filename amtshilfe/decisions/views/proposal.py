"""One proposal: reading it, voting, commenting, opening the vote, withdrawing, the reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.decisions import access, services
from amtshilfe.decisions.announcements import steering_members
from amtshilfe.decisions.forms import (
    CommentForm,
    OpenVotingForm,
    ReasonsForm,
    VoteForm,
    WithdrawForm,
)
from amtshilfe.decisions.models import DecisionReasons, Proposal, Vote
from amtshilfe.decisions.views.rendering import markdown_html, proposal_rules_text, rules_text
from amtshilfe.lib.service_errors import add_service_errors, flash_form_errors, flash_service_error
from amtshilfe.tenancy.access import is_coordinator, network_roles, require_network
from amtshilfe.tenancy.models import NetworkRole


def _load(request: AuthenticatedRequest, pk: int) -> tuple[Proposal, bool]:
    """The proposal (404 if invisible), decided first if its deadline has passed."""
    network = require_network(request)
    proposal, can_write = access.get_proposal_for_user(request.user, network, pk)
    due = proposal.deadline is not None and proposal.deadline <= timezone.now()
    overdue = proposal.status == Proposal.Status.OPEN and due
    if overdue and services.close_proposal_if_due(proposal=proposal):
        proposal, can_write = access.get_proposal_for_user(request.user, network, pk)
    return proposal, can_write


def _context(
    request: AuthenticatedRequest, proposal: Proposal, can_write: bool, **forms: Any
) -> dict[str, Any]:
    user, network = request.user, proposal.network
    roles = network_roles(user, network)
    render_md: dict[str, Any] = {"user": user, "network": network}
    own_vote = Vote.objects.filter(proposal=proposal, voter=user).first()
    can_vote = access.can_vote(user, proposal)
    vote_form = forms.get("vote_form")
    if vote_form is None and can_vote:
        initial = {"choice": own_vote.choice, "reason": own_vote.reason} if own_vote else None
        vote_form = VoteForm(initial=initial, auto_id="vote_%s")
    reasons = DecisionReasons.objects.filter(proposal=proposal).first()
    comments = [
        {"comment": c, "html": markdown_html(c.body, **render_md)}
        for c in proposal.comments.select_related("author")
    ]
    sees_history = bool(roles & {NetworkRole.Role.COORDINATOR, NetworkRole.Role.AUDITOR})
    return {
        "proposal": proposal,
        "can_write": can_write,
        "can_edit": can_write and proposal.status == Proposal.Status.DRAFT,
        "governance": access.can_read_governance(user, network),
        "background_html": markdown_html(proposal.background, **render_md),
        "recommendation_html": markdown_html(proposal.recommendation, **render_md),
        "costs_html": markdown_html(proposal.costs_text, **render_md),
        "attachments": list(proposal.attachments.all()),
        "revisions": list(proposal.revisions.select_related("author")) if sees_history else [],
        "comments": comments,
        "can_comment": access.can_comment(user, proposal),
        "comment_form": forms.get("comment_form") or CommentForm(auto_id="comment_%s"),
        "can_vote": can_vote,
        "vote_form": vote_form,
        "own_vote": own_vote,
        "voted_count": proposal.votes.count(),
        "rules": proposal_rules_text(proposal),
        "reasons": reasons,
        "reasons_html": markdown_html(reasons.text, **render_md) if reasons else "",
        "reasons_form": forms.get("reasons_form") or ReasonsForm(auto_id="reasons_%s"),
        "withdraw_form": WithdrawForm(auto_id="withdraw_%s"),
        "successors": list(proposal.superseded_by.exclude(status=Proposal.Status.WITHDRAWN)),
        "is_coordinator": is_coordinator(user, network),
    }


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal, can_write = _load(request, pk)
    return render(request, "decisions/detail.html", _context(request, proposal, can_write))


@login_required
@require_POST
def vote(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal, can_write = _load(request, pk)
    form = VoteForm(request.POST, auto_id="vote_%s")
    if form.is_valid():
        try:
            services.cast_vote(
                actor=request.user,
                proposal=proposal,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihre Stimme ist gespeichert."))
            return redirect("decisions:detail", pk=proposal.pk)
    context = _context(request, proposal, can_write, vote_form=form)
    return render(request, "decisions/detail.html", context, status=400)


@login_required
@require_POST
def comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal, can_write = _load(request, pk)
    form = CommentForm(request.POST, auto_id="comment_%s")
    if form.is_valid():
        try:
            services.add_proposal_comment(
                actor=request.user, proposal=proposal, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ihr Kommentar ist gespeichert."))
            return redirect("decisions:detail", pk=proposal.pk)
    context = _context(request, proposal, can_write, comment_form=form)
    return render(request, "decisions/detail.html", context, status=400)


@login_required
@require_POST
def record_reasons(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    proposal = access.get_proposal_for_user_rw(request.user, network, pk)
    form = ReasonsForm(request.POST, auto_id="reasons_%s")
    if form.is_valid():
        try:
            services.record_decision_reasons(
                actor=request.user, proposal=proposal, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Die Begründung ist festgehalten."))
            return redirect("decisions:detail", pk=proposal.pk)
    context = _context(request, proposal, True, reasons_form=form)
    return render(request, "decisions/detail.html", context, status=400)


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    proposal = access.get_proposal_for_user_rw(request.user, network, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("decisions:detail", pk=proposal.pk)
    try:
        services.withdraw_proposal(
            actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Die Vorlage ist zurückgezogen."))
    return redirect("decisions:detail", pk=proposal.pk)


@login_required
def open_voting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    proposal = access.get_proposal_for_user_rw(request.user, network, pk)
    if proposal.status != Proposal.Status.DRAFT:
        messages.error(request, _("Die Abstimmung über diese Vorlage ist bereits eröffnet."))
        return redirect("decisions:detail", pk=proposal.pk)
    rules = services.decision_settings(network)
    initial = {
        "deadline_date": timezone.localdate() + dt.timedelta(days=rules.voting_days),
    }
    form = OpenVotingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_voting(actor=request.user, proposal=proposal, deadline=form.deadline())
        except ValidationError as error:
            if hasattr(error, "error_dict") and "deadline" in error.error_dict:
                error = ValidationError({"deadline_date": error.error_dict["deadline"]})
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Abstimmung ist eröffnet. Die Steuerungsgruppe ist benachrichtigt."),
            )
            return redirect("decisions:detail", pk=proposal.pk)
    eligible = len(steering_members(network))
    return render(
        request,
        "decisions/open_voting.html",
        {
            "proposal": proposal,
            "form": form,
            "eligible": eligible,
            "rules": rules_text(
                quorum_kind=rules.quorum_kind,
                quorum_value=rules.quorum_value,
                majority_rule=rules.majority_rule,
                eligible=eligible,
            ),
            "time_zone": settings.TIME_ZONE,
        },
        status=400 if form.is_bound else 200,
    )
