"""Background jobs of grant funds (the scheduler runs them once per active tenant)."""

from __future__ import annotations

from praja.core.tenancy.context import use_tenant

OVERDUE_JOB = "grants_funds.mark_overdue_lpjs"
OVERDUE_EVERY_SECONDS = 3600  # deadlines end at a local midnight; an hour late at most


def mark_overdue_lpjs_for_tenant(tenant) -> int:
    """Mark `tenant`'s LPJs past their deadline overdue (flag, escalation, suspension)."""
    from praja.modules.grants.funds.lpj import mark_overdue_lpjs

    with use_tenant(tenant):
        return len(mark_overdue_lpjs())


def register_jobs() -> None:
    from praja.core.notifications.periodic import register_periodic

    register_periodic(
        OVERDUE_JOB,
        "praja.modules.grants.funds.tasks.mark_overdue_lpjs_for_tenant",
        every_seconds=OVERDUE_EVERY_SECONDS,
        per_tenant=True,
    )
