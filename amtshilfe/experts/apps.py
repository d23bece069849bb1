from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "amtshilfe.experts"
    label = "experts"
    verbose_name = "Themencluster und Expertise"
