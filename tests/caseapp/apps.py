from django.apps import AppConfig


class CaseappConfig(AppConfig):
    name = "tests.caseapp"
    label = "caseapp"
    verbose_name = "Test cases for the core workflow"
