"""Writing proposals (coordination): create, edit the draft, attachments; the decision rules."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.decisions import access, services
from amtshilfe.decisions.forms import AttachmentForm, DecisionSettingsForm, ProposalForm
from amtshilfe.decisions.models import Proposal
from amtshilfe.lib.service_errors import add_service_errors, flash_service_error
from amtshilfe.tenancy.access import require_network

# Even if a browser were to render a file itself, it could run nothing and load nothing.
ATTACHMENT_CSP = "default-src 'none'; sandbox"


def _content(form: ProposalForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "subject": data["subject"],
        "background": data["background"],
        "options": data["options"],
        "recommendation": data["recommendation"],
        "costs_amount": data["costs_amount"],
        "costs_text": data["costs_text"],
        "result_visibility": data["result_visibility"],
    }


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    if not access.can_write_proposals(request.user, network):
        raise PermissionDenied
    supersedes = None
    replaces = request.POST.get("ersetzt") or request.GET.get("ersetzt")
    if replaces:
        if not replaces.isdigit():
            raise Http404
        supersedes, _can_write = access.get_proposal_for_user(request.user, network, int(replaces))
    initial = ProposalForm.initial_for(supersedes) if supersedes else None
    form = ProposalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                actor=request.user, network=network, supersedes=supersedes, **_content(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Vorlage %(number)s ist als Entwurf gespeichert.")
                % {"number": proposal.number},
            )
            return redirect("decisions:detail", pk=proposal.pk)
    return render(
        request,
        "decisions/form.html",
        {"form": form, "creating": True, "supersedes": supersedes},
        status=400 if form.is_bound else 200,
    )


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    proposal = access.get_proposal_for_user_rw(request.user, network, pk)
    if proposal.status != Proposal.Status.DRAFT:
        messages.error(request, _("Die Vorlage ist nicht mehr im Entwurf und bleibt unverändert."))
        return redirect("decisions:detail", pk=proposal.pk)
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        initial=ProposalForm.initial_for(proposal),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_proposal(
                actor=request.user,
                proposal=proposal,
                base_version=form.cleaned_data["base_version"] or 0,
                **_content(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Entwurf ist gespeichert."))
            return redirect("decisions:detail", pk=proposal.pk)
    return render(
        request,
        "decisions/form.html",
        {"form": form, "creating": False, "proposal": proposal},
        status=400 if form.is_bound else 200,
    )


@login_required
def attachments(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    network = require_network(request)
    proposal = access.get_proposal_for_user_rw(request.user, network, pk)
    max_mb = settings.AMTSHILFE_ATTACHMENT_MAX_MB
    form = AttachmentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        max_mb=max_mb,
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            attachment = services.add_proposal_attachment(
                actor=request.user,
                proposal=proposal,
                file=uploaded,
                name=uploaded.name or "",
                size=uploaded.size or 0,
            )
        except ValidationError as error:
            add_service_errors(form, ValidationError({"file": error.messages}))
        else:
            messages.success(
                request, _("„%(name)s“ ist angehängt.") % {"name": attachment.original_name}
            )
            return redirect("decisions:attachments", pk=proposal.pk)
    return render(
        request,
        "decisions/attachments.html",
        {"proposal": proposal, "form": form, "attachments": list(proposal.attachments.all())},
        status=400 if form.is_bound else 200,
    )


@login_required
def download(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    network = require_network(request)
    proposal, _can_write = access.get_proposal_for_user(request.user, network, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def remove_attachment(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    network = require_network(request)
    proposal = access.get_proposal_for_user_rw(request.user, network, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_pk)
    try:
        services.remove_proposal_attachment(actor=request.user, attachment=attachment)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(
            request, _("„%(name)s“ ist entfernt.") % {"name": attachment.original_name}
        )
    return redirect("decisions:attachments", pk=proposal.pk)


@login_required
def decision_rules(request: AuthenticatedRequest) -> HttpResponse:
    """The network's quorum and majority rule: the coordination changes them, others read."""
    network = require_network(request)
    user = request.user
    if not access.can_read_governance(user, network):
        raise PermissionDenied
    can_write = access.can_write_proposals(user, network)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    current = services.decision_settings(network)
    form = DecisionSettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_decision_settings(
                actor=user,
                network=network,
                quorum_kind=data["quorum_kind"],
                quorum_value=data["quorum_value"],
                majority_rule=data["majority_rule"],
                voting_days=data["voting_days"],
                reminder_hours=data["reminder_hours"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Die Regeln sind gespeichert. Sie gelten für Abstimmungen, die ab jetzt eröffnet werden."
                ),
            )
            return redirect("decisions:rules")
    return render(
        request,
        "decisions/rules.html",
        {"form": form, "can_write": can_write, "settings_row": current},
        status=400 if form.is_bound else 200,
    )
