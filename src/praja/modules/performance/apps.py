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

        from django.db.models.signals import post_delete, post_save

        from praja.modules.performance import selectors

        # Approved versions are final, but tests and the admin shell may still save one directly.
        for model_name in ("PerformanceConfig", "Activity"):
            model = self.get_model(model_name)
            for signal in (post_save, post_delete):
                signal.connect(
                    selectors.forget_frozen_versions, sender=model, dispatch_uid=f"frozen-{model_name}"
                )
