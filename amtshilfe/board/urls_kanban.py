"""URLs of the Kanban boards (included by ``board/urls.py``, namespace ``board``)."""

from django.urls import path

from amtshilfe.board.views import kanban, kanban_columns, kanban_moves

urlpatterns = [
    path("kanban/", kanban.board, name="board"),
    path("kanban/meine-arbeit/", kanban.my_work, name="my_work"),
    path("kanban/cluster/<slug:cluster_slug>/", kanban.cluster_board, name="cluster_board"),
    path(
        "kanban/cluster/<slug:cluster_slug>/anlegen/",
        kanban.create_board,
        name="create_cluster_board",
    ),
    path("kanban/karten/<int:pk>/verschieben/", kanban_moves.move_card, name="move_card"),
    # Column settings (coordination)
    path("kanban/spalten/", kanban_columns.columns, name="columns"),
    path(
        "kanban/cluster/<slug:cluster_slug>/spalten/",
        kanban_columns.cluster_columns,
        name="cluster_columns",
    ),
    path(
        "kanban/boards/<int:board_pk>/einstellungen/",
        kanban_columns.update_board_settings,
        name="board_settings",
    ),
    path("kanban/boards/<int:board_pk>/spalten/neu/", kanban_columns.add_column, name="add_column"),
    path("kanban/spalten/<int:pk>/", kanban_columns.change_column, name="change_column"),
    path(
        "kanban/spalten/<int:pk>/verschieben/",
        kanban_columns.reorder_column,
        name="reorder_column",
    ),
    path("kanban/spalten/<int:pk>/loeschen/", kanban_columns.remove_column, name="remove_column"),
]
