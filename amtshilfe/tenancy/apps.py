from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "amtshilfe.tenancy"
    label = "tenancy"
    verbose_name = "Netzwerk und Kommunen"
