"""Steering-group decisions under /entscheidungen/; the public register needs no login."""

from django.urls import path

from amtshilfe.decisions.views import editing, proposal, register

app_name = "decisions"

urlpatterns = [
    path("", register.index, name="index"),
    path("neu/", editing.create, name="create"),
    path("regeln/", editing.decision_rules, name="rules"),
    path("oeffentlich/", register.public_register, name="public_register"),
    path("oeffentlich/<int:pk>/", register.public_detail, name="public_detail"),
    path("<int:pk>/", proposal.detail, name="detail"),
    path("<int:pk>/bearbeiten/", editing.edit, name="edit"),
    path("<int:pk>/anhaenge/", editing.attachments, name="attachments"),
    path("<int:pk>/anhang/<int:attachment_pk>/", editing.download, name="attachment"),
    path(
        "<int:pk>/anhang/<int:attachment_pk>/entfernen/",
        editing.remove_attachment,
        name="attachment_remove",
    ),
    path("<int:pk>/abstimmung/", proposal.open_voting, name="open_voting"),
    path("<int:pk>/stimme/", proposal.vote, name="vote"),
    path("<int:pk>/kommentar/", proposal.comment, name="comment"),
    path("<int:pk>/zurueckziehen/", proposal.withdraw, name="withdraw"),
    path("<int:pk>/begruendung/", proposal.record_reasons, name="reasons"),
]
