"""Services of the assistant: asking, ownership, feedback -> self-help, deleting."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.assistant.services import (
    MAX_QUESTION_LENGTH,
    ask_assistant,
    delete_all_conversations,
    delete_conversation,
    handover_prefill,
    record_answer_feedback,
)
from amtshilfe.assistant.tests.knowledge import make_knowledge
from amtshilfe.board.models import SelfHelpSuccess
from amtshilfe.core.models import AuditEvent

PRINTER_QUESTION = "Wie füge ich einen Netzwerkdrucker unter Windows hinzu?"
UNKNOWN_QUESTION = "Wie erstelle ich einen Serienbrief mit Word und Excel?"


@pytest.fixture
def kb(personas):
    return make_knowledge(personas)


def ask(personas, user=None, question=PRINTER_QUESTION, conversation_id=None):
    return ask_assistant(
        user=user or personas.bob,
        network=personas.network,
        question=question,
        conversation_id=conversation_id,
    )


def test_it_keeps_question_and_answer_in_a_conversation(personas, kb):
    result = ask(personas)
    conversation = result.conversation
    assert conversation.user == personas.bob
    assert conversation.municipality == personas.a
    assert conversation.title == PRINTER_QUESTION
    messages = list(conversation.messages.all())
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[0].text == PRINTER_QUESTION and messages[0].kind == "question"
    answer = messages[1]
    assert answer == result.message
    assert answer.kind == "answer" and answer.confident and not answer.used_llm
    assert answer.citations[0]["slug"] == kb.windows.slug
    assert answer.citations[0]["url"].startswith(f"/wissen/{kb.windows.slug}/#")
    assert "<ol>" in result.answer_html and "DRUCK01" in result.answer_html
    assert [c.slug for c in result.citations] == [kb.windows.slug]
    event = AuditEvent.objects.get(action="assistant.asked")
    assert event.actor == personas.bob
    assert PRINTER_QUESTION not in str(event.after)  # no question text in the audit log


def test_it_continues_a_conversation_with_its_context(personas, kb):
    first = ask(personas, question="Wie verbinde ich mich im Homeoffice mit dem VPN-Client?")
    second = ask(
        personas, question="Und wie geht das am Mac?", conversation_id=first.conversation.pk
    )
    assert second.conversation.pk == first.conversation.pk
    assert second.conversation.messages.count() == 4
    assert second.citations[0].slug == kb.vpn.slug
    assert Conversation.objects.count() == 1


def test_it_prefills_a_request_when_it_does_not_know(personas, kb):
    result = ask(personas, question=UNKNOWN_QUESTION)
    assert result.kind == "unknown" and not result.confident and result.citations == []
    assert result.handover_title == UNKNOWN_QUESTION
    assert UNKNOWN_QUESTION in result.handover_description
    assert "keine passende Anleitung" in result.handover_description


def test_it_prefills_from_the_whole_conversation():
    title, description = handover_prefill(["Erste Frage " + "x" * 300, "und am Mac?"])
    assert len(title) <= 200 and title.endswith("…") and title.startswith("Erste Frage")
    assert "> und am Mac?" in description and "> Erste Frage" in description


@pytest.mark.parametrize(
    ("question", "message"),
    [("   ", "Bitte stellen Sie eine Frage."), ("x" * (MAX_QUESTION_LENGTH + 1), "kürzer")],
)
def test_it_refuses_empty_and_too_long_questions(personas, kb, question, message):
    with pytest.raises(ValidationError) as error:
        ask(personas, question=question)
    assert message in str(error.value)
    assert not Conversation.objects.exists()


def test_it_refuses_someone_elses_conversation(personas, kb):
    mine = ask(personas, user=personas.bob)
    for conversation_id in (mine.conversation.pk, uuid.uuid4(), "kein-uuid"):
        with pytest.raises(ValidationError) as error:
            ask(personas, user=personas.alice, conversation_id=conversation_id)
        assert "Dieses Gespräch gibt es nicht." in str(error.value)
    assert mine.conversation.messages.count() == 2


def test_it_hides_from_other_network(personas, kb):
    mine = ask(personas, user=personas.bob)
    with pytest.raises(PermissionDenied):
        ask_assistant(user=personas.olga, network=personas.network, question=PRINTER_QUESTION)
    with pytest.raises(ValidationError):
        ask_assistant(
            user=personas.olga,
            network=personas.other_network,
            question=PRINTER_QUESTION,
            conversation_id=mine.conversation.pk,
        )


def test_it_lists_only_own_conversations(personas, kb):
    ask(personas, user=personas.bob)
    ask(personas, user=personas.alice)
    assert [c.user for c in Conversation.objects.for_user(personas.bob)] == [personas.bob]
    assert not Conversation.objects.for_user(personas.coordinator).exists()


def test_it_records_self_help_once_per_answer(personas, kb):
    result = ask(personas)
    message = result.message
    record_answer_feedback(user=personas.bob, message_id=message.pk, helped=True)
    record_answer_feedback(user=personas.bob, message_id=message.pk, helped=False, comment="doch")
    record_answer_feedback(user=personas.bob, message_id=message.pk, helped=True)
    success = SelfHelpSuccess.objects.get()
    assert success.user == personas.bob
    assert success.municipality == personas.a
    assert success.query == PRINTER_QUESTION
    assert success.article == kb.windows
    message.refresh_from_db()
    assert message.helped is True and message.self_help_recorded


def test_it_records_no_self_help_when_it_did_not_help(personas, kb):
    result = ask(personas)
    updated = record_answer_feedback(
        user=personas.bob, message_id=result.message.pk, helped=False, comment="passt nicht"
    )
    assert updated.helped is False and updated.feedback_comment == "passt nicht"
    assert not SelfHelpSuccess.objects.exists()


def test_it_requires_rw_access(personas, kb):
    """Only the asker gives feedback on an answer; questions take no feedback."""
    result = ask(personas)
    question = result.conversation.messages.get(role=Message.Role.USER)
    for user, message_id in (
        (personas.alice, result.message.pk),
        (personas.coordinator, result.message.pk),
        (personas.bob, question.pk),
    ):
        with pytest.raises(ValidationError):
            record_answer_feedback(user=user, message_id=message_id, helped=True)
    assert not SelfHelpSuccess.objects.exists()


def test_it_refuses_too_long_feedback(personas, kb):
    result = ask(personas)
    with pytest.raises(ValidationError):
        record_answer_feedback(
            user=personas.bob, message_id=result.message.pk, helped=False, comment="x" * 5000
        )
    result.message.refresh_from_db()
    assert result.message.helped is None


def test_it_deletes_a_conversation_at_once(personas, kb):
    first = ask(personas)
    second = ask(personas, question=UNKNOWN_QUESTION)
    with pytest.raises(ValidationError):
        delete_conversation(user=personas.alice, conversation_id=first.conversation.pk)
    delete_conversation(user=personas.bob, conversation_id=first.conversation.pk)
    assert list(Conversation.objects.all()) == [second.conversation]
    assert not Message.objects.filter(conversation_id=first.conversation.pk).exists()
    assert AuditEvent.objects.filter(action="assistant.conversation_deleted").count() == 1


def test_it_deletes_all_own_conversations(personas, kb):
    ask(personas)
    ask(personas, question=UNKNOWN_QUESTION)
    others = ask(personas, user=personas.alice)
    assert delete_all_conversations(user=personas.bob) == 2
    assert delete_all_conversations(user=personas.bob) == 0
    assert list(Conversation.objects.all()) == [others.conversation]


def test_it_keeps_questions_as_text(personas, kb):
    xss = '<script>alert("x")</script> Drucker <img src=x onerror=alert(1)>'
    result = ask(personas, question=xss)
    assert result.conversation.messages.get(role="user").text == xss
    assert result.conversation.title == xss  # plain text; templates escape it
    assert "<script" not in result.answer_html and "<img" not in result.answer_html
