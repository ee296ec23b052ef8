from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "praja.modules.grants"
    label = "grants"
    verbose_name = "Grants and social aid (hibah & bansos)"

    def ready(self) -> None:
        from praja.core.modules.registry import register
        from praja.modules.grants.manifest import MANIFEST

        register(MANIFEST)
