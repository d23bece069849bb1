"""URLs of the Kanban boards (included by ``board/urls.py``, namespace ``board``)."""

from django.urls import path

from amtshilfe.board.views import kanban

urlpatterns = [
    path("kanban/", kanban.board, name="board"),
]
