"""The chat at /assistent/: asking with and without JavaScript, follow-ups, citations,
"Hat das geholfen?", visibility (only one's own conversations) and inert user text.

The answers' wording is the engine's business; these tests look at structure and visibility.
The search uses the hashing embedding backend (``AMTSHILFE_TESTING``).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amtshilfe.assistant.models import Conversation, Message
from amtshilfe.assistant.services import ask_assistant
from amtshilfe.assistant.templatetags import assistant as tags
from amtshilfe.board.models import SelfHelpSuccess
from amtshilfe.conftest import Personas
from amtshilfe.wiki.models import Article
from amtshilfe.wiki.search.indexer import reindex_network
from amtshilfe.wiki.services import create_article

pytestmark = pytest.mark.django_db

PRINTER = """## Worum geht es?

Am Drucker kommt nichts an, der Auftrag steckt in der Druckerwarteschlange fest.

## So gehen Sie vor

1. Öffnen Sie die Druckerwarteschlange.
2. Brechen Sie den fehlerhaften Druckauftrag ab.
3. Starten Sie den Druck neu.
"""
SECRET = """## Serverraum

Der Zugangscode für den Serverraum im Rathaus Riesa steht im Tresor der Hauptamtsleitung.
"""
XSS = '<script>alert("frage")</script><img src=x onerror=alert(1)>'
PRINTER_QUESTION = "Mein Druckauftrag hängt in der Druckerwarteschlange, was tun?"
UNKNOWN_QUESTION = "Der Plotter im Bauamt zeigt Fehler E42 beim Scannen von Bauplänen"
FRAGMENT = {"HTTP_X_AMTSHILFE_FRAGMENT": "1"}


def make_kb(personas: Personas) -> dict[str, Article]:
    """A printer guide for the whole network and a secret only municipality A may read."""

    def make(title: str, body: str, **kwargs: object) -> Article:
        return create_article(
            actor=None,
            network=personas.network,
            cluster=personas.cluster,
            title=title,
            body=body,
            **kwargs,
        )

    articles = {
        "printer": make("Druckauftrag hängt", PRINTER, tags=["drucker"]),
        "secret": make(
            "Serverraum Riesa", SECRET, visibility="municipality", municipality=personas.a
        ),
    }
    reindex_network(personas.network)
    return articles


def ask(personas: Personas, user: object, question: str, **kwargs: object) -> Message:
    answer = ask_assistant(user=user, network=personas.network, question=question, **kwargs)
    return answer.message


def page_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# --- access -----------------------------------------------------------------------------------


def test_it_requires_login(personas):
    client = personas.client(None)
    for url in ("/assistent/", "/assistent/gespraeche/", "/assistent/anfrage/"):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"], url
    response = client.post("/assistent/frage/", {"question": "Drucker"})
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
    assert not Conversation.objects.exists()


def test_it_hides_from_other_municipality(personas):
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    conversation = message.conversation
    for user in (personas.charlie, personas.olga):
        client = personas.client(user)
        assert client.get(f"/assistent/gespraeche/{conversation.pk}/").status_code == 404
        assert client.get(f"/assistent/gespraeche/{conversation.pk}/loeschen/").status_code == 404
        assert client.post(f"/assistent/gespraeche/{conversation.pk}/loeschen/").status_code == 404
        response = client.post(
            "/assistent/frage/", {"question": "und am Mac?", "conversation": conversation.pk}
        )
        assert response.status_code == 404
        response = client.post(f"/assistent/antworten/{message.pk}/rueckmeldung/", {"helped": "ja"})
        assert response.status_code == 404
        assert client.get(f"/assistent/anfrage/?gespraech={conversation.pk}").status_code == 404
        assert PRINTER_QUESTION not in page_of(client.get("/assistent/gespraeche/"))
        # An id of someone else on "Hilfe finden" is ignored, not shown.
        assert PRINTER_QUESTION not in page_of(client.get(f"/hilfe/?gespraech={conversation.pk}"))
    assert conversation.messages.count() == 2
    assert Message.objects.get(pk=message.pk).helped is None


def test_it_requires_rw_access(personas):
    """Conversations are personal: not even the coordination may read, continue or delete
    somebody else's – and nobody outside the network may use the assistant at all."""
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    client = personas.client(personas.coordinator)
    pk = message.conversation.pk
    assert client.get(f"/assistent/gespraeche/{pk}/").status_code == 404
    assert client.post(f"/assistent/gespraeche/{pk}/loeschen/").status_code == 404
    assert (
        client.post(
            f"/assistent/antworten/{message.pk}/rueckmeldung/", {"helped": "nein"}
        ).status_code
        == 404
    )
    client.post("/assistent/gespraeche/alle-loeschen/")
    assert Conversation.objects.filter(pk=pk).exists()
    # Olga's current network is her own: the id of Testkreis' conversation is unknown there.
    assert personas.client(personas.olga).get(f"/assistent/gespraeche/{pk}/").status_code == 404


