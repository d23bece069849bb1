from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "amtshilfe.assistant"
    label = "assistant"
    verbose_name = "KI-Assistent"
