from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "praja.core.tenancy"
    label = "tenancy"
    verbose_name = "Tenancy"
