"""SLA clock bookkeeping for one transition, counted in the tenant's working days."""

from __future__ import annotations

from praja.core.calendar.selectors import add_working_days, working_days_between
from praja.core.workflow.definitions import Transition, Workflow
from praja.core.workflow.models import SlaClock


def advance_clock(
    workflow: Workflow, item: Transition, case, *, tenant, content_type, now
) -> SlaClock | None:
    """Start, pause, resume or stop the case's clock as the transition declares; return it."""
    clock = (
        SlaClock.objects.select_for_update().filter(content_type=content_type, object_id=str(case.pk)).first()
    )
    days = item.sla_for(case)
    if days is not None:
        fields = {
            "workflow": workflow.name,
            "working_days": days,
            "started_at": now,
            "due_at": add_working_days(tenant, now, days),
            "paused_at": None,
            "paused_working_days": 0,
            "stopped_at": None,
            "breached_at": None,
        }
        if clock is None:
            return SlaClock.objects.create(content_type=content_type, object_id=str(case.pk), **fields)
        for name, value in fields.items():
            setattr(clock, name, value)
        clock.save(update_fields=list(fields))
        return clock
    if clock is None or clock.stopped_at is not None:
        return clock
    changed = []
    if item.resumes_clock and clock.paused_at is not None:
        paused_days = max(0, working_days_between(tenant, clock.paused_at, now))
        if paused_days:
            clock.due_at = add_working_days(tenant, clock.due_at, paused_days)
        clock.paused_working_days += paused_days
        clock.paused_at = None
        changed += ["due_at", "paused_working_days", "paused_at"]
    if item.pauses_clock and clock.paused_at is None:
        clock.paused_at = now
        changed.append("paused_at")
    if item.stops_clock or item.target in workflow.final_states():
        clock.stopped_at = now
        changed.append("stopped_at")
    if changed:
        clock.save(update_fields=sorted(set(changed)))
    return clock
