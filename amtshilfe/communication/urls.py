"""URLs of communication, included at the root: /aktuelles/, /termine/, /verzeichnis/."""

from django.urls import path

from amtshilfe.communication.views import directory, events, feeds, news

app_name = "communication"

urlpatterns = [
    path("aktuelles/", news.news_list, name="news_list"),
    path("aktuelles/feed.atom", feeds.PublicNewsFeed(), name="news_feed"),
    path("aktuelles/neu/", news.news_create, name="news_create"),
    path("aktuelles/<slug:slug>/", news.news_detail, name="news_detail"),
    path("aktuelles/<slug:slug>/bearbeiten/", news.news_edit, name="news_edit"),
    path("aktuelles/<slug:slug>/versionen/", news.news_history, name="news_history"),
    path("termine/", events.event_list, name="event_list"),
    path("termine/feed.ics", feeds.public_events_ics, name="event_feed"),
    path("termine/neu/", events.event_create, name="event_create"),
    path("termine/<int:pk>/", events.event_detail, name="event_detail"),
    path("termine/<int:pk>/kalender.ics", feeds.event_ics, name="event_ics"),
    path("termine/<int:pk>/bearbeiten/", events.event_edit, name="event_edit"),
    path("termine/<int:pk>/absagen/", events.event_cancel, name="event_cancel"),
    path("termine/<int:pk>/anmelden/", events.event_register, name="event_register"),
    path("termine/<int:pk>/abmelden/", events.event_unregister, name="event_unregister"),
    path("verzeichnis/", directory.directory_list, name="directory"),
    path("verzeichnis/mein-eintrag/", directory.my_entry, name="my_entry"),
]
