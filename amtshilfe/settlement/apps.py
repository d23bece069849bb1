from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "amtshilfe.settlement"
    label = "settlement"
    verbose_name = "Abrechnung zwischen Kommunen"
