"""Background job of the monthly close: compute last month once its validation deadline has passed.

The job only creates the first version of a month (a system computation, no actor); corrections,
approval and locking stay with BKPSDM. A tenant without an approved configuration is skipped.
"""

from __future__ import annotations

import datetime
import logging

from praja.core.tenancy.context import use_tenant

logger = logging.getLogger(__name__)

CLOSE_JOB = "performance_tpp.close_previous_month"


def previous_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def close_previous_month(tenant, *, today: datetime.date | None = None):
    """Compute the previous month's close when its validation deadline is over and none exists."""
    from praja.modules.performance import rules as performance_rules
    from praja.modules.performance import selectors as performance
    from praja.modules.performance.tpp import actions
    from praja.modules.performance.tpp.models import MonthClose

    with use_tenant(tenant):
        today = today or performance.local_today(tenant)
        month = previous_month(today)
        config = performance.config_for_month(tenant, month.year, month.month)
        if config is None or MonthClose.objects.filter(month=month).exists():
            return None
        if today <= performance_rules.validation_deadline(month, config.validation_deadline_day):
            return None
        try:
            return actions.compute_month_close(actor=None, month=month, by_system=True, today=today)
        except actions.CloseRefused:
            logger.exception("could not close %s of tenant %s", month, tenant.pk)
            return None


def register_jobs() -> None:
    from praja.core.notifications.periodic import register_periodic

    register_periodic(
        CLOSE_JOB,
        "praja.modules.performance.tpp.tasks.close_previous_month",
        daily_at="02:30",
        per_tenant=True,
    )
