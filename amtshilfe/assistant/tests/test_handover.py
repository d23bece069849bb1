"""Hand-over: "Anfrage stellen" when the assistant could not help files a request with the
source "assistant", prefilled from the conversation, for the requester's municipality."""

from __future__ import annotations

import pytest

from amtshilfe.assistant.services import ask_assistant
from amtshilfe.assistant.tests.test_views import UNKNOWN_QUESTION, XSS, make_kb
from amtshilfe.board import classification
from amtshilfe.board.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def unsure_triage(monkeypatch):
    """The triage classifier is the board's business; here it is always unsure (fast)."""
    monkeypatch.setattr(classification, "classify_request", lambda **kwargs: None)


def unknown_conversation(personas, user, *follow_ups):
    answer = ask_assistant(user=user, network=personas.network, question=UNKNOWN_QUESTION)
    for question in follow_ups:
        answer = ask_assistant(
            user=user,
            network=personas.network,
            question=question,
            conversation_id=answer.conversation.pk,
        )
    return answer.conversation


def form_data(conversation, **changes):
    data = {
        "gespraech": str(conversation.pk),
        "title": "Plotter im Bauamt: Fehler E42",
        "description": "Der Plotter zeigt E42.",
        "urgency": "normal",
        "contact_preference": "app",
        "municipality": "",
        "self_help_query": UNKNOWN_QUESTION,
    }
    data.update(changes)
    return data


def test_it_prefills_the_request_from_the_conversation(personas):
    make_kb(personas)
    conversation = unknown_conversation(personas, personas.bob, "Auch beim Drucken großer Pläne")
    page = (
        personas.client(personas.bob)
        .get(f"/assistent/anfrage/?gespraech={conversation.pk}")
        .content.decode()
    )
    assert f'value="{UNKNOWN_QUESTION}"' in page  # the title
    description = page[page.index('<textarea name="description"') :]
    description = description[: description.index("</textarea>")]
    assert UNKNOWN_QUESTION in description and "Auch beim Drucken großer Pläne" in description
    assert f'name="gespraech" value="{conversation.pk}"' in page
    assert 'name="attachments"' not in page


def test_it_files_a_request_with_the_source_assistant(personas):
    make_kb(personas)
    conversation = unknown_conversation(personas, personas.bob)
    response = personas.client(personas.bob).post(
        "/assistent/anfrage/", form_data(conversation, municipality=personas.a.pk)
    )
    filed = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/anfragen/{filed.pk}/"
    assert filed.source == ServiceRequest.Source.ASSISTANT
    assert filed.municipality == personas.a
    assert filed.requester == personas.bob
    assert (filed.title, filed.description) == (
        "Plotter im Bauamt: Fehler E42",
        "Der Plotter zeigt E42.",
    )
    assert filed.self_help_query == UNKNOWN_QUESTION


def test_it_keeps_what_was_typed_on_bad_input(personas):
    make_kb(personas)
    conversation = unknown_conversation(personas, personas.bob)
    response = personas.client(personas.bob).post(
        "/assistent/anfrage/",
        form_data(conversation, title="  ", description="Mein langer Text bleibt erhalten."),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bitte beschreiben Sie Ihr Anliegen in einem kurzen Betreff." in page
    assert "Mein langer Text bleibt erhalten." in page
    assert not ServiceRequest.objects.exists()


def test_it_hides_from_other_municipality(personas):
    make_kb(personas)
    conversation = unknown_conversation(personas, personas.bob)
    client = personas.client(personas.charlie)
    assert client.get(f"/assistent/anfrage/?gespraech={conversation.pk}").status_code == 404
    assert client.post("/assistent/anfrage/", form_data(conversation)).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_it_requires_rw_access(personas):
    """Only for one's own municipality: a person of A cannot file for B through the form."""
    make_kb(personas)
    conversation = unknown_conversation(personas, personas.bob)
    response = personas.client(personas.bob).post(
        "/assistent/anfrage/", form_data(conversation, municipality=personas.b.pk)
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Ihrer Kommunen." in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_it_renders_xss_in_the_prefill_inert(personas):
    make_kb(personas)
    conversation = unknown_conversation(personas, personas.bob, XSS)
    page = (
        personas.client(personas.bob)
        .get(f"/assistent/anfrage/?gespraech={conversation.pk}")
        .content.decode()
    )
    assert "<script>alert(" not in page and "&lt;script&gt;" in page


def test_it_sends_back_without_a_conversation(personas):
    response = personas.client(personas.bob).get("/assistent/anfrage/")
    assert response.status_code == 302 and response["Location"] == "/assistent/"
