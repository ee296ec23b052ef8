"""Validation of entries by the direct supervisor, in bulk, and the auto-approve job."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.workflow.actions import transition
from praja.modules.performance import rules, selectors
from praja.modules.performance.actions.entries import recompute_day
from praja.modules.performance.models import (
    ActivityEntry,
    Employee,
    EntryStatus,
)


class ValidationDecision:
    APPROVE = "approve"
    REJECT = "reject"
    ADJUST = "adjust"
    ALL = (APPROVE, REJECT, ADJUST)


def _refuse_outside_chain(actor, entry: ActivityEntry) -> None:
    if entry.owner_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _(
                "Anda tidak dapat memvalidasi aktivitas Anda sendiri; "
                "aktivitas divalidasi oleh atasan langsung."
            )
        )


def validate_entry(
    *,
    actor,
    entry: ActivityEntry,
    decision: str,
    reason: str = "",
    approved_minutes: int | None = None,
    request=None,
) -> ActivityEntry:
    """Approve, reject (with reason) or adjust the minutes (with reason) of a subordinate's entry."""
    if decision not in ValidationDecision.ALL:
        raise ValidationError({"decision": _("Pilih keputusan: setujui, tolak atau revisi menit.")})
    _refuse_outside_chain(actor, entry)
    now = timezone.now()
    if decision == ValidationDecision.APPROVE:
        updates = {"approved_minutes": entry.credited_minutes}
    elif decision == ValidationDecision.REJECT:
        updates = {"approved_minutes": 0}
    else:
        if approved_minutes is None or not 0 <= int(approved_minutes) <= entry.credited_minutes:
            raise ValidationError(
                {
                    "approved_minutes": _(
                        "Menit hasil revisi harus antara 0 dan %(max)s "
                        "(menit yang dihitung untuk aktivitas ini)."
                    )
                    % {"max": entry.credited_minutes}
                }
            )
        updates = {"approved_minutes": int(approved_minutes)}
    updates |= {"validated_by": actor, "validated_at": now, "validation_reason": reason.strip()}
    transition(
        entry,
        decision,
        actor=actor,
        reason=reason.strip(),
        updates=updates,
        data={
            "approved_minutes": updates["approved_minutes"],
            **({"requested": approved_minutes} if decision == "adjust" else {}),
        },
        request=request,
    )
    if decision == ValidationDecision.REJECT:
        # The rejected minutes free the day's quota for the employee's other submitted entries.
        with transaction.atomic():
            Employee.objects.select_for_update().get(pk=entry.employee_id)
            recompute_day(entry.employee, entry.date, entry.config.daily_quota_minutes)
    return entry


@dataclass
class BulkResult:
    done: list[ActivityEntry]
    refused: list[tuple[ActivityEntry, str]]


def validate_entries(
    *, actor, entries, decision: str = ValidationDecision.APPROVE, reason: str = "", request=None
) -> BulkResult:
    """Validate many entries (e.g. a whole day); each is its own audited transition."""
    if decision not in (ValidationDecision.APPROVE, ValidationDecision.REJECT):
        raise ValidationError(
            {"decision": _("Validasi sekaligus hanya untuk setujui atau tolak; revisi menit satu per satu.")}
        )
    result = BulkResult([], [])
    for entry in entries:
        try:
            validate_entry(actor=actor, entry=entry, decision=decision, reason=reason, request=request)
        except (PermissionDenied, ValidationError) as error:
            result.refused.append((entry, _message_of(error)))
        except Exception as error:  # workflow refusals (guards, moved on) are reported per entry
            from praja.core.workflow.errors import WorkflowError

            if not isinstance(error, WorkflowError):
                raise
            result.refused.append((entry, str(error)))
        else:
            result.done.append(entry)
    return result


def _message_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def auto_approve_month(*, tenant, year: int, month: int) -> int:
    """System job: with the auto-approve policy, approve what is still submitted after the deadline."""
    from praja.core.tenancy.context import use_tenant
    from praja.modules.performance.models import UnvalidatedPolicy

    with use_tenant(tenant):
        config = selectors.config_for_month(tenant, year, month)
        if config is None or config.unvalidated_policy != UnvalidatedPolicy.AUTO_APPROVE:
            return 0
        if selectors.local_today(tenant) <= rules.validation_deadline(
            datetime.date(year, month, 1), config.validation_deadline_day
        ):
            return 0
        first, last = rules.month_bounds(year, month)
        count = 0
        for entry in ActivityEntry.objects.filter(date__range=(first, last), status=EntryStatus.SUBMITTED):
            transition(
                entry, "auto_approve", actor=None, updates={"approved_minutes": entry.credited_minutes}
            )
            count += 1
        return count
