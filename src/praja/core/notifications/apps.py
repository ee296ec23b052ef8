from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "praja.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"
