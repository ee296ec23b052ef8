from django.apps import AppConfig


class PerformanceTppConfig(AppConfig):
    name = "praja.modules.performance.tpp"
    label = "performance_tpp"
    verbose_name = "Performance: monthly close and TPP"

    def ready(self) -> None:
        from praja.core.workflow.registry import register_workflow
        from praja.modules.performance.tpp.transitions import MONTH_CLOSE_WORKFLOW

        register_workflow(MONTH_CLOSE_WORKFLOW)

        from praja.modules.performance.tpp.tasks import register_jobs

        register_jobs()
