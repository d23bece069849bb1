"""Hand-over: "Anfrage stellen" when the assistant could not help (``/assistent/anfrage/``).

1. GET ``?gespraech=<id>``: the help page's request form, prefilled from the person's
   conversation (title = first question, description = the questions and a note that the
   assistant found nothing; ``assistant.services.handover_prefill``).
2. POST files the request through ``board.services.file_request`` with the source
   "assistant", for the requester's municipality exactly as "Hilfe finden" does (a choice only
   for people in several municipalities). Errors come back with everything still filled in.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.assistant.access import get_conversation_for_user
from amtshilfe.assistant.forms import HandoverForm
from amtshilfe.assistant.models import Message
from amtshilfe.assistant.services import handover_prefill
from amtshilfe.board.models import ServiceRequest
from amtshilfe.board.services import file_request
from amtshilfe.board.views.request_display import what_happens_next
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy.access import current_memberships, require_network


@login_required
def handover(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    data = request.POST if request.method == "POST" else request.GET
    conversation_id = data.get("gespraech", "")
    if not conversation_id:
        return redirect("assistant:chat")
    conversation, _can_write = get_conversation_for_user(request.user, network, conversation_id)
    municipalities = [m.municipality for m in current_memberships(request.user, network)]
    questions = list(
        conversation.messages.filter(role=Message.Role.USER)
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )
    context = {"conversation": conversation, "can_file": bool(municipalities)}
    if request.method != "POST":
        title, description = handover_prefill(questions)
        context["form"] = HandoverForm(
            municipalities=municipalities,
            initial={
                "title": title,
                "description": description,
                "self_help_query": questions[0] if questions else "",
            },
        )
        return render(request, "assistant/handover.html", context)
    if not municipalities:
        raise PermissionDenied
    form = HandoverForm(request.POST, municipalities=municipalities)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            filed = file_request(
                actor=request.user,
                network=network,
                municipality=cleaned["municipality"],
                title=cleaned["title"],
                description=cleaned["description"],
                urgency=cleaned["urgency"],
                contact_preference=cleaned["contact_preference"],
                source=ServiceRequest.Source.ASSISTANT,
                self_help_query=cleaned["self_help_query"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Ihre Anfrage #%(number)s ist eingegangen.") % {"number": filed.number}
                + " "
                + what_happens_next(filed),
            )
            return redirect("board:request", pk=filed.pk)
    context["form"] = form
    return render(request, "assistant/handover.html", context, status=400)
