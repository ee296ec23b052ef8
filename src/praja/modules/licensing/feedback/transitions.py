"""The complaint workflow "licensing.complaint" (SP4N-LAPOR!, PermenPANRB 62/2018) as data.

new --receive (system)--> received            verification clock: complaint_days_verification
received --assign--> assigned                 band clock: the band's working days, counted from receipt
assigned --reassign--> assigned               (another official/unit; the clock keeps running)
assigned --answer--> answered                 the clock stops: the complainant has the answer
answered --close--> closed
received --reject--> rejected                 unintelligible or not a complaint, with a reason

Overdue clocks are marked and escalated to the holders' supervisors by the core SLA job
(praja.core.workflow.actions.check_sla_breaches).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import WORK_QUEUE
from praja.core.workflow import State, Transition, Workflow
from praja.modules.licensing.feedback.constants import COMPLAINT_WORKFLOW
from praja.modules.licensing.feedback.constants import ComplaintStatus as S
from praja.modules.licensing.permissions import HANDLE_COMPLAINTS


def verification_days(case) -> int:
    from praja.modules.licensing.feedback.selectors import get_feedback_parameters

    return int(get_feedback_parameters(case.tenant)["complaint_days_verification"])


def band_days_left(case) -> int:
    """The band's working days minus those already gone since receipt (the deadline never moves)."""
    from django.utils import timezone

    from praja.core.calendar.selectors import working_days_between
    from praja.modules.licensing.feedback import rules
    from praja.modules.licensing.feedback.selectors import get_feedback_parameters

    days = rules.complaint_band_days(case.band, get_feedback_parameters(case.tenant))
    elapsed = working_days_between(case.tenant, case.received_at, timezone.now())
    return rules.remaining_band_days(days, elapsed)


def assignee_or_handler(case, *, actor, data):
    """Only the official the complaint is assigned to, or a complaints handler, answers it."""
    if case.assigned_to_id == actor.pk or has_permission(actor, HANDLE_COMPLAINTS):
        return None
    return _(
        "Pengaduan ini ditugaskan kepada pejabat lain; hanya pejabat tersebut atau pengelola "
        "pengaduan yang dapat menjawab."
    )


def complaint_timeline_url(case) -> str:
    from praja.core.tenancy.urls import tenant_reverse

    return tenant_reverse("licensing-complaint-detail", tenant=case.tenant, kwargs={"complaint_id": case.pk})


COMPLAINT_WORKFLOW_DEFINITION = Workflow(
    name=COMPLAINT_WORKFLOW,
    model="licensing_feedback.Complaint",
    label=_("Pengaduan perizinan"),
    status_field="status",
    version_field="version",
    party_fields=("complainant",),
    assignee_field="assigned_to",
    timeline_url=complaint_timeline_url,
    states=[
        State(S.NEW, holder=_("Sistem")),
        State(S.RECEIVED, holder=_("Pengelola pengaduan"), holder_role="licensing_complaints"),
        State(S.ASSIGNED, holder=_("Unit/pejabat yang ditugasi"), holder_role="licensing_complaints"),
        State(S.ANSWERED, holder=_("Pengelola pengaduan"), holder_role="licensing_complaints"),
        State(S.CLOSED, is_final=True),
        State(S.REJECTED, is_final=True),
    ],
    transitions=[
        Transition(
            "receive",
            S.NEW,
            S.RECEIVED,
            label=_("Terima pengaduan"),
            system=True,
            sla_working_days=verification_days,
            audit_event="licensing.complaint_received",
        ),
        Transition(
            "assign",
            S.RECEIVED,
            S.ASSIGNED,
            label=_("Tugaskan"),
            permission=HANDLE_COMPLAINTS,
            sla_working_days=band_days_left,
            audit_event="licensing.complaint_assigned",
        ),
        Transition(
            "reassign",
            S.ASSIGNED,
            S.ASSIGNED,
            label=_("Alihkan penugasan"),
            permission=HANDLE_COMPLAINTS,
            requires_reason=True,
            audit_event="licensing.complaint_reassigned",
        ),
        Transition(
            "answer",
            S.ASSIGNED,
            S.ANSWERED,
            label=_("Jawab"),
            permission=WORK_QUEUE,
            guards=[assignee_or_handler],
            stops_clock=True,
            audit_event="licensing.complaint_answered",
        ),
        Transition(
            "close",
            S.ANSWERED,
            S.CLOSED,
            label=_("Tutup"),
            permission=HANDLE_COMPLAINTS,
            audit_event="licensing.complaint_closed",
        ),
        Transition(
            "reject",
            S.RECEIVED,
            S.REJECTED,
            label=_("Tolak"),
            permission=HANDLE_COMPLAINTS,
            requires_reason=True,
            audit_event="licensing.complaint_rejected",
        ),
    ],
)
