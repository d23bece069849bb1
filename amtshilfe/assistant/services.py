"""Writes of the assistant: asking, feedback, deleting conversations, retention.

The engine (``assistant.engine``) only reads; everything stored goes through these services,
each in one transaction with one audit event.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtshilfe.assistant.engine import answer_question
from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.board.services.knowledge import record_self_help
from amtshilfe.core.audit import record_event
from amtshilfe.lib import markdown
from amtshilfe.tenancy.access import current_memberships, is_network_member
from amtshilfe.tenancy.models import Network
from amtshilfe.wiki.models import Article

MAX_QUESTION_LENGTH = 2000
TITLE_LENGTH = 200
HANDOVER_DESCRIPTION_LENGTH = 4000
# Questions of the conversation taken into the handover description (most recent last).
HANDOVER_QUESTIONS = 5
DEFAULT_RETENTION_DAYS = 30


@dataclass
class Citation:
    slug: str
    title: str
    url: str  # the article's URL + "#" + the passage's anchor


@dataclass
class AssistantAnswer:
    conversation: Conversation
    message: Message
    answer_markdown: str
    answer_html: str
    citations: list[Citation]
    confident: bool
    kind: str
    # Prefill of "Anfrage stellen" when the assistant could not help.
    handover_title: str
    handover_description: str


def retention_days() -> int:
    return int(getattr(settings, "AMTSHILFE_ASSISTANT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def _clean_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Bitte stellen Sie eine Frage.")})
    if len(question) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            {
                "question": _("Bitte fassen Sie die Frage kürzer (höchstens %(max)s Zeichen).")
                % {"max": MAX_QUESTION_LENGTH}
            }
        )
    return question


def _own_conversation(
    user: Any, conversation_id: uuid.UUID | str, *, lock: bool = False
) -> Conversation:
    """The person's conversation; someone else's or a missing one is the same error."""
    try:
        conversation_id = uuid.UUID(str(conversation_id))
    except ValueError:
        raise ValidationError(_("Dieses Gespräch gibt es nicht.")) from None
    conversations = Conversation.objects.for_user(user)
    if lock:
        conversations = conversations.select_for_update()
    found = conversations.filter(pk=conversation_id).first()
    if found is None:
        raise ValidationError(_("Dieses Gespräch gibt es nicht."))
    return found


def _previous_questions(conversation: Conversation) -> list[str]:
    return list(
        conversation.messages.filter(role=Message.Role.USER)
        .order_by("created_at", "id")
        .values_list("text", flat=True)
    )


def handover_prefill(questions: list[str]) -> tuple[str, str]:
    """Title and description of a request prefilled from the conversation's questions."""
    first = " ".join(questions[0].split()) if questions else ""
    title = first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1].rstrip() + "…"
    lines = [_("Frage an den KI-Assistenten:"), ""]
    recent = questions[-HANDOVER_QUESTIONS:]
    lines += (
        [f"> {' '.join(q.split())}" for q in recent]
        if len(recent) > 1
        else [recent[0] if recent else ""]
    )
    lines += [
        "",
        _("Der Assistent hat dazu im Wissen des Netzwerks keine passende Anleitung gefunden."),
    ]
    description = "\n".join(lines)
    return title, description[:HANDOVER_DESCRIPTION_LENGTH]


def ask_assistant(
    *,
    user: Any,
    network: Network,
    question: str,
    conversation_id: uuid.UUID | None = None,
) -> AssistantAnswer:
    """Answer ``question`` from what ``user`` may read, and keep question and answer.

    The answer is computed before the transaction (it reads only; with a language model it
    may take seconds, and no row should stay locked meanwhile); the conversation is then
    locked and both messages are written together.
    """
    if not is_network_member(user, network):
        raise PermissionDenied
    question = _clean_question(question)
    history: list[str] = []
    if conversation_id is not None:
        conversation = _own_conversation(user, conversation_id)
        if conversation.network_id != network.pk:
            raise ValidationError(_("Dieses Gespräch gibt es nicht."))
        history = _previous_questions(conversation)
    started = time.perf_counter()
    result = answer_question(network=network, user=user, question=question, history=history)
    latency_ms = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        if conversation_id is None:
            memberships = current_memberships(user, network)
            conversation = Conversation.objects.create(
                network=network,
                user=user,
                municipality=memberships[0].municipality if memberships else None,
                title=" ".join(question.split())[:TITLE_LENGTH],
            )
            created = True
        else:
            conversation = _own_conversation(user, conversation_id, lock=True)
            created = False
        Message.objects.create(
            conversation=conversation,
            role=Message.Role.USER,
            text=question,
            kind=Message.Kind.QUESTION,
        )
        citations = [Citation(slug=c.slug, title=c.title, url=c.url) for c in result.citations]
        message = Message.objects.create(
            conversation=conversation,
            role=Message.Role.ASSISTANT,
            text=result.markdown,
            citations=[{"slug": c.slug, "title": c.title, "url": c.url} for c in citations],
            confident=result.confident,
            kind=result.kind,
            used_llm=result.used_llm,
            latency_ms=latency_ms,
        )
        # Last activity (retention counts from it); save() bumps updated_at.
        conversation.save(update_fields=["updated_at"])
        record_event(
            action="assistant.asked",
            actor=user,
            network=network,
            municipality=conversation.municipality,
            obj=conversation,
            # No question text in the audit log: it is personal and the conversation is
            # deleted after the retention time, the audit log is not.
            after={
                "message": message.pk,
                "kind": result.kind,
                "confident": result.confident,
                "used_llm": result.used_llm,
                "new_conversation": created,
                "citations": [c.slug for c in citations],
            },
        )
    title, description = handover_prefill([*history, question])
    return AssistantAnswer(
        conversation=conversation,
        message=message,
        answer_markdown=result.markdown,
        answer_html=markdown.render(result.markdown).html,
        citations=citations,
        confident=result.confident,
        kind=result.kind,
        handover_title=title,
        handover_description=description,
    )


