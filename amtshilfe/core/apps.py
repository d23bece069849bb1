from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amtshilfe.core"
    label = "core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from amtshilfe.core import checks  # noqa: F401  (registers system checks)
