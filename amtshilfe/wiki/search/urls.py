from django.urls import path

from amtshilfe.wiki.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="page"),
]
