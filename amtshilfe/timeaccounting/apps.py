from django.apps import AppConfig


class TimeaccountingConfig(AppConfig):
    name = "amtshilfe.timeaccounting"
    label = "timeaccounting"
    verbose_name = "Zeiterfassung"