def test_it_answers_unknown_conversation_ids_with_404(personas):
    client = personas.client(personas.bob)
    assert client.get(f"/assistent/gespraeche/{uuid.uuid4()}/").status_code == 404
    response = client.post("/assistent/frage/", {"question": "Drucker", "conversation": "kaputt"})
    assert response.status_code == 404
    assert not Conversation.objects.exists()


# --- asking -----------------------------------------------------------------------------------


def test_it_shows_the_ai_notice_before_the_first_question(personas):
    page = page_of(personas.client(personas.bob).get("/assistent/"))
    assert "KI-Assistenten, nicht mit einem Menschen" in page
    assert "Wissen des Netzwerks" in page
    assert 'role="log"' in page and 'aria-live="polite"' in page
    assert '<label for="assistent-question">' in page


def test_it_answers_without_javascript_and_shows_the_citation(personas):
    kb = make_kb(personas)
    client = personas.client(personas.bob)
    response = client.post("/assistent/frage/", {"question": PRINTER_QUESTION})
    assert response.status_code == 302
    conversation = Conversation.objects.get(user=personas.bob)
    answer = conversation.messages.get(role=Message.Role.ASSISTANT)
    assert response["Location"] == (
        f"/assistent/gespraeche/{conversation.pk}/#assistent-antwort-{answer.pk}"
    )
    page = page_of(client.get(response["Location"]))
    assert PRINTER_QUESTION in page
    assert 'class="assistant-citations"' in page
    link = re.search(
        r'<ol class="assistant-citations"[^>]*>\s*<li><a href="([^"]+)">([^<]+)</a>', page
    )
    assert link, "no citation link"
    assert link.group(1).startswith(f"/wissen/{kb['printer'].slug}/")
    assert link.group(2) == kb["printer"].title
    # The conversation continues: its id is in the form.
    assert f'name="conversation" value="{conversation.pk}"' in page
    assert "Hat das geholfen?" in page


def test_it_continues_the_conversation_with_follow_ups(personas):
    make_kb(personas)
    client = personas.client(personas.bob)
    client.post("/assistent/frage/", {"question": PRINTER_QUESTION})
    conversation = Conversation.objects.get(user=personas.bob)
    response = client.post(
        "/assistent/frage/", {"question": "und am Mac?", "conversation": str(conversation.pk)}
    )
    assert response.status_code == 302
    assert Conversation.objects.filter(user=personas.bob).count() == 1
    assert conversation.messages.count() == 4
    page = page_of(client.get(f"/assistent/gespraeche/{conversation.pk}/"))
    assert page.count('class="assistant-exchange"') == 2
    assert page.index(PRINTER_QUESTION) < page.index("und am Mac?")


def test_it_answers_javascript_with_a_fragment(personas):
    kb = make_kb(personas)
    client = personas.client(personas.bob)
    response = client.post(
        "/assistent/frage/", {"question": PRINTER_QUESTION, "ui": "widget"}, **FRAGMENT
    )
    assert response.status_code == 200
    data = response.json()
    conversation = Conversation.objects.get(pk=data["conversation_id"])
    assert conversation.user == personas.bob
    assert data["conversation_url"] == f"/assistent/gespraeche/{conversation.pk}/"
    assert data["kind"] == "answer" and data["confident"] is True
    assert f'id="assistent-widget-antwort-{data["message_id"]}"' in data["html"]
    assert f"/wissen/{kb['printer'].slug}/" in data["html"]
    assert "<html" not in data["html"]
    follow_up = client.post(
        "/assistent/frage/",
        {"question": "und am Mac?", "conversation": data["conversation_id"], "ui": "widget"},
        **FRAGMENT,
    ).json()
    assert follow_up["conversation_id"] == data["conversation_id"]


def test_it_keeps_the_question_and_explains_bad_input(personas):
    make_kb(personas)
    client = personas.client(personas.bob)
    response = client.post("/assistent/frage/", {"question": "   "})
    assert response.status_code == 400
    assert "Bitte stellen Sie eine Frage." in page_of(response)
    assert 'aria-invalid="true"' in page_of(response)
    too_long = "Drucker " * 300
    response = client.post("/assistent/frage/", {"question": too_long})
    assert response.status_code == 400
    page = page_of(response)
    assert "höchstens 2000 Zeichen" in page
    assert too_long.strip()[:100] in page  # the text is still there
    response = client.post("/assistent/frage/", {"question": ""}, **FRAGMENT)
    assert response.status_code == 422
    assert response.json() == {"errors": ["Bitte stellen Sie eine Frage."]}
    assert not Conversation.objects.exists()


