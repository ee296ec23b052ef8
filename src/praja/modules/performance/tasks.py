"""Background jobs of e-Kinerja (scheduler, one run per active tenant); each calls an action.

"performance.auto_approve_last_month": only where the month's config says `auto_approve` (a policy
switch BKPSDM turns on knowingly; it weakens the supervisor's control), approve last month's entries
still submitted once its validation deadline has passed, through the system transition (audited,
actor "Sistem"). With the default policy ("count_zero") it does nothing.
"""

from __future__ import annotations

import datetime

from praja.core.tenancy.context import use_tenant

AUTO_APPROVE_JOB = "performance.auto_approve_last_month"
AUTO_APPROVE_EVERY_SECONDS = 6 * 3600


def auto_approve_last_month(tenant) -> int:
    from praja.modules.performance import actions, selectors

    with use_tenant(tenant):
        today = selectors.local_today(tenant)
        last_month = today.replace(day=1) - datetime.timedelta(days=1)
        return actions.auto_approve_month(tenant=tenant, year=last_month.year, month=last_month.month)


def register_jobs() -> None:
    from praja.core.notifications.periodic import register_periodic

    register_periodic(
        AUTO_APPROVE_JOB,
        "praja.modules.performance.tasks.auto_approve_last_month",
        every_seconds=AUTO_APPROVE_EVERY_SECONDS,
        per_tenant=True,
    )
