from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "amtshilfe.demo"
    label = "demo"