def test_it_keeps_the_conversation_after_bad_input(personas):
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    response = personas.client(personas.bob).post(
        "/assistent/frage/", {"question": "", "conversation": message.conversation.pk}
    )
    assert response.status_code == 400
    page = page_of(response)
    assert PRINTER_QUESTION in page
    assert f'name="conversation" value="{message.conversation.pk}"' in page


def test_it_renders_xss_in_the_question_inert(personas):
    make_kb(personas)
    client = personas.client(personas.bob)
    client.post("/assistent/frage/", {"question": f"Drucker {XSS}"})
    conversation = Conversation.objects.get(user=personas.bob)
    for url in (f"/assistent/gespraeche/{conversation.pk}/", "/assistent/gespraeche/"):
        page = page_of(client.get(url))
        assert "&lt;script&gt;alert(" in page, url
        assert '<script>alert("frage")' not in page and "<img src=x" not in page, url
    fragment = client.post(
        "/assistent/frage/", {"question": XSS, "conversation": conversation.pk}, **FRAGMENT
    ).json()["html"]
    assert "<script>" not in fragment and "&lt;script&gt;" in fragment
    page = page_of(client.get(f"/assistent/gespraeche/{conversation.pk}/loeschen/"))
    assert '<script>alert("frage")' not in page


def test_it_renders_html_from_articles_inert_in_answers(personas):
    create_article(
        actor=None,
        network=personas.network,
        cluster=personas.cluster,
        title="Drucker Warteschlange leeren",
        body=(
            "## So gehen Sie vor\n\nÖffnen Sie die Druckerwarteschlange. "
            '<script>alert("artikel")</script> [Hilfe](javascript:alert(1)) '
            '<img src=x onerror="alert(2)">\n'
        ),
    )
    reindex_network(personas.network)
    client = personas.client(personas.bob)
    client.post("/assistent/frage/", {"question": PRINTER_QUESTION})
    conversation = Conversation.objects.get(user=personas.bob)
    page = page_of(client.get(f"/assistent/gespraeche/{conversation.pk}/"))
    answer = page[
        page.index('class="assistant-answer-text"') : page.index('class="assistant-feedback"')
    ]
    assert "<script" not in answer and "javascript:" not in answer and "onerror" not in answer


def test_it_never_answers_from_another_municipalitys_articles(personas):
    kb = make_kb(personas)
    client = personas.client(personas.charlie)  # municipality B
    data = client.post(
        "/assistent/frage/",
        {"question": "Wo finde ich den Zugangscode für den Serverraum?"},
        **FRAGMENT,
    ).json()
    assert kb["secret"].slug not in data["html"]
    assert "Tresor" not in data["html"]
    # The same question in municipality A is answered from it.
    data = (
        personas.client(personas.bob)
        .post(
            "/assistent/frage/",
            {"question": "Wo finde ich den Zugangscode für den Serverraum?"},
            **FRAGMENT,
        )
        .json()
    )
    assert f"/wissen/{kb['secret'].slug}/" in data["html"]


def test_it_offers_a_request_when_it_does_not_know(personas):
    make_kb(personas)
    client = personas.client(personas.bob)
    data = client.post("/assistent/frage/", {"question": UNKNOWN_QUESTION}, **FRAGMENT).json()
    assert data["kind"] == "unknown" and data["confident"] is False
    assert f'href="/assistent/anfrage/?gespraech={data["conversation_id"]}"' in data["html"]
    assert 'class="assistant-citations"' not in data["html"]


def test_it_declines_off_topic_questions_without_offering_a_request(personas):
    make_kb(personas)
    data = (
        personas.client(personas.bob)
        .post(
            "/assistent/frage/",
            {"question": "Schreib mir ein Gedicht über den Frühling"},
            **FRAGMENT,
        )
        .json()
    )
    assert data["kind"] == "off_topic"
    assert "/assistent/anfrage/" not in data["html"]


# --- "Hat das geholfen?" ----------------------------------------------------------------------


