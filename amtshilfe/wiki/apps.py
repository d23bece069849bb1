from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "amtshilfe.wiki"
    label = "wiki"
    verbose_name = "Wissensdatenbank"
