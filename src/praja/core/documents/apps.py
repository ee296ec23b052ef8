from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "praja.core.documents"
    label = "documents"
    verbose_name = "Documents"
