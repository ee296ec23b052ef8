"""Reads of the workflow: a case's timeline with who holds it and the SLA left, and what an actor
may do next."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from praja.core.calendar.selectors import working_days_between
from praja.core.tenancy.context import use_tenant
from praja.core.workflow import checks
from praja.core.workflow.definitions import Transition, Workflow
from praja.core.workflow.errors import WorkflowError
from praja.core.workflow.models import CaseEvent, SlaClock
from praja.core.workflow.registry import get_workflow_for


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: datetime.datetime
    transition: str
    label: str
    from_status: str
    from_label: str
    to_status: str
    to_label: str
    actor_id: int | None
    actor_name: str
    reason: str


@dataclass(frozen=True)
class SlaStatus:
    working_days: int
    started_at: datetime.datetime
    due_at: datetime.datetime
    working_days_left: int  # negative: working days past the due date
    is_paused: bool
    paused_at: datetime.datetime | None
    paused_working_days: int
    is_stopped: bool
    is_breached: bool
    breached_at: datetime.datetime | None


@dataclass(frozen=True)
class CaseTimeline:
    status: str
    status_label: str
    holder: str  # the office or role holding the case now, as the applicant reads it
    held_since: datetime.datetime | None
    entries: list[TimelineEntry] = field(default_factory=list)
    sla: SlaStatus | None = None


def _case_key(case) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(type(case)), str(case.pk)


def list_case_events(case) -> list[CaseEvent]:
    content_type, object_id = _case_key(case)
    with use_tenant(case.tenant):
        return list(
            CaseEvent.objects.filter(content_type=content_type, object_id=object_id).order_by(
                "occurred_at", "pk"
            )
        )


def get_sla_clock(case) -> SlaClock | None:
    content_type, object_id = _case_key(case)
    with use_tenant(case.tenant):
        return SlaClock.objects.filter(content_type=content_type, object_id=object_id).first()


def get_sla_status(case, *, now: datetime.datetime | None = None) -> SlaStatus | None:
    """Return the case's SLA: due date and working days left (frozen while paused, final once stopped)."""
    clock = get_sla_clock(case)
    if clock is None:
        return None
    reference = clock.stopped_at or clock.paused_at or now or timezone.now()
    return SlaStatus(
        working_days=clock.working_days,
        started_at=clock.started_at,
        due_at=clock.due_at,
        working_days_left=working_days_between(case.tenant, reference, clock.due_at),
        is_paused=clock.paused_at is not None and clock.stopped_at is None,
        paused_at=clock.paused_at,
        paused_working_days=clock.paused_working_days,
        is_stopped=clock.stopped_at is not None,
        is_breached=clock.breached_at is not None or reference > clock.due_at,
        breached_at=clock.breached_at,
    )


def get_case_timeline(case, *, now: datetime.datetime | None = None) -> CaseTimeline:
    """Return what the applicant sees: every step, who holds the case now, since when, SLA left."""
    workflow = get_workflow_for(case)
    events = list_case_events(case)
    status = str(getattr(case, workflow.status_field))
    state = workflow.state(status)
    entries = [
        TimelineEntry(
            occurred_at=event.occurred_at,
            transition=event.transition,
            label=str(getattr(workflow.get_transition(event.transition), "label", event.transition)),
            from_status=event.from_status,
            from_label=workflow.state_label(event.from_status),
            to_status=event.to_status,
            to_label=workflow.state_label(event.to_status),
            actor_id=event.actor_id,
            actor_name=event.actor_label,
            reason=event.reason,
        )
        for event in events
    ]
    held_since = events[-1].occurred_at if events else getattr(case, "created_at", None)
    return CaseTimeline(
        status=status,
        status_label=str(state.label),
        holder=str(state.holder or ""),
        held_since=held_since,
        entries=entries,
        sla=get_sla_status(case, now=now),
    )


def list_available_transitions(case, actor) -> list[Transition]:
    """Return the transitions `actor` may take on `case` now (guards and second factor aside)."""
    workflow = get_workflow_for(case)
    status = str(getattr(case, workflow.status_field))
    events = None
    available = []
    with use_tenant(case.tenant):
        for item in workflow.transitions_from(status):
            try:
                checks.refuse_unless_authorised(workflow, item, case, actor)
                if workflow.separation_of_duties:
                    events = events if events is not None else list_case_events(case)
                    checks.refuse_separation_of_duties(workflow, item, actor, events)
            except WorkflowError:
                continue
            available.append(item)
    return available


def get_case_holders(case, *, workflow: Workflow | None = None) -> list:
    """Return the people holding the case now: its assignee, else the holders of the state's role."""
    from praja.core.accounts.models import RoleGrant, User

    workflow = workflow or get_workflow_for(case)
    if workflow.assignee_field and getattr(case, f"{workflow.assignee_field}_id", None):
        return [getattr(case, workflow.assignee_field)]
    role = workflow.state(str(getattr(case, workflow.status_field))).holder_role
    if not role:
        return []
    with use_tenant(case.tenant):
        grants = RoleGrant.objects.filter(role=role, revoked_at__isnull=True)
        if workflow.org_unit_field and getattr(case, f"{workflow.org_unit_field}_id", None):
            org_unit_id = getattr(case, f"{workflow.org_unit_field}_id")
            grants = grants.filter(org_unit_id__in=[org_unit_id]) | grants.filter(org_unit__isnull=True)
        user_ids = grants.values("user_id")
        return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def get_case_label(case) -> str:
    return f"{case._meta.verbose_name} #{case.pk}: {case}"
