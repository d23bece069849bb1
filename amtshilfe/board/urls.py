"""Requests and boards. Asking for help and the requests live under ``/hilfe/`` and
``/anfragen/`` (``urls_requests``), the Kanban boards under ``/kanban/`` (``urls_kanban``)."""

from amtshilfe.board.urls_kanban import urlpatterns as kanban_patterns
from amtshilfe.board.urls_requests import urlpatterns as request_patterns

app_name = "board"

urlpatterns = [*request_patterns, *kanban_patterns]
