"""Who may see a conversation with the assistant: only the person who had it.

One access helper per object type (CONVENTIONS #4). Somebody else's conversation answers 404,
exactly like a missing one – also for the coordination: conversations are personal.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.tenancy.models import Network


def get_conversation_for_user(
    user: Any, network: Network, conversation_id: uuid.UUID | str
) -> tuple[Conversation, bool]:
    """The person's conversation in ``network`` and whether they may change it (always, it is
    theirs); 404 for anybody else's, a missing one or one of another network."""
    try:
        key = uuid.UUID(str(conversation_id))
    except ValueError:
        raise Http404 from None
    conversation = Conversation.objects.for_user(user).in_network(network).filter(pk=key).first()
    if conversation is None:
        raise Http404
    return conversation, True


def get_answer_for_user(user: Any, message_id: int) -> Message:
    """One of the assistant's answers in the person's own conversations; else 404."""
    answer = (
        Message.objects.filter(
            pk=message_id,
            role=Message.Role.ASSISTANT,
            conversation__in=Conversation.objects.for_user(user),
        )
        .select_related("conversation")
        .first()
    )
    if answer is None:
        raise Http404
    return answer
