from django.urls import path

from amtshilfe.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.start, name="start"),
]
