"""`/api/v1/assistant`: ask the AI assistant, give feedback, delete conversations.

The same services as the chat pages (``assistant.services``), in the caller's current network:

- ``POST /ask`` answers from the knowledge base the caller may read; ``conversation_id``
  continues one of the caller's own conversations – anybody else's answers 404, exactly like
  a missing one;
- ``POST /feedback`` records "Hat das geholfen?" on one of the caller's answers;
- ``GET /conversations`` lists the caller's conversations in the network, ``GET
  /conversations/{id}`` shows one with its messages ("Meine Gespräche");
- ``DELETE /conversations/{id}`` deletes one of the caller's conversations at once.

Bad input answers 422 with German messages (schema errors and the services'
``ValidationError``, handlers in ``api.py``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from amtshilfe.accounts.models import User
from amtshilfe.assistant.access import (
    get_answer_for_user,
    get_conversation_for_user,
)
from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.assistant.services import (
    ask_assistant,
    delete_conversation,
    record_answer_feedback,
)
from amtshilfe.assistant.views.display import safe_citations
from amtshilfe.tenancy.access import is_network_member
from amtshilfe.tenancy.current import current_network
from amtshilfe.tenancy.models import Network

router = Router(tags=["assistant"])


class AskIn(Schema):
    question: str
    conversation_id: uuid.UUID | None = None


class CitationOut(Schema):
    slug: str
    title: str
    url: str  # absolute URL of the article's page with the passage's anchor


class HandoverOut(Schema):
    """Prefill for filing a request (``POST /requests`` with ``source`` assistant) when the
    assistant could not help."""

    title: str
    description: str


class AnswerOut(Schema):
    answer: str  # Markdown
    answer_html: str  # sanitised HTML of the same answer
    citations: list[CitationOut]
    confident: bool
    kind: Literal["answer", "unknown", "off_topic"]
    conversation_id: uuid.UUID
    message_id: int
    handover: HandoverOut | None


class FeedbackIn(Schema):
    message_id: int
    helped: bool
    comment: str = ""


class FeedbackOut(Schema):
    message_id: int
    helped: bool


class ConversationOut(Schema):
    id: uuid.UUID
    title: str
    questions: int
    created_at: dt.datetime
    updated_at: dt.datetime


class MessageOut(Schema):
    id: int
    role: Literal["user", "assistant"]
    text: str  # Markdown for answers, plain text for questions
    kind: str
    confident: bool
    citations: list[CitationOut]
    helped: bool | None
    created_at: dt.datetime


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # TokenAuth set it
    return user


def _network(request: HttpRequest) -> Network:
    network = current_network(request)
    if network is None or not is_network_member(request.user, network):
        raise HttpError(404, "Sie gehören keinem Netzwerk an.")
    return network


@router.post("/ask", response=AnswerOut, summary="Den KI-Assistenten fragen")
def ask(request: HttpRequest, payload: AskIn) -> AnswerOut:
    user, network = _user(request), _network(request)
    if payload.conversation_id is not None:
        get_conversation_for_user(user, network, payload.conversation_id)  # 404 if not own
    answer = ask_assistant(
        user=user,
        network=network,
        question=payload.question,
        conversation_id=payload.conversation_id,
    )
    handover = (
        HandoverOut(title=answer.handover_title, description=answer.handover_description)
        if answer.kind == "unknown"
        else None
    )
    return AnswerOut(
        answer=answer.answer_markdown,
        answer_html=answer.answer_html,
        citations=[
            CitationOut(slug=c.slug, title=c.title, url=request.build_absolute_uri(c.url))
            for c in answer.citations
        ],
        confident=answer.confident,
        kind=answer.kind,  # type: ignore[arg-type]
        conversation_id=answer.conversation.pk,
        message_id=answer.message.pk,
        handover=handover,
    )


@router.post("/feedback", response=FeedbackOut, summary="Rückmeldung: Hat das geholfen?")
def feedback(request: HttpRequest, payload: FeedbackIn) -> FeedbackOut:
    user = _user(request)
    _network(request)
    get_answer_for_user(user, payload.message_id)  # 404 if not one of the caller's answers
    message = record_answer_feedback(
        user=user, message_id=payload.message_id, helped=payload.helped, comment=payload.comment
    )
    return FeedbackOut(message_id=message.pk, helped=bool(message.helped))


def _conversation_out(conversation: Conversation, questions: int) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "title": conversation.title,
        "questions": questions,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
    }


@router.get(
    "/conversations", response=list[ConversationOut], summary="Meine Gespräche (neueste zuerst)"
)
def conversations(request: HttpRequest) -> list[dict[str, Any]]:
    user, network = _user(request), _network(request)
    rows = (
        Conversation.objects.for_user(user)
        .in_network(network)
        .annotate(question_count=Count("messages", filter=Q(messages__role=Message.Role.USER)))
        .order_by("-updated_at", "-created_at")
    )
    return [_conversation_out(row, row.question_count) for row in rows]  # type: ignore[attr-defined]


@router.get(
    "/conversations/{conversation_id}",
    response=ConversationDetailOut,
    summary="Ein eigenes Gespräch mit allen Nachrichten",
)
def conversation(request: HttpRequest, conversation_id: uuid.UUID) -> dict[str, Any]:
    user, network = _user(request), _network(request)
    found, _can_write = get_conversation_for_user(user, network, conversation_id)
    messages = list(found.messages.order_by("created_at", "id"))
    return {
        **_conversation_out(found, sum(m.role == Message.Role.USER for m in messages)),
        "messages": [
            {
                "id": m.pk,
                "role": m.role,
                "text": m.text,
                "kind": m.kind,
                "confident": m.confident,
                "citations": [
                    {**c, "url": request.build_absolute_uri(c["url"])}
                    for c in safe_citations(m.citations)
                ],
                "helped": m.helped,
                "created_at": m.created_at,
            }
            for m in messages
        ],
    }


@router.delete(
    "/conversations/{conversation_id}",
    response={204: None},
    summary="Ein eigenes Gespräch löschen",
)
def delete(request: HttpRequest, conversation_id: uuid.UUID) -> Status[None]:
    user, network = _user(request), _network(request)
    conversation, _can_write = get_conversation_for_user(user, network, conversation_id)
    delete_conversation(user=user, conversation_id=conversation.pk)
    return Status(204, None)
