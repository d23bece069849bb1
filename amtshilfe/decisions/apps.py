from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "amtshilfe.decisions"
    label = "decisions"
    verbose_name = "Entscheidungen der Steuerungsgruppe"
