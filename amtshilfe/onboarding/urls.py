"""URLs of onboarding (filled in by the app's screens)."""

from django.urls import URLPattern, URLResolver

app_name = "onboarding"

urlpatterns: list[URLPattern | URLResolver] = []
