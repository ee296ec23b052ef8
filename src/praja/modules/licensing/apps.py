from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "praja.modules.licensing"
    label = "licensing"
    verbose_name = "Licensing (perizinan online)"

    def ready(self) -> None:
        from praja.core.modules.registry import register
        from praja.modules.licensing.manifest import MANIFEST

        register(MANIFEST)

        from praja.modules.licensing.tasks import register_jobs

        register_jobs()
