from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amtshilfe.accounts"
    label = "accounts"
    verbose_name = "Konten"
