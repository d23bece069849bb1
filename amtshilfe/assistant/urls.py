"""The assistant's screens under /assistent/ (chat, conversations, hand-over to a request)."""

from django.urls import path

from amtshilfe.assistant.views import chat, conversations, handover

app_name = "assistant"

urlpatterns = [
    path("", chat.chat, name="chat"),
    path("frage/", chat.ask, name="ask"),
    path("gespraeche/", conversations.conversation_list, name="conversations"),
    path("gespraeche/alle-loeschen/", conversations.delete_all, name="delete_all"),
    path("gespraeche/<uuid:conversation_id>/", chat.conversation, name="conversation"),
    path("gespraeche/<uuid:conversation_id>/loeschen/", conversations.delete, name="delete"),
    path("antworten/<int:message_id>/rueckmeldung/", chat.feedback, name="feedback"),
    path("anfrage/", handover.handover, name="handover"),
]
