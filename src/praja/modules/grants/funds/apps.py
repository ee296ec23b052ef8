from django.apps import AppConfig


class GrantsFundsConfig(AppConfig):
    name = "praja.modules.grants.funds"
    label = "grants_funds"
    verbose_name = "Grants: disbursement, accountability reports and the public record"

    def ready(self) -> None:
        from praja.core.permissions.roles import register_role
        from praja.core.workflow.registry import register_workflow
        from praja.modules.grants.funds.permissions import ROLES
        from praja.modules.grants.funds.tasks import register_jobs
        from praja.modules.grants.funds.transitions import TRANCHE_WORKFLOW

        for role in ROLES:
            register_role(role)
        register_workflow(TRANCHE_WORKFLOW)
        register_jobs()
