from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "amtshilfe.board"
    label = "board"
    verbose_name = "Anfragen und Board"
