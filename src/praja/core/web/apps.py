from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "praja.core.web"
    label = "web"
    verbose_name = "Pages"
