"""URLs of timeaccounting (filled in by the app's screens)."""

from django.urls import URLPattern, URLResolver

app_name = "timeaccounting"

urlpatterns: list[URLPattern | URLResolver] = []
