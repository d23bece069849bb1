"""URLs of the help page and the requests (included by ``board/urls.py``, namespace ``board``)."""

from django.urls import path

from amtshilfe.board.views import help_page, requests

urlpatterns = [
    path("hilfe/", help_page.help_page, name="help"),
    path("anfragen/", requests.request_list, name="request_list"),
    path("anfragen/<int:pk>/", requests.request_detail, name="request"),
]
