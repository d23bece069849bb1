"""Notifications under /benachrichtigungen/ (namespace ``notifications``)."""

from django.urls import path

from amtshilfe.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("alle-gelesen/", views.mark_all_read, name="read_all"),
    path("<int:pk>/gelesen/", views.mark_one_read, name="read"),
    path("einstellungen/", views.preferences, name="preferences"),
]
