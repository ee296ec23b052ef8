from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "praja.core.audit"
    label = "audit"
    verbose_name = "Audit chain"
