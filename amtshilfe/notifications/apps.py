from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "amtshilfe.notifications"
    label = "notifications"
    verbose_name = "Benachrichtigungen"
