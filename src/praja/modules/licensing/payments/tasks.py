"""Background jobs of retribusi billing (run by the scheduler, one task per active tenant)."""

from __future__ import annotations

from praja.core.tenancy.context import use_tenant

EXPIRE_JOB = "licensing.expire_overdue_bills"
EXPIRE_EVERY_SECONDS = 3600  # due dates fall at the end of a local day; an hour late at most


def expire_overdue_bills_for_tenant(tenant) -> int:
    """Expire `tenant`'s unpaid bills past their due date (and their applications)."""
    from praja.modules.licensing.payments.actions import expire_overdue_bills

    with use_tenant(tenant):
        return expire_overdue_bills()


def register_jobs() -> None:
    from praja.core.notifications.periodic import register_periodic

    register_periodic(
        EXPIRE_JOB,
        "praja.modules.licensing.payments.tasks.expire_overdue_bills_for_tenant",
        every_seconds=EXPIRE_EVERY_SECONDS,
        per_tenant=True,
    )
