"""The chat: asking (``/assistent/``), one conversation, "Hat das geholfen?".

1. GET ``/assistent/`` starts a conversation; GET ``/assistent/gespraeche/<id>/`` shows one of
   the person's own conversations and continues it.
2. POST ``/assistent/frage/`` asks (``ask_assistant``). Without JavaScript the browser is redirected
   back to the conversation (POST → redirect → GET); ``assistant.js`` sends the header
   ``X-Amtshilfe-Fragment`` and gets JSON with the new exchange's HTML to append.
3. POST ``/assistent/antworten/<pk>/rueckmeldung/`` records "Hat das geholfen?" the same way.

Bad input comes back with a German message and the question still filled in.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtshilfe.accounts.http import AuthenticatedRequest
from amtshilfe.assistant.access import (
    get_answer_for_user,
    get_conversation_for_user,
)
from amtshilfe.assistant.forms import FeedbackForm, QuestionForm
from amtshilfe.assistant.models import Conversation
from amtshilfe.assistant.services import ask_assistant, record_answer_feedback
from amtshilfe.assistant.views.display import chat_context, make_exchange, return_url
from amtshilfe.lib.service_errors import add_service_errors
from amtshilfe.tenancy.access import require_network

FRAGMENT_HEADER = "X-Amtshilfe-Fragment"


def wants_fragment(request: AuthenticatedRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "1"


def _ui(request: AuthenticatedRequest) -> str:
    """Where the chat was shown (``page``, ``help``, ``widget``); anything else is the page."""
    ui = request.POST.get("ui", "")
    return ui if ui in {"help", "widget"} else "page"


def _errors(form: Any) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@login_required
@require_GET
def chat(request: AuthenticatedRequest) -> HttpResponse:
    require_network(request)
    context = {"chat": chat_context(ui="page", conversation=None)}
    return render(request, "assistant/chat.html", context)


@login_required
@require_GET
def conversation(request: AuthenticatedRequest, conversation_id: uuid.UUID) -> HttpResponse:
    network = require_network(request)
    found, _can_write = get_conversation_for_user(request.user, network, conversation_id)
    context = {"chat": chat_context(ui="page", conversation=found)}
    return render(request, "assistant/chat.html", context)


@login_required
@require_POST
def ask(request: AuthenticatedRequest) -> HttpResponse:
    network = require_network(request)
    form = QuestionForm(request.POST)
    conversation: Conversation | None = None
    ui = _ui(request)
    raw_id = request.POST.get("conversation", "").strip()
    if raw_id:
        try:
            conversation, _can_write = get_conversation_for_user(request.user, network, raw_id)
        except Http404:
            if not wants_fragment(request):
                raise
            # Deleted meanwhile (e.g. in another tab): say so instead of a 404 page.
            message = _("Dieses Gespräch gibt es nicht mehr. Bitte beginnen Sie ein neues.")
            return JsonResponse({"errors": [message]}, status=404)
    if form.is_valid():
        try:
            answer = ask_assistant(
                user=request.user,
                network=network,
                question=form.cleaned_data["question"],
                conversation_id=conversation.pk if conversation else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            exchange = make_exchange(
                ui=ui,
                conversation=answer.conversation,
                question_text=form.cleaned_data["question"],
                answer=answer.message,
            )
            if wants_fragment(request):
                chat = chat_context(ui=ui, conversation=None)
                html = render_to_string(
                    "assistant/_exchange.html",
                    {"chat": chat, "exchange": exchange},
                    request=request,
                )
                return JsonResponse(
                    {
                        "conversation_id": str(answer.conversation.pk),
                        "conversation_url": reverse(
                            "assistant:conversation", args=[answer.conversation.pk]
                        ),
                        "message_id": answer.message.pk,
                        "kind": answer.kind,
                        "confident": answer.confident,
                        "html": html,
                    }
                )
            url = return_url(ui=ui, conversation=answer.conversation, anchor=exchange.anchor)
            return redirect(url)
    if wants_fragment(request):
        return JsonResponse({"errors": _errors(form)}, status=422)
    # Without JavaScript the errors are shown on the assistant's own page (also for the
    # widget and "Hilfe finden"), with the conversation and the question kept.
    context = {
        "chat": chat_context(
            ui="page",
            conversation=conversation,
            form=form,
            question=request.POST.get("question", ""),
        )
    }
    return render(request, "assistant/chat.html", context, status=400)


@login_required
@require_POST
def feedback(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    require_network(request)
    answer = get_answer_for_user(request.user, message_id)
    form = FeedbackForm(request.POST)
    ui = _ui(request)
    error_messages: list[str] = []
    if form.is_valid():
        try:
            answer = record_answer_feedback(
                user=request.user,
                message_id=answer.pk,
                helped=form.cleaned_data["helped"] == "ja",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            error_messages = list(error.messages)
    else:
        error_messages = _errors(form)
    exchange = make_exchange(
        ui=ui, conversation=answer.conversation, question_text="", answer=answer
    )
    if wants_fragment(request):
        if error_messages:
            return JsonResponse({"errors": error_messages}, status=422)
        html = render_to_string(
            "assistant/_feedback.html",
            {"chat": {"ui": ui}, "exchange": exchange},
            request=request,
        )
        return JsonResponse({"html": html})
    if error_messages:
        for message in error_messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Danke für Ihre Rückmeldung."))
    return redirect(return_url(ui=ui, conversation=answer.conversation, anchor=exchange.anchor))
