from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amtshilfe.api"
    label = "api"
