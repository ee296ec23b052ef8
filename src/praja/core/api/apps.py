from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "praja.core.api"
    label = "api"
    verbose_name = "API"
