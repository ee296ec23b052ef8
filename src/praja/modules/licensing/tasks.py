"""Background jobs of licensing (scheduler, one run per active tenant); each calls an action.

SLA breaches are flagged and escalated by the core job "workflow.check_sla_breaches"; bills expire
with L3's "licensing.expire_overdue_bills". This job finishes the system steps a failure left
behind: a permit approved or paid but not yet issued (rendering failed), a file awaiting payment
without its bill.
"""

from __future__ import annotations

import logging

from praja.core.tenancy.context import use_tenant

logger = logging.getLogger(__name__)

FINISH_JOB = "licensing.finish_system_steps"
FINISH_EVERY_SECONDS = 600


def finish_system_steps(tenant) -> int:
    """Issue permits of approved (free) and paid files, and bills of files awaiting payment."""
    from praja.modules.licensing import actions
    from praja.modules.licensing.models import Application, ApplicationStatus

    done = 0
    with use_tenant(tenant):
        for application in Application.objects.filter(
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.PAID]
        ).order_by("pk"):
            try:
                actions.issue_permit(application=application)
                done += 1
            except Exception:  # one file's failure must not stop the others; logged for the operator
                logger.exception("could not issue the permit of application %s", application.pk)
        for application in Application.objects.filter(status=ApplicationStatus.AWAITING_PAYMENT).order_by(
            "pk"
        ):
            try:
                actions.ensure_bill(application=application)
            except Exception:
                logger.exception("could not issue the bill of application %s", application.pk)
    return done


def register_jobs() -> None:
    from praja.core.notifications.periodic import register_periodic

    register_periodic(
        FINISH_JOB,
        "praja.modules.licensing.tasks.finish_system_steps",
        every_seconds=FINISH_EVERY_SECONDS,
        per_tenant=True,
    )
