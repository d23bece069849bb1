from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "amtshilfe.dashboard"
    label = "dashboard"
