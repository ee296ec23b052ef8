from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "praja.modules.performance"
    label = "performance"
    verbose_name = "Performance (e-Kinerja): daily activities and attendance"

    def ready(self) -> None:
        from praja.core.modules.registry import register
        from praja.modules.performance.manifest import MANIFEST

        register(MANIFEST)

        from praja.modules.performance.tasks import register_jobs

        register_jobs()
