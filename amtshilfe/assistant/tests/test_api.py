"""`/api/v1/assistant`: ask, feedback, delete – shape, visibility, German 422s."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from amtshilfe.accounts.tokens import create_api_token
from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.assistant.tests.test_views import PRINTER_QUESTION, UNKNOWN_QUESTION, make_kb

pytestmark = pytest.mark.django_db


def api(user):
    _token, raw = create_api_token(user=user, name="test")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_it_answers_with_citations_and_a_conversation(personas):
    kb = make_kb(personas)
    response = post(api(personas.bob), "/api/v1/assistant/ask", {"question": PRINTER_QUESTION})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"answer", "citations", "confident", "conversation_id", "kind"}
    assert data["confident"] is True and data["kind"] == "answer"
    assert data["answer"].strip() and "<p>" in data["answer_html"]
    first = data["citations"][0]
    assert set(first) == {"slug", "title", "url"}
    assert first["slug"] == kb["printer"].slug and first["title"] == kb["printer"].title
    assert first["url"].startswith(f"http://testserver/wissen/{kb['printer'].slug}/")
    assert data["handover"] is None
    conversation = Conversation.objects.get(pk=data["conversation_id"])
    assert conversation.user == personas.bob
    assert conversation.messages.get(role=Message.Role.ASSISTANT).pk == data["message_id"]


def test_it_continues_a_conversation(personas):
    make_kb(personas)
    client = api(personas.bob)
    first = post(client, "/api/v1/assistant/ask", {"question": PRINTER_QUESTION}).json()
    second = post(
        client,
        "/api/v1/assistant/ask",
        {"question": "und am Mac?", "conversation_id": first["conversation_id"]},
    ).json()
    assert second["conversation_id"] == first["conversation_id"]
    assert Conversation.objects.get().messages.count() == 4


def test_it_offers_the_handover_when_it_does_not_know(personas):
    make_kb(personas)
    data = post(api(personas.bob), "/api/v1/assistant/ask", {"question": UNKNOWN_QUESTION}).json()
    assert data["kind"] == "unknown" and data["confident"] is False
    assert data["citations"] == []
    assert data["handover"]["title"] and UNKNOWN_QUESTION in data["handover"]["description"]


def test_it_hides_from_other_municipality(personas):
    kb = make_kb(personas)
    bobs = post(api(personas.bob), "/api/v1/assistant/ask", {"question": PRINTER_QUESTION}).json()
    charlie = api(personas.charlie)
    for conversation_id in (bobs["conversation_id"], str(uuid.uuid4())):
        response = post(
            charlie,
            "/api/v1/assistant/ask",
            {"question": "und am Mac?", "conversation_id": conversation_id},
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Nicht gefunden."}
    response = post(
        charlie, "/api/v1/assistant/feedback", {"message_id": bobs["message_id"], "helped": True}
    )
    assert response.status_code == 404
    response = charlie.delete(f"/api/v1/assistant/conversations/{bobs['conversation_id']}")
    assert response.status_code == 404
    assert Conversation.objects.get(pk=bobs["conversation_id"]).messages.count() == 2
    # A municipality-only article of A never informs an answer for B.
    data = post(
        charlie,
        "/api/v1/assistant/ask",
        {"question": "Wo finde ich den Zugangscode für den Serverraum?"},
    ).json()
    assert kb["secret"].slug not in [c["slug"] for c in data["citations"]]
    assert "Tresor" not in data["answer"]
    # And another network knows nothing of Testkreis' conversations.
    response = api(personas.olga).delete(
        f"/api/v1/assistant/conversations/{bobs['conversation_id']}"
    )
    assert response.status_code == 404


def test_it_requires_rw_access(personas):
    """Without a token: 401; the coordination may not delete somebody else's conversation."""
    make_kb(personas)
    bobs = post(api(personas.bob), "/api/v1/assistant/ask", {"question": PRINTER_QUESTION}).json()
    response = post(Client(), "/api/v1/assistant/ask", {"question": PRINTER_QUESTION})
    assert response.status_code == 401
    response = api(personas.coordinator).delete(
        f"/api/v1/assistant/conversations/{bobs['conversation_id']}"
    )
    assert response.status_code == 404
    assert Conversation.objects.filter(pk=bobs["conversation_id"]).exists()


def test_it_explains_bad_input_in_german(personas):
    client = api(personas.bob)
    response = post(client, "/api/v1/assistant/ask", {"question": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Bitte stellen Sie eine Frage."
    response = post(client, "/api/v1/assistant/ask", {"question": "x" * 2001})
    assert response.status_code == 422
    assert "höchstens 2000 Zeichen" in response.json()["detail"][0]["msg"]
    response = post(client, "/api/v1/assistant/ask", {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Dieses Feld fehlt."
    response = post(
        client, "/api/v1/assistant/ask", {"question": "Drucker", "conversation_id": "x"}
    )
    assert response.status_code == 422
    response = post(client, "/api/v1/assistant/feedback", {"message_id": 1})
    assert response.status_code == 422
    assert not Conversation.objects.exists()


def test_it_records_feedback(personas):
    make_kb(personas)
    client = api(personas.bob)
    data = post(client, "/api/v1/assistant/ask", {"question": PRINTER_QUESTION}).json()
    response = post(
        client,
        "/api/v1/assistant/feedback",
        {"message_id": data["message_id"], "helped": False, "comment": "Fehlt: Mac"},
    )
    assert response.status_code == 200
    assert response.json() == {"message_id": data["message_id"], "helped": False}
    message = Message.objects.get(pk=data["message_id"])
    assert message.helped is False and message.feedback_comment == "Fehlt: Mac"
    question = message.conversation.messages.get(role=Message.Role.USER)
    response = post(
        client, "/api/v1/assistant/feedback", {"message_id": question.pk, "helped": True}
    )
    assert response.status_code == 404


def test_it_deletes_a_conversation(personas):
    make_kb(personas)
    client = api(personas.bob)
    data = post(client, "/api/v1/assistant/ask", {"question": PRINTER_QUESTION}).json()
    response = client.delete(f"/api/v1/assistant/conversations/{data['conversation_id']}")
    assert response.status_code == 204
    assert not Conversation.objects.exists()
    response = client.delete(f"/api/v1/assistant/conversations/{data['conversation_id']}")
    assert response.status_code == 404


def test_it_lists_and_shows_only_own_conversations(personas):
    kb = make_kb(personas)
    bob = api(personas.bob)
    data = post(bob, "/api/v1/assistant/ask", {"question": PRINTER_QUESTION}).json()
    post(api(personas.charlie), "/api/v1/assistant/ask", {"question": "Drucker von Charlie"})
    listed = bob.get("/api/v1/assistant/conversations").json()
    assert [(c["id"], c["questions"]) for c in listed] == [(data["conversation_id"], 1)]
    detail = bob.get(f"/api/v1/assistant/conversations/{data['conversation_id']}").json()
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant"]
    assert detail["messages"][0]["text"] == PRINTER_QUESTION
    assert detail["messages"][1]["citations"][0]["slug"] == kb["printer"].slug
    assert detail["messages"][1]["citations"][0]["url"].startswith("http://testserver/wissen/")
    charlie = api(personas.charlie)
    response = charlie.get(f"/api/v1/assistant/conversations/{data['conversation_id']}")
    assert response.status_code == 404
    assert data["conversation_id"] not in str(charlie.get("/api/v1/assistant/conversations").json())
