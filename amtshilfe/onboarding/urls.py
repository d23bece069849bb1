"""Onboarding into topic clusters under /einarbeitung/."""

from django.urls import path

from amtshilfe.onboarding.views import editor, overview, plans

app_name = "onboarding"

urlpatterns = [
    path("", overview.index, name="index"),
    path("willkommen/", plans.welcome, name="welcome"),
    path("meine-mentees/", plans.mentees, name="mentees"),
    path("cluster/<slug:slug>/vorlage/", editor.template_editor, name="template"),
    path(
        "cluster/<slug:slug>/vorlage/<int:item_pk>/",
        editor.edit_template_item,
        name="template_item",
    ),
    path(
        "cluster/<slug:slug>/vorlage/<int:item_pk>/entfernen/",
        editor.remove_template_item,
        name="template_item_remove",
    ),
    path(
        "cluster/<slug:slug>/vorlage/<int:item_pk>/verschieben/",
        editor.move_template_item,
        name="template_item_move",
    ),
    path("cluster/<slug:slug>/starten/", editor.start, name="start"),
    path("plan/<int:pk>/", plans.plan_detail, name="plan"),
    path("plan/<int:pk>/punkt/", plans.add_item, name="plan_item_add"),
    path("plan/<int:pk>/punkt/<int:item_pk>/erledigt/", plans.tick, name="tick"),
    path("plan/<int:pk>/punkt/<int:item_pk>/offen/", plans.untick, name="untick"),
    path("plan/<int:pk>/punkt/<int:item_pk>/anfrage/", plans.link_request, name="link_request"),
    path("plan/<int:pk>/mentor/", plans.set_mentor, name="mentor"),
    path("plan/<int:pk>/abbrechen/", plans.cancel, name="cancel"),
]
