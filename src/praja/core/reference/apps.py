from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "praja.core.reference"
    label = "reference"
    verbose_name = "Reference data"
