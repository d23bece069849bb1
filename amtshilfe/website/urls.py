from django.urls import path

from amtshilfe.website import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
]
