from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "amtshilfe.website"
    label = "website"
