"""The list of proposals with the decision register, and the public register (no login)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.decisions import access
from amtshilfe.decisions.models import DecisionReasons, Proposal
from amtshilfe.decisions.services import close_due_proposals
from amtshilfe.decisions.views.rendering import markdown_html
from amtshilfe.tenancy.access import require_network
from amtshilfe.tenancy.current import current_network

PAGE_SIZE = 25


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    user = request.user
    close_due_proposals(network=network)  # lazily, in case the periodic command lags
    visible = Proposal.objects.visible_to(user, network)
    in_progress = list(
        visible.exclude(status=Proposal.Status.DECIDED)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .order_by("status", "deadline", "-year", "-sequence")
    )
    withdrawn = list(visible.filter(status=Proposal.Status.WITHDRAWN)[:10])
    page = Paginator(
        visible.decided().select_related("decision_reasons").order_by("-decided_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "decisions/index.html",
        {
            "in_progress": in_progress,
            "withdrawn": withdrawn,
            "page": page,
            "can_write": access.can_write_proposals(user, network),
            "governance": access.can_read_governance(user, network),
        },
    )


def public_register(request: HttpRequest) -> HttpResponse:
    network = current_network(request)
    if network is None:
        raise Http404
    page = Paginator(
        Proposal.objects.in_network(network).public().order_by("-decided_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("seite"))
    return render(request, "decisions/public_register.html", {"page": page, "network": network})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = current_network(request)
    if network is None:
        raise Http404
    proposal = get_object_or_404(Proposal.objects.in_network(network).public(), pk=pk)
    reasons = DecisionReasons.objects.filter(proposal=proposal).first()
    return render(
        request,
        "decisions/public_detail.html",
        {
            "proposal": proposal,
            "reasons_html": markdown_html(reasons.text) if reasons else "",
            "network": network,
        },
    )
