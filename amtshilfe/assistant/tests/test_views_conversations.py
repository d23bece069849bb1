"""'Meine Gespräche': only one's own conversations; deleting one or all after confirming."""

from __future__ import annotations

import pytest

from amtshilfe.assistant.models import Conversation
from amtshilfe.assistant.services import ask_assistant
from amtshilfe.assistant.tests.test_views import PRINTER_QUESTION, make_kb
from amtshilfe.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def conversation_of(personas, user, question=PRINTER_QUESTION):
    return ask_assistant(user=user, network=personas.network, question=question).conversation


def test_it_lists_only_own_conversations(personas):
    make_kb(personas)
    conversation_of(personas, personas.bob, "Druckauftrag hängt bei Bob")
    conversation_of(personas, personas.charlie, "Druckauftrag hängt bei Charlie")
    page = personas.client(personas.bob).get("/assistent/gespraeche/").content.decode()
    assert "Druckauftrag hängt bei Bob" in page
    assert "Druckauftrag hängt bei Charlie" not in page
    assert "1 Frage, zuletzt am" in page


def test_it_shows_an_empty_list(personas):
    page = personas.client(personas.dora).get("/assistent/gespraeche/").content.decode()
    assert "keine gespeicherten Gespräche" in page
    response = personas.client(personas.dora).get("/assistent/gespraeche/alle-loeschen/")
    assert response.status_code == 302


def test_it_hides_from_other_municipality(personas):
    make_kb(personas)
    conversation = conversation_of(personas, personas.bob)
    client = personas.client(personas.charlie)
    assert client.get(f"/assistent/gespraeche/{conversation.pk}/loeschen/").status_code == 404
    assert client.post(f"/assistent/gespraeche/{conversation.pk}/loeschen/").status_code == 404
    assert Conversation.objects.filter(pk=conversation.pk).exists()


def test_it_requires_rw_access(personas):
    """Deleting all deletes only one's own – the coordinator's "all" is not everybody's."""
    make_kb(personas)
    bobs = conversation_of(personas, personas.bob)
    conversation_of(personas, personas.coordinator)
    response = personas.client(personas.coordinator).post("/assistent/gespraeche/alle-loeschen/")
    assert response.status_code == 302
    assert list(Conversation.objects.all()) == [bobs]


def test_it_deletes_one_conversation_after_confirming(personas):
    make_kb(personas)
    keep = conversation_of(personas, personas.bob, "Erstes Gespräch zum Drucker")
    gone = conversation_of(personas, personas.bob, "Zweites Gespräch zum Drucker")
    client = personas.client(personas.bob)
    page = client.get(f"/assistent/gespraeche/{gone.pk}/loeschen/").content.decode()
    assert "Zweites Gespräch zum Drucker" in page and "Ja, Gespräch löschen" in page
    assert Conversation.objects.filter(pk=gone.pk).exists()  # asking deletes nothing
    response = client.post(f"/assistent/gespraeche/{gone.pk}/loeschen/")
    assert response.status_code == 302 and response["Location"] == "/assistent/gespraeche/"
    assert list(Conversation.objects.all()) == [keep]
    page = client.get("/assistent/gespraeche/").content.decode()
    assert "Das Gespräch ist gelöscht." in page
    assert AuditEvent.objects.filter(action="assistant.conversation_deleted").count() == 1


def test_it_deletes_all_own_conversations_after_confirming(personas):
    make_kb(personas)
    conversation_of(personas, personas.bob, "Erstes Gespräch zum Drucker")
    conversation_of(personas, personas.bob, "Zweites Gespräch zum Drucker")
    charlies = conversation_of(personas, personas.charlie)
    client = personas.client(personas.bob)
    page = client.get("/assistent/gespraeche/alle-loeschen/").content.decode()
    assert "Alle 2 Gespräche" in page
    assert Conversation.objects.count() == 3
    response = client.post("/assistent/gespraeche/alle-loeschen/")
    assert response.status_code == 302
    assert list(Conversation.objects.all()) == [charlies]
    page = client.get("/assistent/gespraeche/").content.decode()
    assert "2 Gespräche sind gelöscht." in page
