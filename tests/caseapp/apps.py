from django.apps import AppConfig


class CaseappConfig(AppConfig):
    name = "tests.caseapp"
    label = "caseapp"
    verbose_name = "Test cases for the core workflow"

    def ready(self) -> None:
        from praja.core.workflow import register_workflow
        from tests.caseapp.transitions import SAMPLE_WORKFLOW

        register_workflow(SAMPLE_WORKFLOW)

        # A small module manifest for the tenant admin pages (modules, parameters, work queue).
        from praja.core.modules.registry import register
        from tests.caseapp.sample_module import MANIFEST

        register(MANIFEST)
