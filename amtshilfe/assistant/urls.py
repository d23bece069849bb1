"""URLs of assistant (filled in by the app's screens)."""

from django.urls import URLPattern, URLResolver

app_name = "assistant"

urlpatterns: list[URLPattern | URLResolver] = []
