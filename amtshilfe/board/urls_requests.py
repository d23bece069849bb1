"""URLs of the help page and the requests (included by ``board/urls.py``, namespace ``board``)."""

from django.urls import path

from amtshilfe.board.views import help_page, request_actions, requests

urlpatterns = [
    path("hilfe/", help_page.help_page, name="help"),
    path("hilfe/geholfen/", help_page.self_help, name="self_help"),
    path("hilfe/danke/", help_page.help_thanks, name="help_thanks"),
    path("anfragen/", requests.request_list, name="request_list"),
    path("anfragen/<int:pk>/", requests.request_detail, name="request"),
    path(
        "anfragen/<int:pk>/anhang/<int:attachment_pk>/",
        requests.attachment,
        name="request_attachment",
    ),
    path("anfragen/<int:pk>/anhaenge/", request_actions.upload, name="request_upload"),
    path("anfragen/<int:pk>/kommentar/", request_actions.comment, name="request_comment"),
    path("anfragen/<int:pk>/beobachten/", request_actions.watch, name="request_watch"),
    path("anfragen/<int:pk>/nicht-beobachten/", request_actions.unwatch, name="request_unwatch"),
    path("anfragen/<int:pk>/uebernehmen/", request_actions.take, name="request_take"),
    path("anfragen/<int:pk>/zuweisen/", request_actions.assign, name="request_assign"),
    path("anfragen/<int:pk>/cluster/", request_actions.change_cluster, name="request_cluster"),
    path(
        "anfragen/<int:pk>/dringlichkeit/", request_actions.change_urgency, name="request_urgency"
    ),
    path("anfragen/<int:pk>/verschieben/", request_actions.move, name="request_move"),
    path("anfragen/<int:pk>/erledigt/", request_actions.close, name="request_close"),
    path("anfragen/<int:pk>/wieder-oeffnen/", request_actions.reopen, name="request_reopen"),
    path("anfragen/<int:pk>/bewerten/", request_actions.rate, name="request_rate"),
    path("anfragen/<int:pk>/artikel/", request_actions.create_article, name="request_article"),
]
