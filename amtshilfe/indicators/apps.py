from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "amtshilfe.indicators"
    label = "indicators"
    verbose_name = "Kennzahlen"

    def ready(self) -> None:
        # Importing the figure modules registers them (``registry.indicator``).
        from amtshilfe.indicators import catalogue  # noqa: F401
