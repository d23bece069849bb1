"""How a conversation is shown: exchanges (question + answer), the chat's context, and where a
plain form POST returns to. Shared by the views and the template tags (widget, help page).

A chat is shown in one of three places (``ui``): its own page, "Hilfe finden", the widget.
The place decides the prefix of every id in the chat (a page could hold two chats) and where
the browser goes after a POST without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.assistant.services import MAX_QUESTION_LENGTH, retention_days
from amtshilfe.lib import markdown

PREFIXES = {"page": "assistent", "help": "assistent-hilfe", "widget": "assistent-widget"}


@dataclass
class Exchange:
    """One question and the answer to it, ready for ``assistant/_exchange.html``."""

    question_text: str
    answer: Message
    html: SafeString
    citations: list[dict[str, str]]
    anchor: str
    handover_url: str
    offers_handover: bool


def answer_html(text: str) -> SafeString:
    """The answer's Markdown as sanitised HTML (nh3 in ``lib.markdown``): no script, event
    handler or ``javascript:`` link survives, whatever an article or the model wrote."""
    return mark_safe(markdown.render(text).html)  # noqa: S308 – sanitised by lib.markdown


def safe_citations(citations: Any) -> list[dict[str, str]]:
    """The stored citations, only with links inside Amtshilfe (a path, never another host)."""
    safe = []
    for citation in citations or []:
        if not isinstance(citation, dict):
            continue
        url = str(citation.get("url", ""))
        if not url.startswith("/") or url.startswith("//") or "\\" in url:
            continue
        safe.append(
            {
                "slug": str(citation.get("slug", "")),
                "title": str(citation.get("title", "")) or url,
                "url": url,
            }
        )
    return safe


def handover_url(conversation: Conversation) -> str:
    return reverse("assistant:handover") + "?" + urlencode({"gespraech": str(conversation.pk)})


def make_exchange(
    *, ui: str, conversation: Conversation, question_text: str, answer: Message
) -> Exchange:
    return Exchange(
        question_text=question_text,
        answer=answer,
        html=answer_html(answer.text),
        citations=safe_citations(answer.citations),
        anchor=f"{PREFIXES[ui]}-antwort-{answer.pk}",
        handover_url=handover_url(conversation),
        offers_handover=answer.kind == Message.Kind.UNKNOWN,
    )


def exchanges_of(conversation: Conversation | None, *, ui: str) -> list[Exchange]:
    """Questions and answers in order; a question still without answer is left out."""
    if conversation is None:
        return []
    exchanges: list[Exchange] = []
    question = ""
    for message in conversation.messages.order_by("created_at", "id"):
        if message.role == Message.Role.USER:
            question = message.text
        else:
            exchanges.append(
                make_exchange(
                    ui=ui, conversation=conversation, question_text=question, answer=message
                )
            )
            question = ""
    return exchanges


def _question_errors(form: Any) -> list[str]:
    """The form's messages shown at the question field (the only visible field)."""
    if form is None or not form.errors:
        return []
    return [str(message) for errors in form.errors.values() for message in errors]


def chat_context(
    *,
    ui: str,
    conversation: Conversation | None,
    form: Any = None,
    question: str = "",
) -> dict[str, Any]:
    """What ``assistant/_chat.html`` needs (under the name ``chat``)."""
    headings = {
        "page": _("Ihr Gespräch") if conversation else _("Ihre Frage an den Assistenten"),
        "help": _("Oder fragen Sie den KI-Assistenten"),
        "widget": _("KI-Assistent"),
    }
    new_urls = {
        "page": reverse("assistant:chat"),
        "help": reverse("board:help") + "#" + PREFIXES["help"],
        "widget": "",
    }
    return {
        "ui": ui,
        "prefix": PREFIXES[ui],
        "heading": headings[ui],
        "conversation": conversation,
        "exchanges": exchanges_of(conversation, ui=ui),
        "errors": _question_errors(form),
        "question": question,
        "max_length": MAX_QUESTION_LENGTH,
        "retention_days": retention_days(),
        "new_url": new_urls[ui],
    }


def return_url(*, ui: str, conversation: Conversation, anchor: str = "") -> str:
    """Where the browser goes after a POST without JavaScript: "Hilfe finden" stays there
    (with the conversation in the query string), the page and the widget go to the
    conversation's page (the widget is closed after a reload)."""
    fragment = f"#{anchor}" if anchor else ""
    if ui == "help":
        query = urlencode({"gespraech": str(conversation.pk)})
        return f"{reverse('board:help')}?{query}{fragment or '#' + PREFIXES['help']}"
    return reverse("assistant:conversation", args=[conversation.pk]) + fragment
