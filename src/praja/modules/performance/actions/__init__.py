"""Writers of e-Kinerja: employees, activity entries, validation, attendance, leave and corrections.

Each is keyword-only with `actor`, checks permission inside, runs in one transaction and records
the change on the audit chain. Status changes go through `praja.core.workflow.transition()`.
Per-employee writes lock the Employee row first, so overlap and the daily cap hold under load.

One module per idea; this package re-exports the writers so `from praja.modules.performance import
actions` and `actions.log_entry(...)` keep working.
"""

from praja.modules.performance.actions._common import (
    CLIENT_CLOCK_TOLERANCE_SECONDS,
    EVIDENCE_TYPES,
)
from praja.modules.performance.actions.absences import decide_absence, request_absence, withdraw_absence
from praja.modules.performance.actions.attendance import (
    check_in_out,
    record_apel_absence,
    record_terminal_event,
)
from praja.modules.performance.actions.corrections import (
    decide_correction,
    request_correction,
    withdraw_correction,
)
from praja.modules.performance.actions.employees import (
    change_employee_status,
    register_employee,
    update_employee,
)
from praja.modules.performance.actions.entries import (
    EntryResult,
    delete_entry,
    log_entry,
    recompute_day,
    update_entry,
)
from praja.modules.performance.actions.validation import (
    BulkResult,
    ValidationDecision,
    auto_approve_month,
    validate_entries,
    validate_entry,
)

__all__ = [
    "CLIENT_CLOCK_TOLERANCE_SECONDS",
    "EVIDENCE_TYPES",
    "BulkResult",
    "EntryResult",
    "ValidationDecision",
    "auto_approve_month",
    "change_employee_status",
    "check_in_out",
    "decide_absence",
    "decide_correction",
    "delete_entry",
    "log_entry",
    "recompute_day",
    "record_apel_absence",
    "record_terminal_event",
    "register_employee",
    "request_absence",
    "request_correction",
    "update_employee",
    "update_entry",
    "validate_entries",
    "validate_entry",
    "withdraw_absence",
    "withdraw_correction",
]