def test_it_records_feedback_without_javascript(personas):
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    client = personas.client(personas.bob)
    response = client.post(
        f"/assistent/antworten/{message.pk}/rueckmeldung/",
        {"helped": "ja", "comment": "Hat sofort geklappt"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/assistent/gespraeche/{message.conversation.pk}/#assistent-antwort-{message.pk}"
    )
    message.refresh_from_db()
    assert message.helped is True and message.feedback_comment == "Hat sofort geklappt"
    assert SelfHelpSuccess.objects.filter(user=personas.bob).count() == 1
    page = page_of(client.get(response["Location"]))
    assert "Danke für Ihre Rückmeldung" in page
    assert f"/assistent/antworten/{message.pk}/rueckmeldung/" not in page


def test_it_records_feedback_with_javascript(personas):
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    response = personas.client(personas.bob).post(
        f"/assistent/antworten/{message.pk}/rueckmeldung/",
        {"helped": "nein", "ui": "help"},
        **FRAGMENT,
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert "data-assistant-feedback-done" in html
    # It did not help: the hand-over is offered right there.
    assert f"/assistent/anfrage/?gespraech={message.conversation.pk}" in html
    message.refresh_from_db()
    assert message.helped is False
    assert not SelfHelpSuccess.objects.exists()


def test_it_refuses_feedback_without_an_answer(personas):
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    client = personas.client(personas.bob)
    response = client.post(
        f"/assistent/antworten/{message.pk}/rueckmeldung/", {"helped": "vielleicht"}, **FRAGMENT
    )
    assert response.status_code == 422
    assert response.json()["errors"] == ["Bitte wählen Sie „Ja“ oder „Nein“."]
    response = client.post(f"/assistent/antworten/{message.pk}/rueckmeldung/", {})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.helped is None
    # Questions are not answers: no feedback on them.
    question = message.conversation.messages.get(role=Message.Role.USER)
    assert (
        client.post(
            f"/assistent/antworten/{question.pk}/rueckmeldung/", {"helped": "ja"}
        ).status_code
        == 404
    )


# --- where the chat is shown ------------------------------------------------------------------


def test_it_shows_the_widget_on_internal_pages_only(personas):
    client = personas.client(personas.bob)
    for url in ("/start/", "/cluster/", "/anfragen/", "/wissen/"):
        page = page_of(client.get(url))
        assert 'class="assistant-widget"' in page, url
        assert "<summary>KI-Assistent fragen</summary>" in page, url
    for url in ("/assistent/", "/assistent/gespraeche/", "/hilfe/", "/", "/impressum/"):
        assert 'class="assistant-widget"' not in page_of(client.get(url)), url
    # The coordination's website screens are internal.
    page = page_of(personas.client(personas.coordinator).get("/website/"))
    assert 'class="assistant-widget"' in page
    anonymous = personas.client(None)
    for url in ("/", "/konto/anmelden/"):
        assert "assistant-widget" not in page_of(anonymous.get(url)), url


def test_it_shows_the_chat_on_the_help_page_and_continues_there(personas):
    make_kb(personas)
    client = personas.client(personas.bob)
    page = page_of(client.get("/hilfe/"))
    assert 'id="assistent-hilfe"' in page and 'name="ui" value="help"' in page
    response = client.post("/assistent/frage/", {"question": PRINTER_QUESTION, "ui": "help"})
    conversation = Conversation.objects.get(user=personas.bob)
    answer = conversation.messages.get(role=Message.Role.ASSISTANT)
    assert response["Location"] == (
        f"/hilfe/?gespraech={conversation.pk}#assistent-hilfe-antwort-{answer.pk}"
    )
    page = page_of(client.get(response["Location"]))
    assert PRINTER_QUESTION in page
    assert f'name="conversation" value="{conversation.pk}"' in page


def test_it_offers_the_help_page_description_as_the_question(personas):
    page = page_of(personas.client(personas.bob).get("/hilfe/?q=Drucker+druckt+nicht"))
    chat = page[page.index('id="assistent-hilfe"') :]
    assert '">Drucker druckt nicht</textarea>' in chat


def test_it_tells_javascript_when_the_conversation_is_gone(personas):
    make_kb(personas)
    message = ask(personas, personas.bob, PRINTER_QUESTION)
    client = personas.client(personas.bob)
    client.post(f"/assistent/gespraeche/{message.conversation.pk}/loeschen/")
    response = client.post(
        "/assistent/frage/",
        {"question": "und am Mac?", "conversation": message.conversation.pk},
        **FRAGMENT,
    )
    assert response.status_code == 404
    assert response.json() == {
        "errors": ["Dieses Gespräch gibt es nicht mehr. Bitte beginnen Sie ein neues."]
    }


def test_it_costs_no_database_query_on_every_page(personas, monkeypatch):
    """The widget is on every internal page: it must not add a query to any of them."""
    client = personas.client(personas.bob)
    client.get("/cluster/")
    with CaptureQueriesContext(connection) as with_widget:
        assert "assistant-widget" in page_of(client.get("/cluster/"))
    monkeypatch.setattr(tags, "shows_widget", lambda request: False)
    with CaptureQueriesContext(connection) as without_widget:
        assert "assistant-widget" not in page_of(client.get("/cluster/"))
    assert len(with_widget) == len(without_widget)
