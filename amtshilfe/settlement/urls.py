"""URLs of settlement (filled in by the app's screens)."""

from django.urls import URLPattern, URLResolver

app_name = "settlement"

urlpatterns: list[URLPattern | URLResolver] = []
