from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "praja.core.workflow"
    label = "workflow"
    verbose_name = "Workflow"
