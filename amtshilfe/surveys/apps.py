from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "amtshilfe.surveys"
    label = "surveys"
    verbose_name = "Umfragen"