def record_answer_feedback(
    *, user: Any, message_id: int, helped: bool, comment: str = ""
) -> Message:
    """ "Hat das geholfen?" on one answer; the first "ja" counts as self-help once.

    Feedback may be changed; a ``board.SelfHelpSuccess`` is recorded only the first time an
    answer is marked helpful (it is the indicator "request that never had to be filed"), so
    changing "ja" to "nein" and back never counts twice (``Message.self_help_recorded``).
    """
    comment = (comment or "").strip()
    if len(comment) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            {
                "comment": _("Bitte fassen Sie die Rückmeldung kürzer (höchstens %(max)s Zeichen).")
                % {"max": MAX_QUESTION_LENGTH}
            }
        )
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("conversation", "conversation__network", "conversation__municipality")
            .filter(
                pk=message_id,
                role=Message.Role.ASSISTANT,
                conversation__in=Conversation.objects.for_user(user),
            )
            .first()
        )
        if message is None:
            raise ValidationError(_("Diese Antwort gibt es nicht."))
        before = {"helped": message.helped}
        conversation = message.conversation
        first_helpful = bool(
            helped
            and not message.self_help_recorded
            and conversation.municipality_id is not None
            and conversation.municipality_id
            in {m.municipality_id for m in current_memberships(user, conversation.network)}
        )
        message.helped = helped
        message.feedback_comment = comment
        message.self_help_recorded = message.self_help_recorded or first_helpful
        message.save(update_fields=["helped", "feedback_comment", "self_help_recorded"])
        Conversation.objects.filter(pk=conversation.pk).update(updated_at=timezone.now())
        if first_helpful and conversation.municipality is not None:
            question = (
                conversation.messages.filter(role=Message.Role.USER, pk__lt=message.pk)
                .order_by("-pk")
                .values_list("text", flat=True)
                .first()
                or conversation.title
            )
            slug = message.citations[0].get("slug", "") if message.citations else ""
            article = (
                Article.objects.readable_by(user, conversation.network).filter(slug=slug).first()
                if slug
                else None
            )
            # The board's own service: the same indicator as "Das hat geholfen" on the help
            # page, with its membership check and audit event.
            record_self_help(
                actor=user,
                network=conversation.network,
                query=" ".join(question.split()),
                article=article,
                municipality=conversation.municipality,
            )
        record_event(
            action="assistant.feedback",
            actor=user,
            network=conversation.network,
            municipality=conversation.municipality,
            obj=message,
            before=before,
            after={"helped": helped, "self_help": first_helpful},
        )
    return message


def delete_conversation(*, user: Any, conversation_id: uuid.UUID) -> None:
    """Delete one of the person's conversations with all its messages, at once."""
    with transaction.atomic():
        conversation = _own_conversation(user, conversation_id, lock=True)
        network, municipality = conversation.network, conversation.municipality
        messages = conversation.messages.count()
        conversation.delete()
        record_event(
            action="assistant.conversation_deleted",
            actor=user,
            network=network,
            municipality=municipality,
            after={"messages": messages},
        )


def delete_all_conversations(*, user: Any) -> int:
    """Delete all the person's conversations (in every network); returns how many."""
    with transaction.atomic():
        conversations = Conversation.objects.for_user(user).select_for_update()
        ids = list(conversations.values_list("pk", flat=True))
        if not ids:
            return 0
        Conversation.objects.filter(pk__in=ids).delete()
        record_event(
            action="assistant.conversations_deleted",
            actor=user,
            after={"conversations": len(ids)},
        )
    return len(ids)


def purge_old_conversations(*, now: dt.datetime | None = None) -> int:
    """Delete conversations without activity for the retention days; returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    with transaction.atomic():
        old = Conversation.objects.select_for_update().inactive_since(cutoff)
        ids = list(old.values_list("pk", flat=True))
        if not ids:
            return 0
        Conversation.objects.filter(pk__in=ids).delete()
        record_event(
            action="assistant.conversations_purged",
            actor=None,
            after={"conversations": len(ids), "retention_days": retention_days()},
        )
    return len(ids)


__all__ = [
    "AssistantAnswer",
    "Citation",
    "ask_assistant",
    "delete_all_conversations",
    "delete_conversation",
    "handover_prefill",
    "purge_old_conversations",
    "record_answer_feedback",
]
