from django.apps import AppConfig


class CommunicationConfig(AppConfig):
    name = "amtshilfe.communication"
    label = "communication"
    verbose_name = "Kommunikation im Netzwerk"
