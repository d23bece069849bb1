"""The chat where other apps' templates show it: the widget (``templates/base.html``) and
"Hilfe finden" (``board/help.html``). Both are included by one line there and decide here
whether and what to show, so that those templates stay unaware of the assistant.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from amtshilfe.assistant.access import get_conversation_for_user
from amtshilfe.assistant.services import MAX_QUESTION_LENGTH
from amtshilfe.assistant.views.display import chat_context
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network

register = template.Library()

# Pages without the widget: public ones (the website, the public decision register) and the
# ones that already show the chat (the assistant's own pages, "Hilfe finden"). The website's
# screens for the coordination (/website/…) are internal and keep it.
HIDDEN_APPS = {"website", "assistant"}
INTERNAL_WEBSITE_PAGES = ("manage", "page_", "contact", "join_request")
HIDDEN_PAGES = {
    ("board", "help"),
    ("decisions", "public_register"),
    ("decisions", "public_detail"),
}


def shows_widget(request: HttpRequest | None) -> bool:
    """Members of the current network on internal pages; never on error or public pages."""
    if request is None or not getattr(request.user, "is_authenticated", False):
        return False
    match = request.resolver_match
    if match is None:
        return False
    internal_website = match.app_name == "website" and (match.url_name or "").startswith(
        INTERNAL_WEBSITE_PAGES
    )
    if match.app_name in HIDDEN_APPS and not internal_website:
        return False
    if (match.app_name, match.url_name) in HIDDEN_PAGES:
        return False
    return is_network_member(request.user, current_network(request))


@register.simple_tag(takes_context=True)
def assistant_widget(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    if not shows_widget(request):
        return SafeString("")
    chat = chat_context(ui="widget", conversation=None)
    return render_to_string("assistant/_widget.html", {"chat": chat}, request=request)


@register.simple_tag(takes_context=True)
def assistant_help_chat(context: dict[str, Any]) -> SafeString:
    """The chat on "Hilfe finden"; ``?gespraech=<id>`` continues one of the person's own
    conversations (where a POST without JavaScript returns to), anybody else's id is ignored;
    without a conversation the search text ``q`` is offered as the question."""
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return SafeString("")
    network = current_network(request)
    if not is_network_member(request.user, network):
        return SafeString("")
    conversation = None
    wanted = request.GET.get("gespraech", "")
    if wanted and network is not None:
        try:
            conversation, _can_write = get_conversation_for_user(request.user, network, wanted)
        except Http404:
            conversation = None
    # What the person described above ("Was ist passiert?") is the natural first question.
    question = "" if conversation else request.GET.get("q", "")[:MAX_QUESTION_LENGTH]
    chat = chat_context(ui="help", conversation=conversation, question=question)
    return render_to_string("assistant/_help_chat.html", {"chat": chat}, request=request)
