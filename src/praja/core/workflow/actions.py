"""The writers of the workflow: `transition()`, the only code that changes a case's status, and
`check_sla_breaches()`, the scheduled job that marks and escalates overdue cases."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.tenancy.context import get_current_tenant, use_tenant
from praja.core.workflow import checks
from praja.core.workflow.clock import advance_clock
from praja.core.workflow.definitions import Transition, Workflow
from praja.core.workflow.errors import PermissionDenied, SecondFactorRequired, UnknownTransition
from praja.core.workflow.models import CaseEvent, SlaClock
from praja.core.workflow.registry import (
    allow_status_assignment,
    get_workflow,
    get_workflow_for,
    mark_status_saved,
)

logger = logging.getLogger(__name__)

SECOND_FACTOR_REFUSED = "workflow.second_factor_refused"
SLA_BREACHED = "workflow.sla_breached"
SLA_BREACH_TEMPLATE = "workflow/sla_breached"
STATUS_CHANGED_TEMPLATE = "workflow/status_changed"
# Who the timeline names for a system transition (actor None): a verified callback, a scheduled job.
SYSTEM_ACTOR_LABEL = "Sistem"


def transition(
    case,
    name: str,
    *,
    actor,
    reason: str = "",
    data: dict[str, Any] | None = None,
    updates: dict[str, Any] | None = None,
    effects: Callable[[Any], Iterable[str] | None] | None = None,
    expected_status: str | None = None,
    expected_version: int | None = None,
    otp_verified: bool | None = None,
    request=None,
    workflow: Workflow | None = None,
) -> CaseEvent:
    """Move `case` along transition `name` of its workflow, or refuse and change nothing.

    In one transaction: lock the row, refuse if it moved on since the actor loaded it (the status
    and version of `case` as passed, unless `expected_status`/`expected_version` say otherwise),
    check the source state, the actor's authority, separation of duties, the second factor and the
    guards; then set the status, apply `updates` (field -> value) and `effects(locked_case)` (which
    may write more and returns extra field names to save), save, record the audit event, append the
    timeline entry and advance the SLA clock. `case` is updated in place; the timeline entry is
    returned.

    Call it as the outermost transaction: a refused second factor is recorded on the audit chain
    after the transition's own transaction rolls back, which an enclosing transaction would undo.
    """
    workflow = workflow or get_workflow_for(case)
    item = workflow.get_transition(name)
    if item is None:
        raise UnknownTransition(f"workflow {workflow.name} has no transition {name!r}")
    data = dict(data or {})
    if expected_status is None:
        expected_status = case.__dict__.get(workflow.status_field)
    if expected_version is None and workflow.version_field:
        expected_version = case.__dict__.get(workflow.version_field)
    verified = checks.second_factor_verified(actor, request=request, otp_verified=otp_verified)
    tenant = case.tenant
    active = get_current_tenant()
    if active is not None and active.pk != tenant.pk:
        # A case of another region reached an action: answer as if it did not exist.
        raise PermissionDenied(_("Berkas tidak ditemukan di pemerintah daerah ini."))
    with use_tenant(tenant):
        try:
            with transaction.atomic():
                locked, event, saved_fields = _apply(
                    workflow,
                    item,
                    case,
                    tenant=tenant,
                    actor=actor,
                    reason=reason,
                    data=data,
                    updates=updates,
                    effects=effects,
                    expected_status=expected_status,
                    expected_version=expected_version,
                    verified=verified,
                )
        except SecondFactorRequired:
            _record_second_factor_refusal(workflow, item, case, actor=actor, request=request)
            raise
    for field in saved_fields:
        setattr(case, field, getattr(locked, field))
    mark_status_saved(case, workflow)
    return event


def _apply(
    workflow: Workflow,
    item: Transition,
    case,
    *,
    tenant,
    actor,
    reason,
    data,
    updates,
    effects,
    expected_status,
    expected_version,
    verified,
):
    model = type(case)
    locked = model._base_manager.select_for_update().get(pk=case.pk, tenant=tenant)
    content_type = ContentType.objects.get_for_model(model)
    previous_events = list(CaseEvent.objects.filter(content_type=content_type, object_id=str(case.pk)))
    checks.refuse_if_moved_on(
        workflow,
        locked,
        tenant=tenant,
        expected_status=expected_status,
        expected_version=expected_version,
        last_event=previous_events[-1] if previous_events else None,
    )
    current = str(getattr(locked, workflow.status_field))
    checks.refuse_unless_source(workflow, item, current)
    checks.refuse_unless_authorised(workflow, item, locked, actor)
    checks.refuse_separation_of_duties(workflow, item, actor, previous_events)
    checks.refuse_without_second_factor(item, verified)
    checks.refuse_failed_guards(item, locked, actor=actor, data=data, reason=reason)

    fields = {workflow.status_field}
    setattr(locked, workflow.status_field, item.target)
    if workflow.version_field:
        setattr(locked, workflow.version_field, (getattr(locked, workflow.version_field) or 0) + 1)
        fields.add(workflow.version_field)
    for field, value in (updates or {}).items():
        setattr(locked, field, value)
        fields.add(field)
    if effects is not None:
        fields.update(effects(locked) or ())
    with allow_status_assignment():
        locked.save(update_fields=sorted(fields))
    mark_status_saved(locked, workflow)

    now = timezone.now()
    audit_event = record(
        item.audit_event,
        actor=actor,
        obj=locked,
        data={
            "workflow": workflow.name,
            "transition": item.name,
            "from": current,
            "to": item.target,
            **({"reason": reason} if reason else {}),
            **({"actor": SYSTEM_ACTOR_LABEL} if item.system else {}),
            **data,
        },
    )
    event = CaseEvent.objects.create(
        content_type=content_type,
        object_id=str(case.pk),
        workflow=workflow.name,
        transition=item.name,
        from_status=current,
        to_status=item.target,
        actor=actor,
        actor_label=str(actor) if actor is not None else SYSTEM_ACTOR_LABEL,
        reason=reason,
        occurred_at=now,
        audit_event=audit_event,
    )
    advance_clock(workflow, item, locked, tenant=tenant, content_type=content_type, now=now)
    if workflow.notify_parties:
        _notify_parties(workflow, locked, actor=actor, tenant=tenant)
    return locked, event, sorted(fields)


def _notify_parties(workflow: Workflow, case, *, actor, tenant) -> None:
    """Tell the applicant (and other parties) their file moved; sent after commit by the outbox."""
    from praja.core.accounts.models import User
    from praja.core.notifications.actions import notify
    from praja.core.workflow.selectors import get_case_label

    party_ids = checks.parties_of(workflow, case) - {getattr(actor, "pk", None)}
    if not party_ids:
        return
    status = str(getattr(case, workflow.status_field))
    context = {
        "case": get_case_label(case),
        "status_label": workflow.state_label(status),
        "timeline_url": workflow.timeline_url(case) if workflow.timeline_url else "",
    }
    for person in User.objects.filter(pk__in=party_ids, is_active=True).order_by("pk"):
        notify(recipient=person, template=STATUS_CHANGED_TEMPLATE, context=context, tenant=tenant)


def _record_second_factor_refusal(workflow: Workflow, item: Transition, case, *, actor, request) -> None:
    if transaction.get_connection().in_atomic_block:
        logger.warning(
            "transition %s.%s refused for want of a second factor inside an enclosing transaction; "
            "the refusal's audit record is lost if that transaction rolls back",
            workflow.name,
            item.name,
        )
    ip_address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    with transaction.atomic():
        record(
            SECOND_FACTOR_REFUSED,
            actor=actor,
            obj=case,
            ip_address=ip_address,
            data={
                "workflow": workflow.name,
                "transition": item.name,
                "status": str(case.__dict__.get(workflow.status_field, "")),
            },
        )


def check_sla_breaches(tenant, *, now=None) -> list[SlaClock]:
    """Mark every running clock of `tenant` past its due date as breached and escalate it.

    Each breach is recorded on the audit chain and notified to the supervisors of the people who
    hold the case (or to those people when no supervisor is on record). Returns the clocks marked
    in this run; a clock already marked is never marked or escalated again.
    """
    now = now or timezone.now()
    breached = []
    with use_tenant(tenant):
        candidates = list(
            SlaClock.objects.filter(
                stopped_at__isnull=True, paused_at__isnull=True, breached_at__isnull=True, due_at__lt=now
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for pk in candidates:
            with transaction.atomic():
                clock = (
                    SlaClock.objects.select_for_update()
                    .filter(
                        pk=pk,
                        stopped_at__isnull=True,
                        paused_at__isnull=True,
                        breached_at__isnull=True,
                        due_at__lt=now,
                    )
                    .first()
                )
                if clock is not None:
                    _escalate(tenant, clock, now=now)
                    breached.append(clock)
    return breached


def _escalate(tenant, clock: SlaClock, *, now) -> None:
    from praja.core.notifications.actions import notify
    from praja.core.workflow.selectors import get_case_holders, get_case_label

    workflow = get_workflow(clock.workflow)
    case = clock.content_type.model_class()._base_manager.get(pk=clock.object_id, tenant=tenant)
    clock.breached_at = now
    clock.save(update_fields=["breached_at"])
    holders = get_case_holders(case, workflow=workflow)
    recipients = _supervisors_of(holders) or holders
    status = str(getattr(case, workflow.status_field))
    record(
        SLA_BREACHED,
        obj=case,
        data={
            "workflow": workflow.name,
            "status": status,
            "due_at": clock.due_at.isoformat(),
            "holders": sorted(person.pk for person in holders),
            "escalated_to": sorted(person.pk for person in recipients),
        },
    )
    context = {
        "case": get_case_label(case),
        "case_type": str(workflow.label or workflow.name),
        "status": workflow.state_label(status),
        "holder": str(workflow.state(status).holder or ""),
        "due": checks.format_moment(tenant, clock.due_at),
        "working_days": clock.working_days,
    }
    for person in recipients:
        notify(recipient=person, template=SLA_BREACH_TEMPLATE, context=context, tenant=tenant)


def _supervisors_of(people) -> list:
    from praja.core.accounts.selectors import get_supervisor_of

    found = {}
    for person in people:
        supervisor = get_supervisor_of(person)
        if supervisor is not None and supervisor.is_active:
            found[supervisor.pk] = supervisor
    return [found[pk] for pk in sorted(found)]
