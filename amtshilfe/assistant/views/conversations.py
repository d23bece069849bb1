"""'Meine Gespräche': the person's own conversations; delete one or all (after confirming).

Deleting asks on a page of its own (GET) and deletes on POST, so it works without JavaScript
and a slip of the finger on the list deletes nothing.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.assistant.access import get_conversation_for_user
from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.assistant.services import (
    delete_all_conversations,
    delete_conversation,
    retention_days,
)
from amtshilfe.lib.service_errors import flash_service_error
from amtshilfe.tenancy.access import require_network

PAGE_SIZE = 25


@login_required
def conversation_list(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    rows = (
        Conversation.objects.for_user(request.user)
        .in_network(network)
        .annotate(question_count=Count("messages", filter=Q(messages__role=Message.Role.USER)))
        .order_by("-updated_at", "-created_at")
    )
    page_number = request.GET.get("seite", "1")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number if page_number.isdigit() else "1")
    return render(
        request,
        "assistant/conversations.html",
        {"page": page, "query_string": "", "retention_days": retention_days()},
    )


@login_required
def delete(request: AuthenticatedRequest, conversation_id: uuid.UUID) -> HttpResponse:
    network = require_network(request)
    conversation, _can_write = get_conversation_for_user(request.user, network, conversation_id)
    if request.method != "POST":
        return render(request, "assistant/confirm_delete.html", {"conversation": conversation})
    try:
        delete_conversation(user=request.user, conversation_id=conversation.pk)
    except ValidationError as error:
        flash_service_error(request, error)
    else:
        messages.success(request, _("Das Gespräch ist gelöscht."))
    return redirect("assistant:conversations")


@login_required
def delete_all(request: AuthenticatedRequest) -> HttpResponse:
    require_network(request)
    if request.method != "POST":
        count = Conversation.objects.for_user(request.user).count()
        if not count:
            messages.info(request, _("Sie haben keine gespeicherten Gespräche."))
            return redirect("assistant:conversations")
        return render(request, "assistant/confirm_delete_all.html", {"count": count})
    deleted = delete_all_conversations(user=request.user)
    messages.success(
        request,
        ngettext("%(n)s Gespräch ist gelöscht.", "%(n)s Gespräche sind gelöscht.", deleted)
        % {"n": deleted},
    )
    return redirect("assistant:conversations")
