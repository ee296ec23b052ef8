from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "praja.core.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from praja.core.notifications.periodic import register_default_jobs

        register_default_jobs()
