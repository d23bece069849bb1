"""URLs of communication (filled in by the app's screens)."""

from django.urls import URLPattern, URLResolver

app_name = "communication"

urlpatterns: list[URLPattern | URLResolver] = []
