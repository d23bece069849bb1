"""Surveys under /umfragen/: answering (in the app and by link), coordination, results,
and the processing register (``verarbeitungsverzeichnis/``)."""

from django.urls import path

from amtshilfe.surveys.views import coordination, links, participant, register, results

app_name = "surveys"

urlpatterns = [
    path("", participant.index, name="index"),
    path("danke/", links.thanks, name="thanks"),
    path("link/<str:token>/", links.answer_by_link, name="answer_by_link"),
    path("bewertung/<str:token>/", links.rate_by_link, name="rate_by_link"),
    path("verarbeitungsverzeichnis/", register.processing_register, name="register"),
    path("verwaltung/", coordination.survey_list, name="manage_list"),
    path("verwaltung/neu/", coordination.create, name="create"),
    path("verwaltung/vorlage/", coordination.from_template, name="from_template"),
    path("verwaltung/<int:pk>/", coordination.manage, name="manage"),
    path("verwaltung/<int:pk>/fragen/", coordination.add_question, name="add_question"),
    path(
        "verwaltung/<int:pk>/fragen/<int:question_pk>/entfernen/",
        coordination.remove_question,
        name="remove_question",
    ),
    path(
        "verwaltung/<int:pk>/fragen/<int:question_pk>/verschieben/",
        coordination.move_question,
        name="move_question",
    ),
    path("verwaltung/<int:pk>/vorschau/", coordination.preview, name="preview"),
    path("verwaltung/<int:pk>/oeffnen/", coordination.open_survey, name="open"),
    path("verwaltung/<int:pk>/beenden/", coordination.close_survey, name="close"),
    path("verwaltung/<int:pk>/ergebnisse/", results.results, name="results"),
    path("verwaltung/<int:pk>/ergebnisse.csv", results.results_csv, name="results_csv"),
    path("<int:pk>/", participant.answer, name="answer"),
]
