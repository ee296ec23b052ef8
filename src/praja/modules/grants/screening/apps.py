from django.apps import AppConfig


class GrantsScreeningConfig(AppConfig):
    name = "praja.modules.grants.screening"
    label = "grants_screening"
    verbose_name = "Grants: beneficiary registry, duplicate and eligibility screening"

    def ready(self) -> None:
        from praja.core.permissions.roles import register_role
        from praja.modules.grants.screening.permissions import ROLES

        # Registered here so the roles exist whether or not the grants manifest lists them too
        # (registering the same definition twice is a no-op).
        for role in ROLES:
            register_role(role)
