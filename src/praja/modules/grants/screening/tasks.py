"""Background tasks of grants screening (Django's Tasks API; ids in, the tenant made active)."""

from __future__ import annotations

from django_tasks import task


@task()
def screen_import_batch_task(tenant_id: int, batch_id: int) -> str:
    """Screen an imported batch of beneficiaries against the tenant's registry."""
    from praja.core.tenancy.context import use_tenant
    from praja.core.tenancy.models import Tenant
    from praja.modules.grants.screening.actions import run_import_screening

    tenant = Tenant.objects.get(pk=tenant_id)
    with use_tenant(tenant):
        return run_import_screening(batch_id=batch_id)
